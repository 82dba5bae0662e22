"""Spoken test clips: a synthesiser (espeak-ng, flite or festival) says a sentence, shop-floor
noise is mixed in when asked, PyAV packs it the way Slack delivers clips.

`measurement_set()` is the voice benchmark's fixed set: commands in the phrasing families
people use and the number readings they use, out-of-command floor talk, three synthesisers,
a third of the clips with noise at 20 dB SNR, all five containers, and a held-out part that
is drawn apart (its own sentences, its own voice settings) and never used for tuning.
`second_held_out_set()` is a second held-out part, written apart from the command language
(its own phrasings, voices and set-ups), that the benchmark runs only when asked for."""

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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
    as a stretch of their own speed, 160 being 1.0; festival's HTS voices as hts_engine's
    speed rate, which is the inverse)."""

    name: str
    words_per_minute: int
    pitch: int = 50
    synthesiser: str = "espeak-ng"

    @property
    def label(self) -> str:
        return f"{self.synthesiser}:{self.name}@{self.words_per_minute}"

    @property
    def is_festival_hts(self) -> bool:
        """Festival's HTS voices ignore Duration_Stretch (measured: byte-identical audio at
        any stretch) and take their speed from hts_engine's rate instead."""
        return self.synthesiser == "festival" and self.name.endswith("_hts")


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


FESTIVAL_VOICES = Path("/usr/share/festival/voices")


def voice_installed(voice: Voice) -> bool:
    """Whether its synthesiser has the voice: festival's voices are packages of their own
    (festvox-*), and text2wave without one says nothing and exits 0."""
    return voice.synthesiser != "festival" or any(FESTIVAL_VOICES.glob(f"*/{voice.name}"))


def speak(text: str, voice: Voice) -> bytes:
    """WAV bytes of the voice's synthesiser saying `text`."""
    stretch = f"{160 / voice.words_per_minute:.2f}"
    if voice.synthesiser == "flite":
        command = ["flite", "-voice", voice.name, "--setf", f"duration_stretch={stretch}"]
        command += ["-t", text, "-o", "/dev/stdout"]
        return subprocess.run(command, check=True, capture_output=True).stdout
    if voice.synthesiser == "festival":
        rate = f'(list "-r" {voice.words_per_minute / 160:.2f})'
        speed = (
            f"(set! hts_engine_params (append hts_engine_params (list {rate})))"
            if voice.is_festival_hts
            else f"(Parameter.set 'Duration_Stretch {stretch})"
        )
        setup = f"(begin (voice_{voice.name}) {speed})"
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


def clip(
    text: str,
    voice: Voice,
    extension: str = "wav",
    snr_db: float | None = None,
    room: bool = False,
) -> bytes:
    """The clip as Slack would deliver it; with `room`, said in a small room first; with
    `snr_db`, shop-floor noise mixed in then."""
    wav = speak(text, voice)
    if room:
        wav = in_room(wav)
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
    return _wav(x + gain * n for x, n in zip(speech, noise, strict=True))


# a small room (a site office): RT60 about 0.35 s, Schroeder's four combs and two all-passes
ROOM_RT60_SECONDS = 0.35
ROOM_COMB_SECONDS = (0.0297, 0.0371, 0.0411, 0.0437)
ROOM_ALLPASS = ((0.005, 0.7), (0.0017, 0.7))
ROOM_WET = 0.3


def in_room(wav: bytes) -> bytes:
    """16 kHz WAV of `wav` said in a small room: the dry voice and its reverberation (a
    Schroeder reverberator), its tail kept, scaled back to the dry voice's peak."""
    dry = [float(x) for x in array.array("h", decode_pcm(wav))]
    dry += [0.0] * round(ROOM_RT60_SECONDS * SAMPLE_RATE)
    wet = [0.0] * len(dry)
    for seconds in ROOM_COMB_SECONDS:
        delay = round(seconds * SAMPLE_RATE)
        feedback = 10 ** (-3 * seconds / ROOM_RT60_SECONDS)
        echo = [0.0] * len(dry)
        for at in range(len(dry)):
            echo[at] = dry[at] + (feedback * echo[at - delay] if at >= delay else 0.0)
            wet[at] += echo[at] / len(ROOM_COMB_SECONDS)
    for seconds, gain in ROOM_ALLPASS:
        delay = round(seconds * SAMPLE_RATE)
        passed = [0.0] * len(wet)
        for at in range(len(wet)):
            earlier = at - delay
            passed[at] = -gain * wet[at] + (
                wet[earlier] + gain * passed[earlier] if earlier >= 0 else 0.0
            )
        wet = passed
    mixed = [x + ROOM_WET * w for x, w in zip(dry, wet, strict=True)]
    scale = max(map(abs, dry), default=0.0) / max(max(map(abs, mixed), default=0.0), 1.0)
    return _wav(x * scale for x in mixed)


