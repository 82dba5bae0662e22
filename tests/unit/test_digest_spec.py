"""Digest specs: what a person may type, what is refused and why, and local fire times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.digests.slots import latest_slot
from domain.digests.spec import Schedule, SpecError, parse_spec


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("daily 07:00", "daily 07:00"),
        ("Daily 7:05", "daily 07:05"),
        ("weekdays 06:30", "weekdays 06:30"),
        ("every 2h", "every 2h"),
        ("every 90m", "every 90m"),
        ("every 120m", "every 2h"),
        ("0 7 * * 1-5", "cron 0 7 * * 1-5"),
        ("cron 30 6 * * mon,wed", "cron 30 6 * * mon,wed"),
    ],
)
def test_schedules_in_their_canonical_words(text: str, schedule: str) -> None:
    assert parse_spec(text).schedule == Schedule(schedule)


def test_options_and_their_defaults() -> None:
    plain = parse_spec("daily 07:00")
    full = parse_spec("weekdays 06:30 tz Europe/Berlin horizon 2d site 1 all-clear")

    assert (plain.timezone, plain.horizon, plain.site, plain.all_clear) == (
        None,
        timedelta(days=1),
        None,
        False,
    )
    assert (full.timezone, full.horizon, full.site, full.all_clear) == (
        "Europe/Berlin",
        timedelta(days=2),
        "1",
        True,
    )
    assert parse_spec("every 4h horizon 12h all clear").horizon == timedelta(hours=12)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "say when, e.g. `daily 07:00`"),
        ("daily", "`daily` needs a time such as 07:00"),
        ("daily 25:00", "`25:00` is not a time of day"),
        ("every 5m", "`5m`: the interval must be between 15m and 7d"),
        ("every 24000000000h", "`24000000000h`: the interval must be between 15m and 7d"),
        ("every often", "`often` is not an interval such as 2h or 30m"),
        ("sometimes 07:00", "`sometimes` is not a schedule"),
        ("daily 07:00 tz Mars/Olympus", "`Mars/Olympus` is not a time zone"),
        ("daily 07:00 horizon 90d", "`90d`: the horizon must be between 1h and 60d"),
        (
            "daily 07:00 horizon 9999999999d",
            "`9999999999d`: the horizon must be between 1h and 60d",
        ),
        ("daily 07:00 site", "`site` needs a value"),
        ("daily 07:00 loudly", "`loudly` is not an option (tz, horizon, site, all-clear)"),
        ("61 7 * * *", "`61 7 * * *` is not a cron expression"),
    ],
)
def test_a_bad_spec_says_what_is_wrong(text: str, error: str) -> None:
    with pytest.raises(SpecError) as refused:
        parse_spec(text)

    assert str(refused.value).startswith(error)


def _fires(schedule: str, timezone: str, start: datetime, count: int) -> list[datetime]:
    trigger = Schedule(schedule).trigger(timezone)
    fires: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and len(fires) < count:
        fires.append(fire.astimezone(UTC))
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return fires


def test_daily_fires_at_local_time_across_the_end_of_summer_time() -> None:
    # Berlin leaves summer time (UTC+2 -> UTC+1) on Sunday 25 October 2026
    fires = _fires("daily 07:00", "Europe/Berlin", datetime(2026, 10, 24, tzinfo=UTC), 3)

    assert fires == [
        datetime(2026, 10, 24, 5, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 6, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 6, 0, tzinfo=UTC),
    ]


def test_weekdays_skip_the_weekend_across_the_start_of_summer_time() -> None:
    # New York starts summer time (UTC-5 -> UTC-4) on Sunday 8 March 2026
    fires = _fires("weekdays 06:30", "America/New_York", datetime(2026, 3, 6, tzinfo=UTC), 2)

    assert fires == [
        datetime(2026, 3, 6, 11, 30, tzinfo=UTC),  # Friday, EST
        datetime(2026, 3, 9, 10, 30, tzinfo=UTC),  # Monday, EDT
    ]


def test_every_counts_from_local_midnight_so_replicas_agree() -> None:
    fires = _fires("every 2h", "Europe/Berlin", datetime(2026, 11, 26, 9, 17, tzinfo=UTC), 2)

    assert fires == [
        datetime(2026, 11, 26, 11, 0, tzinfo=UTC),  # 12:00 in Berlin
        datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
    ]


def test_the_slot_is_the_schedules_time_not_the_moment_the_job_ran() -> None:
    trigger = Schedule("daily 07:00").trigger("Europe/Berlin")
    fired = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)

    assert latest_slot(trigger, fired + timedelta(seconds=3)) == fired
    assert latest_slot(trigger, fired + timedelta(minutes=30)) is None  # too late: skipped
    assert latest_slot(trigger, fired - timedelta(seconds=1)) is None
