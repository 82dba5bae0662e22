"""The voice benchmark's second held-out part is well formed: its size and spread, every
expected command about the plant's orders and sites, and nothing shared with the other
parts. Its sentences are not parsed here: how many the bot understands is the measurement
(`python -m bench voice --part held-out-2`), not a test."""

from __future__ import annotations

from collections import Counter

from bot.conversation.commands import ListWaiting, ReleaseOrders, ShowOrder
from tests.voice_clips import (
    CONTAINERS,
    DEV_VOICES,
    FLOOR_TALK,
    HELD_OUT_VOICES,
    PLANT_ORDERS,
    PLANT_SITES,
    SECOND_FLOOR_TALK,
    SECOND_HELD_OUT,
    SECOND_READINGS,
    measurement_set,
    second_held_out_set,
)

ORDER_FAMILIES = {"plain", "polite", "intent", "production order", "papers", "print verb"}
ORDER_FAMILIES |= {"several", "show"}
OTHER_FAMILIES = {"list", "undo", "help", "digest"}


def test_the_part_has_its_sizes_and_spread() -> None:
    samples = second_held_out_set()
    commands = [s for s in samples if s.expected is not None]
    talk = [s for s in samples if s.expected is None]

    assert len(commands) >= 120 and len({s.sentence for s in commands}) == len(commands)
    assert [s.sentence for s in talk] == list(SECOND_FLOOR_TALK) and len(set(talk)) == 30
    assert {s.part for s in samples} == {SECOND_HELD_OUT}
    families = Counter(s.family for s in commands)
    assert set(families) == ORDER_FAMILIES | OTHER_FAMILIES and min(families.values()) >= 6
    readings = Counter(s.reading for s in commands if s.family in ORDER_FAMILIES)
    assert set(readings) == set(SECOND_READINGS) and min(readings.values()) >= 3
    assert {s.reading for s in commands if s.family in OTHER_FAMILIES} == {"-"}
    assert {s.container for s in samples} == set(CONTAINERS)
    assert {s.voice.synthesiser for s in samples} == {"espeak-ng", "flite", "festival"}
    noisy = [s.snr_db for s in samples if s.snr_db is not None]
    assert abs(len(noisy) / len(samples) - 1 / 3) < 0.02 and all(15 <= db <= 25 for db in noisy)
    assert 18 <= sum(noisy) / len(noisy) <= 22
    assert 0 < sum(s.room for s in samples) < len(samples) / 4
    assert second_held_out_set() == samples  # fixed: the same part every run


def test_every_expected_command_is_about_the_plants_orders_and_sites() -> None:
    for sample in second_held_out_set():
        command = sample.expected
        if isinstance(command, ReleaseOrders):
            assert command.orders and set(command.orders) <= set(PLANT_ORDERS), sample
            assert len(set(command.orders)) == len(command.orders), sample
        elif isinstance(command, ShowOrder):
            assert command.order in PLANT_ORDERS, sample
        elif isinstance(command, ListWaiting):
            assert command.site is None or command.site in PLANT_SITES, sample


def test_the_part_shares_no_sentence_or_voice_with_the_other_parts() -> None:
    samples = second_held_out_set()
    others = measurement_set()

    assert not set(SECOND_FLOOR_TALK) & set(FLOOR_TALK)
    assert not {s.sentence for s in samples} & {s.sentence for s in others}
    assert not {s.voice for s in samples} & {*DEV_VOICES, *HELD_OUT_VOICES}