def _wav(samples: Iterable[float]) -> bytes:
    """16 kHz mono 16-bit WAV of the samples, clipped to the 16-bit range."""
    pcm = array.array("h", (max(-32768, min(32767, round(x))) for x in samples))
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(SAMPLE_RATE)
        sink.writeframes(pcm.tobytes())
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
# the parts of the benchmark: tuned on, held out, and held out and authored apart (below)
TUNED, HELD_OUT, SECOND_HELD_OUT = "tuned", "held-out", "held-out-2"
PARTS = (TUNED, HELD_OUT, SECOND_HELD_OUT)


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
    snr_db: float | None  # machine-hall noise mixed in at this SNR; None: none
    part: str  # one of PARTS
    room: bool = False  # said in a small room (reverberation)

    @property
    def setting(self) -> str:
        """How the clip is heard: "clean", "20 dB SNR", "room", "room, 15 dB SNR"."""
        noise = f"{self.snr_db:g} dB SNR" if self.snr_db is not None else ""
        return ", ".join(filter(None, ("room" if self.room else "", noise))) or "clean"


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
        (TUNED, 210, FLOOR_TALK[:40], DEV_VOICES),
        (HELD_OUT, 105, FLOOR_TALK[40:], HELD_OUT_VOICES),
    )
    for part, commands, talk, voices in parts:
        rng = random.Random(f"{seed}-{'held-out' if part == HELD_OUT else 'dev'}")
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
                    snr_db=NOISE_SNR_DB if at % 3 == 2 else None,
                    part=part,
                )
            )
    return samples


# --- the second held-out part: authored apart ------------------------------------------------
# Written from the description of what the bot understands (release orders, with
# papers; list what waits, at a site, up to a day; show an order; undo; help; digests), by
# someone who had not read the command language, its tests or the sentences above: how a
# planner or supervisor would say it. It measures how far the bot carries to phrasings and
# voices nobody tuned to; `python -m bench voice --part held-out-2` reads it, `all` leaves
# it out, so that it is looked at on purpose (once) and never tuned on.

JOB, ROUTE, ROUTE_JOB, PICKING = (
    PaperKind.JOB_CARD,
    PaperKind.ROUTE_CARD,
    PaperKind.ROUTE_JOB,
    PaperKind.PICKING_LIST,
)
# how a sentence's order numbers are read: digit by digit, in pairs ("two fifty four",
# "thirteen oh nine"), with hundreds (and thousands), several readings in one sentence, or
# the whole number as written ("p zero zero zero three four six")
SECOND_READINGS = ("digits", "pairs", "hundreds", "mixed", "full")


def _release(*numbers: int, papers: Iterable[PaperKind] = ()) -> ReleaseOrders:
    return ReleaseOrders(tuple(f"P{number:06d}" for number in numbers), frozenset(papers))


def _show(number: int) -> ShowOrder:
    return ShowOrder(f"P{number:06d}")


