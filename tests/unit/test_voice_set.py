"""The voice benchmark's measurement set is what the README says it is: sizes, spread,
held-out part apart, and every command sentence meaning what it is scored against."""

from __future__ import annotations

import array
import io
import wave
from collections import Counter

from bot.conversation.audio import decode_pcm
from bot.conversation.orders import resolve
from tests.commands import command
from tests.voice_clips import (
    CONTAINERS,
    FLOOR_TALK,
    HELD_OUT,
    PLANT_ORDERS,
    ROOM_RT60_SECONDS,
    TUNED,
    Sample,
    Voice,
    in_room,
    measurement_set,
    read_number,
    with_noise,
)


def test_the_set_has_its_sizes_and_spread() -> None:
    samples = measurement_set()
    commands = [s for s in samples if s.expected is not None]
    talk = [s for s in samples if s.expected is None]

    assert len(commands) >= 250 and len({s.sentence for s in commands}) >= 250
    assert len(talk) == 60 and {s.sentence for s in talk} == set(FLOOR_TALK)
    assert {s.voice.synthesiser for s in samples} == {"espeak-ng", "flite", "festival"}
    assert {s.container for s in samples} == set(CONTAINERS)
    assert abs(sum(s.snr_db is not None for s in samples) / len(samples) - 1 / 3) < 0.02
    readings = Counter(s.reading for s in commands)
    assert min(readings["digits"], readings["pairs"], readings["hundreds"]) >= 40


def test_the_held_out_part_shares_no_sentence_or_voice_with_the_tuned_part() -> None:
    samples = measurement_set()
    held_out = [s for s in samples if s.part == HELD_OUT]
    tuned = [s for s in samples if s.part == TUNED]

    assert len(held_out) >= len(samples) // 4 and len(held_out) + len(tuned) == len(samples)

    def said(part: list[Sample]) -> set[str]:  # short commands ("undo", "help") recur
        return {s.sentence for s in part if s.reading != "-" or s.expected is None}

    assert not said(held_out) & said(tuned)
    assert not {s.voice for s in held_out} & {s.voice for s in tuned}
    assert measurement_set() == samples  # fixed: the same set every run


def test_every_command_sentence_typed_means_what_it_is_scored_against() -> None:
    for sample in measurement_set():
        if sample.expected is not None:
            assert resolve(command(sample.sentence), PLANT_ORDERS) == sample.expected, sample


def test_numbers_are_read_as_people_read_them() -> None:
    assert read_number("P000254", "digits") == "two five four"
    assert read_number("P000254", "pairs") == "two fifty four"
    assert read_number("P000254", "hundreds") == "two hundred and fifty four"
    assert read_number("P001337", "pairs") == "thirteen thirty seven"
    assert read_number("P000201", "pairs") == "two zero one"  # "oh one": said digit by digit


def _wav(samples: array.array[int]) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(16_000)
        sink.writeframes(samples.tobytes())
    return out.getvalue()


def test_noise_is_mixed_at_the_asked_signal_to_noise_ratio() -> None:
    tone = array.array("h", (8000 if (at // 20) % 2 else -8000 for at in range(16_000)))

    noisy = array.array("h", decode_pcm(with_noise(_wav(tone), 20.0, seed=1)))

    noise = [n - t for n, t in zip(noisy, tone, strict=True)]
    ratio = sum(t * t for t in tone) / sum(n * n for n in noise)
    assert 80 < ratio < 125  # 20 dB is a power ratio of 100
    assert Voice("en-us", 160).label == "espeak-ng:en-us@160"


def test_a_room_adds_a_tail_and_keeps_the_level() -> None:
    burst = array.array("h", (8000 if (at // 20) % 2 else -8000 for at in range(1_600)))
    silence = array.array("h", bytes(2 * 14_400))

    heard = array.array("h", decode_pcm(in_room(_wav(burst + silence))))

    assert len(heard) == 16_000 + round(ROOM_RT60_SECONDS * 16_000)
    assert max(map(abs, heard)) == 8000  # scaled back to the dry voice's peak
    tail = heard[1_600:4_000]  # the 150 ms after the burst: the room still rings
    assert sum(x * x for x in tail) / len(tail) > 0.001 * 8000**2
    assert sum(abs(x) for x in heard[-1_600:]) < sum(abs(x) for x in tail) / 100
