"""Spoken test clips: a synthesiser (espeak-ng, flite or festival) says a sentence, shop-floor
noise is mixed in when asked, PyAV packs it the way Slack delivers clips.

`measurement_set()` is the voice benchmark's fixed set: commands in the phrasing families
people use and the number readings they use, out-of-command floor talk, three synthesisers,
a third of the clips with noise at 20 dB SNR, all five containers, and a held-out part that
is drawn apart (its own sentences, its own voice settings) and never used for tuning."""

from __future__ import annotations

import array
import io
import math
import os
import random
import shutil
import subprocess
import wave
import zlib
from dataclasses import dataclass

import av
import pytest

from bot.conversation.audio import SAMPLE_RATE, decode_pcm
from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    Horizon,
    ListWaiting,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.language import DIGITS as DIGIT_WORDS
from domain.statuses import PaperKind

# container extension -> (PyAV format, codec, sample rate, sample format)
CONTAINERS = {
    "m4a": ("mp4", "aac", 44_100, "fltp"),
    "webm": ("webm", "libopus", 48_000, "s16"),
    "ogg": ("ogg", "libopus", 48_000, "s16"),
    "mp3": ("mp3", "libmp3lame", 22_050, "s16p"),
    "wav": ("wav", "pcm_s16le", 22_050, "s16"),
}


@dataclass(frozen=True)
class Voice:
    """A voice of a synthesiser; `words_per_minute` is its speed (flite and festival take it
    as a stretch of their own speed, 160 being 1.0)."""

    name: str
    words_per_minute: int
    pitch: int = 50
    synthesiser: str = "espeak-ng"

    @property
    def label(self) -> str:
        return f"{self.synthesiser}:{self.name}@{self.words_per_minute}"


VOICES = (
    Voice("en-us", 160),
    Voice("en-us+f3", 175, 60),
    Voice("en", 150, 40),
    Voice("en-gb-x-rp+m3", 185),
    Voice("en-us+f5", 140, 70),
    Voice("en-gb-scotland", 170),
)


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def require_espeak() -> None:
    """Skip with the reason where espeak-ng is missing; in CI a missing tool is a failure."""
    if espeak_available():
        return
    message = "espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


SYNTHESISERS = {"espeak-ng": "espeak-ng", "flite": "flite", "festival": "text2wave"}


def synthesiser_available(name: str) -> bool:
    return shutil.which(SYNTHESISERS[name]) is not None


def speak(text: str, voice: Voice) -> bytes:
    """WAV bytes of the voice's synthesiser saying `text`."""
    stretch = f"{160 / voice.words_per_minute:.2f}"
    if voice.synthesiser == "flite":
        command = ["flite", "-voice", voice.name, "--setf", f"duration_stretch={stretch}"]
        command += ["-t", text, "-o", "/dev/stdout"]
        return subprocess.run(command, check=True, capture_output=True).stdout
    if voice.synthesiser == "festival":
        setup = f"(begin (voice_{voice.name}) (Parameter.set 'Duration_Stretch {stretch}))"
        command = ["text2wave", "-eval", setup, "-o", "/dev/stdout"]
        return subprocess.run(command, input=text.encode(), check=True, capture_output=True).stdout
    return subprocess.run(
        [
            "espeak-ng",
            "--stdout",
            "-v",
            voice.name,
            "-s",
            str(voice.words_per_minute),
            "-p",
            str(voice.pitch),
            text,
        ],
        check=True,
        capture_output=True,
    ).stdout


def convert(wav: bytes, extension: str) -> bytes:
    """Re-encode WAV into one of the containers Slack uses for clips."""
    container_format, codec, rate, sample_format = CONTAINERS[extension]
    out = io.BytesIO()
    with (
        av.open(io.BytesIO(wav), "r") as source,
        av.open(out, "w", format=container_format) as sink,
    ):
        stream = sink.add_stream(codec, rate=rate, layout="mono")
        assert isinstance(stream, av.AudioStream)  # every codec in CONTAINERS is audio
        resampler = av.AudioResampler(format=sample_format, layout="mono", rate=rate)
        frames = [
            resampled for frame in source.decode(audio=0) for resampled in resampler.resample(frame)
        ]
        frames += resampler.resample(None)
        for frame in frames:
            frame.pts = None
            sink.mux(stream.encode(frame))
        sink.mux(stream.encode(None))
    return out.getvalue()