# (sentence, the command it means, phrasing family, number reading)
SECOND_COMMANDS: tuple[tuple[str, Command, str, str], ...] = (
    # plain
    ("release two fifty six", _release(256), "plain", "pairs"),
    ("release order three one two", _release(312), "plain", "digits"),
    ("release three hundred and seven", _release(307), "plain", "hundreds"),
    ("release order thirteen oh seven", _release(1307), "plain", "pairs"),
    ("release two two eight", _release(228), "plain", "digits"),
    ("release order one three seven two", _release(1372), "plain", "digits"),
    ("release order two hundred sixty one", _release(261), "plain", "hundreds"),
    ("release fourteen hundred", _release(1400), "plain", "hundreds"),
    ("release order three ninety nine", _release(399), "plain", "pairs"),
    ("release thirteen hundred and eighty five", _release(1385), "plain", "hundreds"),
    ("release order p zero zero zero three four six", _release(346), "plain", "full"),
    ("release the order three thirty three", _release(333), "plain", "pairs"),
    ("release order one thousand three hundred and twelve", _release(1312), "plain", "hundreds"),
    ("release order two oh three", _release(203), "plain", "pairs"),
    # polite
    ("could you release order two seventy five please", _release(275), "polite", "pairs"),
    ("can you release three one eight?", _release(318), "polite", "digits"),
    ("please release order two hundred and ninety", _release(290), "polite", "hundreds"),
    ("would you release thirteen fifty six for me", _release(1356), "polite", "pairs"),
    ("release order three four four please", _release(344), "polite", "digits"),
    ("could you please release order one three two seven", _release(1327), "polite", "digits"),
    ("can you please release three hundred and eighty eight", _release(388), "polite", "hundreds"),
    ("please could you release order two twelve", _release(212), "polite", "pairs"),
    ("would you mind releasing order three oh five", _release(305), "polite", "pairs"),
    ("release thirteen ninety one please, thanks", _release(1391), "polite", "pairs"),
    ("hi bot, please release order two four nine", _release(249), "polite", "digits"),
    (
        "could you release order thirteen hundred and four please",
        _release(1304),
        "polite",
        "hundreds",
    ),
    ("can you release order two hundred and one, please", _release(201), "polite", "hundreds"),
    ("please release p zero zero one three six zero", _release(1360), "polite", "full"),
    # intent
    ("i'd like to release order two sixty eight", _release(268), "intent", "pairs"),
    ("i want to release three two one", _release(321), "intent", "digits"),
    (
        "go ahead and release order three hundred and fifteen",
        _release(315),
        "intent",
        "hundreds",
    ),
    ("let's release thirteen twenty", _release(1320), "intent", "pairs"),
    ("i need to release order one three eight eight", _release(1388), "intent", "digits"),
    ("go ahead and release two ninety seven", _release(297), "intent", "pairs"),
    ("i would like to release order three hundred seventy", _release(370), "intent", "hundreds"),
    ("we need order two three six released", _release(236), "intent", "digits"),
    ("i'd like order thirteen thirty five released please", _release(1335), "intent", "pairs"),
    ("time to release order three eighty one", _release(381), "intent", "pairs"),
    (
        "go ahead and release thirteen hundred and sixty six",
        _release(1366),
        "intent",
        "hundreds",
    ),
    ("i want to release order two one nine", _release(219), "intent", "digits"),
    # production order
    ("release production order two forty seven", _release(247), "production order", "pairs"),
    ("release production order three five three", _release(353), "production order", "digits"),
    (
        "please release production order thirteen hundred and forty",
        _release(1340),
        "production order",
        "hundreds",
    ),
    (
        "release production orders two ten and two eleven",
        _release(210, 211),
        "production order",
        "pairs",
    ),
    (
        "could you release the production order thirteen seventy",
        _release(1370),
        "production order",
        "pairs",
    ),
    (
        "release production order one three nine five",
        _release(1395),
        "production order",
        "digits",
    ),
    (
        "i'd like to release production order three hundred and twenty nine",
        _release(329),
        "production order",
        "hundreds",
    ),
    (
        "release the production orders three sixty and three sixty one",
        _release(360, 361),
        "production order",
        "pairs",
    ),
    (
        "can you release production order two eight four",
        _release(284),
        "production order",
        "digits",
    ),
    (
        "go ahead and release production order thirteen oh two",
        _release(1302),
        "production order",
        "pairs",
    ),
    (
        "release production order number two hundred and seventy seven",
        _release(277),
        "production order",
        "hundreds",
    ),
    (
        "release production order p zero zero zero two nine three",
        _release(293),
        "production order",
        "full",
    ),
    # papers, named after "with"
    ("release two fifty with the job card", _release(250, papers=[JOB]), "papers", "pairs"),
    (
        "release order three two seven with route card",
        _release(327, papers=[ROUTE]),
        "papers",
        "digits",
    ),
    (
        "release thirteen eighteen with the picking list",
        _release(1318, papers=[PICKING]),
        "papers",
        "pairs",
    ),
    (
        "release order three hundred and forty two with job cards and picking lists",
        _release(342, papers=[JOB, PICKING]),
        "papers",
        "hundreds",
    ),
    (
        "release two three three with the route job",
        _release(233, papers=[ROUTE_JOB]),
        "papers",
        "digits",
    ),
    (
        "could you release order thirteen forty seven with the route card and the job card",
        _release(1347, papers=[ROUTE, JOB]),
        "papers",
        "pairs",
    ),
    (
        "release order two hundred and six with a picking list please",
        _release(206, papers=[PICKING]),
        "papers",
        "hundreds",
    ),
    (
        "release production order one three one five with route job and picking list",
        _release(1315, papers=[ROUTE_JOB, PICKING]),
        "papers",
        "digits",
    ),
    (
        "release three seven two and three seventy three with job cards",
        _release(372, 373, papers=[JOB]),
        "papers",
        "mixed",
    ),
    (
        "release order thirteen hundred and ninety with the route card, the job card and the "
        "picking list",
        _release(1390, papers=[ROUTE, JOB, PICKING]),
        "papers",
        "hundreds",
    ),
    (
        "release order two two four including the job card",
        _release(224, papers=[JOB]),
        "papers",
        "digits",
    ),
    (
        "please release three eighty five along with its picking list",
        _release(385, papers=[PICKING]),
        "papers",
        "pairs",
    ),
    # print verb: papers asked with "print"
    (
        "release two seventy and print the job card",
        _release(270, papers=[JOB]),
        "print verb",
        "pairs",
    ),
    (
        "release order three one four and print the route card",
        _release(314, papers=[ROUTE]),
        "print verb",
        "digits",
    ),
    (
        "release thirteen sixty two and print the picking list",
        _release(1362, papers=[PICKING]),
        "print verb",
        "pairs",
    ),
    (
        "release order two hundred and eighty and print job cards",
        _release(280, papers=[JOB]),
        "print verb",
        "hundreds",
    ),
    (
        "could you release three nine one and print the route job",
        _release(391, papers=[ROUTE_JOB]),
        "print verb",
        "digits",
    ),
    (
        "release production order thirteen twenty nine and print the picking list and the job card",
        _release(1329, papers=[PICKING, JOB]),
        "print verb",
        "pairs",
    ),
    (
        "release order three hundred and fifty six, then print the route card",
        _release(356, papers=[ROUTE]),
        "print verb",
        "hundreds",
    ),
    (
        "go ahead and release two four one and print picking lists",
        _release(241, papers=[PICKING]),
        "print verb",
        "digits",
    ),
    (
        "release order thirteen eighty and print its route card",
        _release(1380, papers=[ROUTE]),
        "print verb",
        "pairs",
    ),
    (
        "release two ninety one and two ninety two and print the job cards",
        _release(291, 292, papers=[JOB]),
        "print verb",
        "pairs",
    ),
    (
        "release order one three four one and print out the route card and the route job",
        _release(1341, papers=[ROUTE, ROUTE_JOB]),
        "print verb",
        "digits",
    ),
    (
        "release thirteen hundred and thirty one and print the picking list please",
        _release(1331, papers=[PICKING]),
        "print verb",
        "hundreds",
    ),
    # several orders in one request
    ("release orders two twenty and two twenty one", _release(220, 221), "several", "pairs"),
    (
        "release three zero one, three zero two and three zero three",
        _release(301, 302, 303),
        "several",
        "digits",
    ),
    (
        "release orders two hundred and forty five and two hundred and forty six",
        _release(245, 246),
        "several",
        "hundreds",
    ),
    ("release thirteen ten and thirteen eleven", _release(1310, 1311), "several", "pairs"),
    (
        "release orders two five seven and three hundred and twelve",
        _release(257, 312),
        "several",
        "mixed",
    ),
    (
        "please release orders three thirty and thirteen thirty",
        _release(330, 1330),
        "several",
        "pairs",
    ),
    (
        "release order two sixty four and order two sixty five",
        _release(264, 265),
        "several",
        "pairs",
    ),
    (
        "can you release thirteen forty four and one three four five",
        _release(1344, 1345),
        "several",
        "mixed",
    ),
    (
        "release orders three hundred and ninety eight, three ninety nine and four hundred",
        _release(398, 399, 400),
        "several",
        "mixed",
    ),
    (
        "release two two two and two hundred and twenty three please",
        _release(222, 223),
        "several",
        "mixed",
    ),
    # show
    ("show order two fifty two", _show(252), "show", "pairs"),
    ("show me order three four seven", _show(347), "show", "digits"),
    ("show production order thirteen hundred and twenty two", _show(1322), "show", "hundreds"),
    ("could you show me order thirteen fifty", _show(1350), "show", "pairs"),
    ("show me two hundred and thirty eight", _show(238), "show", "hundreds"),
    ("can you show order one three nine nine", _show(1399), "show", "digits"),
    ("show me the production order three sixty six", _show(366), "show", "pairs"),
    ("please show order two oh eight", _show(208), "show", "pairs"),
    ("i'd like to see order three hundred and eleven", _show(311), "show", "hundreds"),
    ("show me the details of order thirteen seventy seven", _show(1377), "show", "pairs"),
    # list what waits for release
    ("what's waiting for release", ListWaiting(), "list", "-"),
    ("list the orders waiting for release", ListWaiting(), "list", "-"),
    ("which orders are waiting for release at site two", ListWaiting("2"), "list", "-"),
    (
        "show me the orders waiting for release today",
        ListWaiting(horizon=Horizon.TODAY),
        "list",
        "-",
    ),
    (
        "list orders waiting at site three for tomorrow",
        ListWaiting("3", Horizon.TOMORROW),
        "list",
        "-",
    ),
    (
        "what is still waiting for release this week",
        ListWaiting(horizon=Horizon.THIS_WEEK),
        "list",
        "-",
    ),
    (
        "could you list the production orders waiting for release at site five",
        ListWaiting("5"),
        "list",
        "-",
    ),
    ("anything waiting for release tomorrow?", ListWaiting(horizon=Horizon.TOMORROW), "list", "-"),
    (
        "list everything waiting for release at site one this week",
        ListWaiting("1", Horizon.THIS_WEEK),
        "list",
        "-",
    ),
    ("what orders are waiting at site four today", ListWaiting("4", Horizon.TODAY), "list", "-"),
    (
        "show the waiting orders for site two this week",
        ListWaiting("2", Horizon.THIS_WEEK),
        "list",
        "-",
    ),
    ("can you list what's waiting for release", ListWaiting(), "list", "-"),
    # undo
    ("undo my release", Undo(), "undo", "-"),
    ("undo the previous release", Undo(), "undo", "-"),
    ("undo that please", Undo(), "undo", "-"),
    ("please undo my last release", Undo(), "undo", "-"),
    ("can you undo the last one", Undo(), "undo", "-"),
    ("oops, undo that release", Undo(), "undo", "-"),
    ("i'd like to undo the last release", Undo(), "undo", "-"),
    ("take back my last release", Undo(), "undo", "-"),
    # help
    ("help me out", Help(), "help", "-"),
    ("please help", Help(), "help", "-"),
    ("what can you do for me", Help(), "help", "-"),
    ("i need some help", Help(), "help", "-"),
    ("what commands do you know", Help(), "help", "-"),
    ("what do you understand", Help(), "help", "-"),
    # digest
    ("send me a daily digest at seven thirty", Digest("daily 07:30"), "digest", "-"),
    ("set a daily digest at six o'clock", Digest("daily 06:00"), "digest", "-"),
    ("daily digest at eight fifteen", Digest("daily 08:15"), "digest", "-"),
    ("set up a weekday digest at half past six", Digest("weekdays 06:30"), "digest", "-"),
    ("i'd like a digest every weekday at seven", Digest("weekdays 07:00"), "digest", "-"),
    ("digest on weekdays at nine forty five", Digest("weekdays 09:45"), "digest", "-"),
    ("turn the digest off please", Digest("off"), "digest", "-"),
    ("stop the daily digest", Digest("off"), "digest", "-"),
    ("please switch the digest off", Digest("off"), "digest", "-"),
    ("a digest every day at seven in the morning", Digest("daily 07:00"), "digest", "-"),
    ("set the digest for weekdays at ten", Digest("weekdays 10:00"), "digest", "-"),
    ("daily digest at quarter to eight please", Digest("daily 07:45"), "digest", "-"),
    (
        "set a daily digest at five thirty in the afternoon",
        Digest("daily 17:30"),
        "digest",
        "-",
    ),
    ("no more digests please", Digest("off"), "digest", "-"),
)

