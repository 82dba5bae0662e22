"""Spoken commands end to end: espeak-ng speaks, PyAV packs the clip as Slack does, the bot
decodes and recognises it offline."""

from __future__ import annotations

import io
import wave

import pytest

from bot.conversation.audio import SAMPLE_RATE, UnreadableAudio, decode_pcm
from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    Horizon,
    ListWaiting,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.neural import neural_recognizer
from bot.conversation.orders import resolve
from bot.conversation.question import not_understood
from bot.conversation.voice import (
    UNHEARD_NUMBER,
    hear_neural,
    is_voice_clip,
    understand_clip,
    understand_file,
)
from domain.statuses import PaperKind
from tests.voice_clips import CONTAINERS, Voice, clip, require_espeak, speak

ORDERS = {"P000123", "P000124", "P000456", "P001123"}
SITES = {"1", "2"}
US, US_F3, EN, US_F5 = "en-us", "en-us+f3", "en", "en-us+f5"


@pytest.fixture
def espeak() -> None:
    require_espeak()


def _silence(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(b"\0\0" * int(SAMPLE_RATE * seconds))
    return out.getvalue()


@pytest.mark.usefixtures("espeak")
@pytest.mark.parametrize("container", list(CONTAINERS))
def test_every_slack_container_decodes_to_16_khz_mono(container: str) -> None:
    voice = Voice(US, 160)
    wav = speak("release order one two three with route card", voice)
    with wave.open(io.BytesIO(wav)) as original:  # streamed: the header has no length
        seconds = (len(wav) - 44) / original.getsampwidth() / original.getframerate()

    pcm = decode_pcm(clip("release order one two three with route card", voice, container))

    assert abs(len(pcm) / 2 / SAMPLE_RATE - seconds) < 0.1


@pytest.mark.usefixtures("espeak")
@pytest.mark.parametrize(
    ("sentence", "voice", "container", "expected"),
    [
        (
            "release order one two three with route card",
            Voice(US, 160),
            "m4a",
            ReleaseOrders(("P000123",), frozenset({PaperKind.ROUTE_CARD})),
        ),
        (
            "release order one two three with route card",
            Voice(US_F3, 200, 60),
            "webm",
            ReleaseOrders(("P000123",), frozenset({PaperKind.ROUTE_CARD})),
        ),
        (
            "release order one two three with route card",
            Voice(EN, 130, 40),
            "ogg",
            ReleaseOrders(("P000123",), frozenset({PaperKind.ROUTE_CARD})),
        ),
        (
            "release one two three and one two four with route card and picking list",
            Voice(US_F5, 170, 70),
            "mp3",
            ReleaseOrders(
                ("P000123", "P000124"),
                frozenset({PaperKind.ROUTE_CARD, PaperKind.PICKING_LIST}),
            ),
        ),
        (
            "what is waiting for release at site two today",
            Voice(US, 130),
            "wav",
            ListWaiting("2", Horizon.TODAY),
        ),
        ("show order four five six", Voice(US_F3, 130, 60), "ogg", ShowOrder("P000456")),
        ("undo", Voice(EN, 200, 40), "mp3", Undo()),
        ("help", Voice(US, 170), "webm", Help()),
        ("digest daily at seven", Voice(US, 130), "m4a", Digest("daily 07:00")),
    ],
)
def test_spoken_commands_in_several_voices_speeds_and_containers(
    sentence: str, voice: Voice, container: str, expected: Command
) -> None:
    audio = clip(sentence, voice, container)
    neural = neural_recognizer(None)
    assert neural is not None, "pip install releasebot[voice-neural]"

    understood = understand_clip(audio, ORDERS, SITES, neural)  # as the bot hears by default

    assert isinstance(understood, Command), understood
    assert resolve(understood, ORDERS) == expected
    # pocketsphinx alone: the command, or an order number it was not sure of asked again
    alone = understand_clip(audio, ORDERS, SITES)
    if not isinstance(alone, NotUnderstood) or alone.reason != UNHEARD_NUMBER:
        assert isinstance(alone, Command), alone
        assert resolve(alone, ORDERS) == expected


@pytest.mark.usefixtures("espeak")
def test_without_known_orders_numbers_are_heard_digit_by_digit() -> None:
    understood = understand_clip(
        clip("release order one two three with route card", Voice(US, 160))
    )

    assert understood == ReleaseOrders(("123",), frozenset({PaperKind.ROUTE_CARD}))


@pytest.mark.usefixtures("espeak")
@pytest.mark.parametrize(
    ("sentence", "voice", "container"),
    [
        ("what is the weather like today", Voice(US_F3, 170, 60), "m4a"),
        ("what is the weather like today", Voice(EN, 150, 40), "webm"),
        ("the printer is out of paper", Voice(US, 160), "ogg"),
        ("i am going to lunch now", Voice(US_F5, 140, 70), "mp3"),
        ("good morning everyone", Voice(US_F3, 200, 60), "wav"),
    ],
)
def test_speech_that_is_no_command_is_not_taken_for_one(
    sentence: str, voice: Voice, container: str
) -> None:
    understood = understand_clip(clip(sentence, voice, container), ORDERS, SITES)

    assert isinstance(understood, NotUnderstood)
    assert not_understood(understood).startswith("I didn't catch that. Try for example:")


def test_silence_is_not_understood() -> None:
    assert isinstance(understand_clip(_silence(2), ORDERS, SITES), NotUnderstood)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is no audio at all", "the file is not audio we can play"),
        (_silence(31), "the clip is longer than 30 seconds"),
    ],
)
def test_unplayable_clips_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableAudio, match=reason):
        decode_pcm(data)
    understood = understand_clip(data)
    assert isinstance(understood, NotUnderstood)
    assert understood.reason is not None
    assert understood.reason.startswith(reason)


