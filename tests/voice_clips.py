"""Spoken test clips: espeak-ng says a sentence, PyAV packs it the way Slack delivers clips."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from dataclasses import dataclass

import av
import pytest

from bot.conversation.language import DIGITS as DIGIT_WORDS

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
    name: str
    words_per_minute: int
    pitch: int = 50


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


def speak(text: str, voice: Voice) -> bytes:
    """WAV bytes of espeak-ng saying `text`."""
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
    with av.open(io.BytesIO(wav)) as source, av.open(out, "w", format=container_format) as sink:
        stream = sink.add_stream(codec, rate=rate, layout="mono")
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


def clip(text: str, voice: Voice, extension: str = "wav") -> bytes:
    wav = speak(text, voice)
    return wav if extension == "wav" else convert(wav, extension)


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