# floor talk none of the sentences above share, some with numbers and command words
SECOND_FLOOR_TALK = (
    "the forklift battery needs charging before the night shift",
    "release the clamp slowly or the panel will slip",
    "print the label again, the barcode is smudged",
    "show the visitors where the fire exits are",
    "the list for the christmas party is on the fridge",
    "we shipped two hundred and fifty units yesterday",
    "order three came back from the customer damaged",
    "the route through hall b is closed for painting",
    "my job card from last week is missing a signature",
    "can you help me lift this crate",
    "undo the bolts on the guard before cleaning it",
    "the digest of the safety meeting is in your inbox",
    "thirteen pallets are waiting at the gate",
    "site four is closed on friday afternoon",
    "the picking trolley has a flat wheel",
    "tell the driver to wait at bay seven",
    "we are still waiting for the release of the new software",
    "the welder on line five needs new tips",
    "please bring two fifty litre drums of coolant",
    "the production manager wants the numbers by noon",
    "who printed forty copies of the manual",
    "the morning shift finished three hundred and twelve frames",
    "the steel sheets we ordered arrive next week",
    "could you please close the roller door",
    "i would like a coffee with milk",
    "let's go over the safety checklist tomorrow",
    "the cooling fan on the press is out of order",
    "show me how the new label printer works",
    "the release notes for the scanner update are on the intranet",
    "it reached thirty degrees in hall two today",
)