def test_slack_transcript_is_used_when_complete() -> None:
    file = {
        "subtype": "slack_audio",
        "url_private_download": "https://files.example/clip.m4a",
        "transcription": {
            "status": "complete",
            "preview": {"content": "Release order 123 with route card.", "has_more": False},
        },
    }

    def download(url: str) -> bytes:
        raise AssertionError(f"downloaded {url} although Slack had a transcript")

    understood = understand_file(file, download, ORDERS, SITES)

    assert understood == ReleaseOrders(("123",), frozenset({PaperKind.ROUTE_CARD}))


@pytest.mark.usefixtures("espeak")
def test_clip_is_downloaded_and_recognised_while_slack_transcribes() -> None:
    audio = clip("show order four five six", Voice(US, 160), "m4a")
    downloaded: list[str] = []

    def download(url: str) -> bytes:
        downloaded.append(url)
        return audio

    file = {
        "subtype": "slack_audio",
        "mimetype": "audio/mp4",
        "url_private_download": "https://files.example/download/clip.m4a",
        "transcription": {"status": "processing"},
    }

    understood = understand_file(file, download, ORDERS, SITES)

    assert downloaded == ["https://files.example/download/clip.m4a"]
    assert isinstance(understood, Command), understood
    assert resolve(understood, ORDERS) == ShowOrder("P000456")


def test_a_clip_without_a_link_is_not_understood() -> None:
    def download(url: str) -> bytes:
        raise AssertionError(url)

    understood = understand_file({"subtype": "slack_audio"}, download)

    assert understood == NotUnderstood("", "the clip has no download link")


@pytest.mark.parametrize(
    ("file", "is_clip"),
    [
        ({"subtype": "slack_audio", "mimetype": "audio/mp4"}, True),
        ({"subtype": "slack_video", "mimetype": "video/mp4"}, True),
        ({"mimetype": "audio/webm"}, True),
        ({"mimetype": "image/png"}, False),
        ({"mimetype": "video/mp4"}, False),
    ],
)
def test_which_files_are_voice_clips(file: dict[str, str], is_clip: bool) -> None:
    assert is_voice_clip(file) is is_clip


@pytest.mark.usefixtures("espeak")
def test_whisper_hears_a_wrapped_request_and_the_combination_agrees() -> None:
    neural = neural_recognizer(None)
    assert neural is not None, "pip install releasebot[voice-neural]"
    audio = clip(
        "could you release order four five six and print the picking list please",
        Voice(US, 160),
        "ogg",
    )
    expected = ReleaseOrders(("P000456",), frozenset({PaperKind.PICKING_LIST}))

    assert hear_neural(decode_pcm(audio), neural, ORDERS).understood == expected
    assert understand_clip(audio, ORDERS, SITES, neural) == expected


@pytest.mark.usefixtures("espeak")
def test_whisper_does_not_take_floor_talk_for_a_command() -> None:
    neural = neural_recognizer(None)
    assert neural is not None
    audio = clip("release the brake before you move the trolley", Voice(EN, 150, 40), "mp3")

    assert isinstance(hear_neural(decode_pcm(audio), neural, ORDERS).understood, NotUnderstood)
