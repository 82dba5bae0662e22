"""The door's log limit: at most so many lines a period, then one line that counts the rest."""

from __future__ import annotations

import logging

from bot.slack.door import Flood


def _record(message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("releasebot.door", level, __file__, 1, message, None, None)


def test_a_flood_is_cut_to_the_limit_and_the_next_period_counts_what_was_left_out() -> None:
    now = [0.0]
    flood = Flood(lines=3, period=60, clock=lambda: now[0])

    first = [flood.filter(_record(f"refused {n}")) for n in range(1_000)]
    now[0] = 61
    later = _record("refused again")
    passed = flood.filter(later)

    assert first.count(True) == 3 and first[:3] == [True] * 3
    assert passed and later.getMessage() == "refused again (and 997 more not logged before it)"
    assert [flood.filter(_record(f"next {n}")) for n in range(3)] == [True, True, False]


def test_records_below_its_level_always_pass() -> None:
    flood = Flood(lines=1, period=60, level=logging.WARNING, clock=lambda: 0.0)

    assert flood.filter(_record("a warning"))
    assert not flood.filter(_record("a second warning"))
    assert all(flood.filter(_record("started", logging.INFO)) for _ in range(100))