# voices neither other part uses: other espeak-ng variants and speeds, flite's voices at
# other speeds (and its 8 kHz kal), festival's two diphone voices (festvox-kallpc16k,
# festvox-kdlpc16k) at two speeds each. Not festival's HTS voice: the other parts speak
# with it. 13 voices: prime to the five containers and the six set-ups, so that each voice
# meets every container and set-up.
SECOND_HELD_OUT_VOICES = (
    Voice("en-us+m3", 150, 45),
    Voice("en-gb-x-rp+f2", 165, 60),
    Voice("en-us-nyc", 170),
    Voice("en-gb-scotland+f4", 145, 55),
    Voice("en-gb-x-gbcwmd+m2", 185, 40),
    Voice("slt", 140, synthesiser="flite"),
    Voice("awb", 185, synthesiser="flite"),
    Voice("rms", 135, synthesiser="flite"),
    Voice("kal", 160, synthesiser="flite"),
    Voice("kal_diphone", 130, synthesiser="festival"),
    Voice("kal_diphone", 180, synthesiser="festival"),
    Voice("ked_diphone", 140, synthesiser="festival"),
    Voice("ked_diphone", 175, synthesiser="festival"),
)
# of every six clips: noise at 20, 15 or 25 dB SNR on two (a third, 20 dB on average), a
# small room on one, three as said
SECOND_NOISE_SNR_DB = (20.0, 15.0, 20.0, 25.0)