def clip(text: str, voice: Voice, extension: str = "wav", snr_db: float | None = None) -> bytes:
    """The clip as Slack would deliver it; with `snr_db`, shop-floor noise mixed in first."""
    wav = speak(text, voice)
    if snr_db is not None:
        wav = with_noise(wav, snr_db, seed=zlib.crc32(f"{text}|{voice.label}".encode()))
    return wav if extension == "wav" else convert(wav, extension)


def with_noise(wav: bytes, snr_db: float, seed: int) -> bytes:
    """16 kHz WAV of `wav` with machine-hall noise (a low rumble, mains hum and its
    harmonics, hiss and the odd knock) at `snr_db` below the speech's power, measured over
    the frames that carry speech."""
    speech = array.array("h", decode_pcm(wav))
    rng = random.Random(seed)
    noise, rumble = [], 0.0
    for at in range(len(speech)):
        rumble = 0.98 * rumble + rng.gauss(0, 1)
        hum = sum(math.sin(2 * math.pi * 50 * k * at / SAMPLE_RATE) / k for k in (1, 2, 3, 5))
        knock = rng.gauss(0, 8) if rng.random() < 0.0005 else 0.0
        noise.append(0.15 * rumble + 0.6 * hum + rng.gauss(0, 0.7) + knock)
    frame = SAMPLE_RATE // 50
    powers = [
        sum(x * x for x in speech[at : at + frame]) / frame
        for at in range(0, len(speech) - frame + 1, frame)
    ]
    loud = [power for power in powers if power > max(powers, default=0) * 1e-3]
    speech_power = sum(loud) / len(loud) if loud else 1.0
    noise_power = sum(x * x for x in noise) / max(len(noise), 1)
    gain = math.sqrt(speech_power / (noise_power * 10 ** (snr_db / 10)))
    mixed = array.array(
        "h",
        (max(-32768, min(32767, round(x + gain * n))) for x, n in zip(speech, noise, strict=True)),
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(SAMPLE_RATE)
        sink.writeframes(mixed.tobytes())
    return out.getvalue()


PAPERS = ("route card", "picking list", "job card", "route job")
SPOKEN_HOURS = ("six", "seven", "eight", "nine", "ten")
SPOKEN_MINUTES = ("o'clock", "fifteen", "thirty", "forty five")
HORIZONS = ("today", "tomorrow", "this week")

# Everyday floor talk the bot must not take for a command (some with numbers and
# command-like words, as people say them near the bot).
OUT_OF_COMMAND = (
    "what is the weather like today",
    "good morning everyone",
    "the machine on line three is down",
    "how many pallets are in aisle four",
    "can you call me back later",
    "i am going to lunch now",
    "where is the forklift",
    "we need more boxes at station two",
    "the delivery truck is late again",
    "please check the temperature in the oven",
    "who is working the night shift",
    "turn the lights off in the warehouse",
    "the printer is out of paper",
    "has anyone seen my safety glasses",
    "meeting in the break room at ten",
    "the conveyor belt is making a strange noise",
    "send the samples to the lab",
    "my badge does not open the gate",
    "the customer called about their shipment",
    "we are short of bolts for the frame",
)


def spoken_order(order: str) -> str:
    """P000123 -> "one two three": the short form people say."""
    return " ".join(DIGIT_WORDS[int(digit)] for digit in order.removeprefix("P").lstrip("0"))


def command_sentence(rng: random.Random, orders: list[str], sites: list[str]) -> str:
    """A command as a supervisor would say it, with existing orders and sites."""

    def order() -> str:
        return spoken_order(rng.choice(orders))

    def papers() -> str:
        return " and ".join(rng.sample(PAPERS, rng.choice((1, 1, 2))))

    def site() -> str:
        return DIGIT_WORDS[int(rng.choice(sites))]

    templates = (
        lambda: f"release order {order()} with {papers()}",
        lambda: f"release order {order()} with {papers()}",
        lambda: f"release {order()} and {order()} with {papers()}",
        lambda: f"release order {order()}",
        lambda: f"please release order {order()} with {papers()}",
        lambda: f"what is waiting for release at site {site()} today",
        lambda: f"what is waiting for release {rng.choice(HORIZONS)}",
        lambda: f"list the orders at site {site()}",
        lambda: f"show order {order()}",
        lambda: f"open order {order()}",
        lambda: rng.choice(("undo", "undo that", "undo the last release")),
        lambda: rng.choice(("help", "what can you do")),
        lambda: f"digest daily at {rng.choice(SPOKEN_HOURS)}",
        lambda: f"digest every weekday at {rng.choice(SPOKEN_HOURS)} {rng.choice(SPOKEN_MINUTES)}",
    )
    return rng.choice(templates)()


# --- the voice benchmark's measurement set -------------------------------------------------

# 40 more sentences of floor talk: with the 20 above, the 60 out-of-command sentences
MORE_FLOOR_TALK = (
    "the glue on line two needs topping up",
    "can someone bring a pallet jack to dock three",
    "order more shrink wrap before friday",
    "the saw blade is blunt again",
    "line four stops at half past two for cleaning",
    "the inspector comes on tuesday",
    "please sweep the floor by the press",
    "the compressor is leaking air",
    "we had six rejects on the last batch",
    "put the finished panels on rack nine",
    "the shift starts at six tomorrow",
    "who took the tape measure",
    "the fire drill is at eleven",
    "ring the maintenance team about the lift",
    "the paint booth filter is clogged",
    "stack the boxes no higher than five",
    "the new operator starts on monday",
    "the drill press is making sparks",
    "check the pressure on the hydraulic press",
    "release the brake before you move the trolley",
    "the order from the customer came in this morning",
    "print me a copy of the rota",
    "can you show the new guy the canteen",
    "the route to the loading bay is blocked",
    "the picking robot is charging",
    "we are waiting for the glue to dry",
    "undo the straps before you lift it",
    "help me carry these boards please",
    "the job took longer than planned",
    "site two called about the truck",
    "is the coffee machine fixed yet",
    "lock the cage when you leave",
    "the list of parts is on the board",
    "four hundred screws went missing",
    "the radio in the workshop is too loud",
    "take the scrap to the skip",
    "my gloves have a hole in them",
    "the card reader at the door is broken",
    "the oven needs twenty minutes to warm up",
    "let's have a break at ten thirty",
)
FLOOR_TALK = OUT_OF_COMMAND + MORE_FLOOR_TALK

# the plant the set talks about: two runs of consecutive orders (many sound alike)
PLANT_ORDERS = tuple(f"P{n:06d}" for n in (*range(201, 401), *range(1301, 1401)))
PLANT_SITES = ("1", "2", "3", "4", "5")
NOISE_SNR_DB = 20.0

# the voices tuned on, and the held-out part's own voice settings
DEV_VOICES = (
    Voice("en-us", 160),
    Voice("en-us+f3", 175, 60),
    Voice("en-gb-x-rp+m3", 185),
    Voice("en-029", 150),
    Voice("en-gb-scotland", 165),
    Voice("en-gb-x-gbclan", 155, 45),
    Voice("slt", 160, synthesiser="flite"),
    Voice("kal16", 150, synthesiser="flite"),
    Voice("awb", 165, synthesiser="flite"),
    Voice("rms", 155, synthesiser="flite"),
    Voice("cmu_us_slt_arctic_hts", 160, synthesiser="festival"),
    Voice("cmu_us_slt_arctic_hts", 180, synthesiser="festival"),
)
HELD_OUT_VOICES = (
    Voice("en-us+m7", 170, 40),
    Voice("en+f4", 150, 65),
    Voice("en-gb-x-gbcwmd", 175),
    Voice("en-029", 180, 55),
    Voice("slt", 175, synthesiser="flite"),
    Voice("awb", 145, synthesiser="flite"),
    Voice("rms", 170, synthesiser="flite"),
    Voice("kal16", 165, synthesiser="flite"),
    Voice("cmu_us_slt_arctic_hts", 145, synthesiser="festival"),
    Voice("cmu_us_slt_arctic_hts", 170, synthesiser="festival"),
)

PAPER_KINDS = {
    "route card": PaperKind.ROUTE_CARD,
    "picking list": PaperKind.PICKING_LIST,
    "job card": PaperKind.JOB_CARD,
    "route job": PaperKind.ROUTE_JOB,
}
TEEN_WORDS: tuple[str, ...] = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")
TEEN_WORDS += ("sixteen", "seventeen", "eighteen", "nineteen")
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
READINGS = ("digits", "pairs", "hundreds")


@dataclass(frozen=True)
class Sample:
    """One clip of the set: what is said, what it must be understood as (None: no command),
    how it is phrased and said."""

    sentence: str
    expected: Command | None
    family: str
    reading: str  # how its order numbers are read, "-" without any
    voice: Voice
    container: str
    noisy: bool
    held_out: bool


def _below_hundred(number: int) -> str:
    if number < 10:
        return DIGIT_WORDS[number]
    if number < 20:
        return TEEN_WORDS[number - 10]
    tens, unit = divmod(number, 10)
    return TENS_WORDS[tens - 2] + (f" {DIGIT_WORDS[unit]}" if unit else "")


def read_number(order: str, reading: str) -> str:
    """An order number as people read it aloud, written out for the synthesiser:
    P000254 -> "two five four" (digits), "two fifty four" (pairs), "two hundred and fifty
    four" (hundreds); pairs and hundreds fall back to digits where they don't apply."""
    short = order.removeprefix("P").lstrip("0")
    if reading == "hundreds" and len(short) == 3:
        hundreds, rest = divmod(int(short), 100)
        tail = f" and {_below_hundred(rest)}" if rest else ""
        return f"{DIGIT_WORDS[hundreds]} hundred{tail}"
    if reading == "pairs" and len(short) in (3, 4):
        head = short[: len(short) % 2]
        pairs = [short[at : at + 2] for at in range(len(head), len(short), 2)]
        if all(pair[0] != "0" for pair in pairs):
            words = [DIGIT_WORDS[int(head)]] if head else []
            return " ".join(words + [_below_hundred(int(pair)) for pair in pairs])
    return spoken_order(order)


def _release_sentence(rng: random.Random, family: str, reading: str) -> tuple[str, Command]:
    """A release request of one phrasing family."""
    count = rng.choice((1, 1, 1, 2))
    orders = rng.sample(PLANT_ORDERS, count)
    papers = rng.sample(sorted(PAPER_KINDS), rng.choice((0, 1, 1, 2)))
    said = [read_number(order, reading) for order in orders]
    noun = "orders" if count > 1 else "order"
    plural = family == "production order" and rng.random() < 0.5
    paper_words = [f"{name}s" if plural else name for name in papers]
    numbers = " and ".join(said)
    if family == "plain":
        text = f"release {rng.choice((noun + ' ', ''))}{numbers}"
        if paper_words:
            text += " with " + " and ".join(paper_words)
    elif family == "polite":
        opening = rng.choice(
            ("could you ", "can you ", "i'd like to ", "go ahead and ", "please ", "")
        )
        text = f"{opening}release {noun} {numbers}"
        if paper_words:
            text += " with the " + " and the ".join(paper_words)
        text += rng.choice((" please", " thanks", "")) if opening != "please " else ""
        if opening == "" and not text.endswith(("please", "thanks")):
            text += " please"
    elif family == "production order":
        text = f"release {rng.choice(('the ', ''))}production {noun} {numbers}"
        if paper_words:
            text += " with " + " and ".join(f"{rng.choice(('the ', ''))}{p}" for p in paper_words)
    else:  # "print": the papers asked with a verb
        if not paper_words:
            paper_words = [rng.choice(sorted(PAPER_KINDS))]
            papers = paper_words
        text = f"release {noun} {numbers} and print the " + " and the ".join(paper_words)
    expected = ReleaseOrders(tuple(orders), frozenset(PAPER_KINDS[p] for p in papers))
    return text, expected


def _other_command(rng: random.Random, family: str, reading: str) -> tuple[str, Command]:
    """A command other than a release: a listing, an order shown, undo, help, a digest."""
    if family == "show":
        order = rng.choice(PLANT_ORDERS)
        said = read_number(order, reading)
        frame = rng.choice(("show order", "open order", "show me order", "open production order"))
        return f"{frame} {said}", ShowOrder(order)
    if family == "list":
        site = rng.choice((None, *PLANT_SITES))
        horizon = rng.choice((None, *Horizon))
        frame = rng.choice(
            (
                "what is waiting for release",
                "which orders are waiting",
                "show me the waiting orders",
                "list the production orders",
                "what is waiting",
            )
        )
        text = frame
        if site:
            text += f" at site {DIGIT_WORDS[int(site)]}"
        if horizon:
            text += f" {horizon.value}"
        return text, ListWaiting(site, horizon)
    if family == "undo":
        return rng.choice(
            ("undo", "undo that", "undo the last release", "please undo that")
        ), Undo()
    if family == "help":
        return rng.choice(("help", "what can you do", "help please")), Help()
    hour = rng.choice(SPOKEN_HOURS)
    value = DIGIT_WORDS.index(hour) if hour in DIGIT_WORDS else 10
    minute = rng.choice(("", " thirty", " fifteen"))
    spec_minute = {"": 0, " thirty": 30, " fifteen": 15}[minute]
    if rng.random() < 0.5:
        return f"digest daily at {hour}{minute}", Digest(f"daily {value:02d}:{spec_minute:02d}")
    return (
        f"digest every weekday at {hour}{minute}",
        Digest(f"weekdays {value:02d}:{spec_minute:02d}"),
    )


RELEASE_FAMILIES = ("plain", "polite", "production order", "print")
OTHER_FAMILIES = ("show", "list", "undo", "help", "digest")


def _commands(rng: random.Random, count: int) -> list[tuple[str, Command, str, str]]:
    """`count` commands: two thirds release requests spread over the phrasing families and
    number readings, the rest the other commands."""
    planned = []
    for at in range(count):
        reading = READINGS[(at + at // 3) % len(READINGS)]
        if at % 3 < 2:
            family = RELEASE_FAMILIES[(at // 3) % len(RELEASE_FAMILIES)]
            text, expected = _release_sentence(rng, family, reading)
        else:
            family = OTHER_FAMILIES[(at // 3) % len(OTHER_FAMILIES)]
            text, expected = _other_command(rng, family, reading)
        uses_order = family in RELEASE_FAMILIES or family == "show"
        planned.append((text, expected, family, reading if uses_order else "-"))
    return planned


def measurement_set(seed: int = 14) -> list[Sample]:
    """The voice benchmark's fixed set: 210 command clips and 40 of floor talk to tune on,
    and a held-out part of 105 commands and 20 floor-talk sentences never tuned on (its
    own sentences and voice settings). A third of each part has noise at 20 dB SNR; the
    containers rotate. Commands come first in a mixed order, so the first few span the
    families."""
    samples: list[Sample] = []
    containers = list(CONTAINERS)
    parts = (
        (False, 210, FLOOR_TALK[:40], DEV_VOICES),
        (True, 105, FLOOR_TALK[40:], HELD_OUT_VOICES),
    )
    for held_out, commands, talk, voices in parts:
        rng = random.Random(f"{seed}-{'held-out' if held_out else 'dev'}")
        planned = _commands(rng, commands) + [(text, None, "floor talk", "-") for text in talk]
        for at, (text, expected, family, reading) in enumerate(planned):
            samples.append(
                Sample(
                    text,
                    expected,
                    family,
                    reading,
                    voices[at % len(voices)],
                    containers[at % len(containers)],
                    noisy=at % 3 == 2,
                    held_out=held_out,
                )
            )
    return samples