def _families_interleaved(
    rows: Iterable[tuple[str, Command, str, str]],
) -> list[tuple[str, Command, str, str]]:
    """The rows one family at a time in turn, so that the first few span the families."""
    by_family: dict[str, list[tuple[str, Command, str, str]]] = {}
    for row in rows:
        by_family.setdefault(row[2], []).append(row)
    rounds = max(map(len, by_family.values()))
    return [family[at] for at in range(rounds) for family in by_family.values() if at < len(family)]


def second_held_out_set() -> list[Sample]:
    """The second held-out part: 136 commands and 30 floor-talk sentences authored apart,
    said by voices no other part uses, a third with noise (15-25 dB SNR), a sixth in a
    small room, all five containers; commands first, families in turn."""
    containers = list(CONTAINERS)
    planned: list[tuple[str, Command | None, str, str]] = [
        *_families_interleaved(SECOND_COMMANDS),
        *((text, None, "floor talk", "-") for text in SECOND_FLOOR_TALK),
    ]
    return [
        Sample(
            text,
            expected,
            family,
            reading,
            SECOND_HELD_OUT_VOICES[at % len(SECOND_HELD_OUT_VOICES)],
            containers[at % len(containers)],
            snr_db=SECOND_NOISE_SNR_DB[at // 3 % len(SECOND_NOISE_SNR_DB)] if at % 3 == 2 else None,
            part=SECOND_HELD_OUT,
            room=at % 6 == 1,
        )
        for at, (text, expected, family, reading) in enumerate(planned)
    ]
