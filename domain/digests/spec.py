"""The digest spec a person types: `daily 07:00 tz Europe/Berlin horizon 2d site 1`.

A spec is a schedule (`daily HH:MM`, `weekdays HH:MM`, `every 2h`, `every 30m`, or a
five-field cron expression, optionally after `cron`) and options (`tz`, `horizon`,
`site`, `all-clear`). Parsing either gives a whole spec or a `SpecError` naming what
was wrong; schedules are stored in their canonical text and read back with `Schedule`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

TIME = re.compile(r"(\d{1,2}):(\d{2})")
EVERY = re.compile(r"(\d+)(h|m)")
HORIZON = re.compile(r"(\d+)(d|h)")
CRON_FIELD = re.compile(r"[0-9a-z*/,\-]+")
CRON_FIELDS = 5
SHORTEST_INTERVAL = timedelta(minutes=15)
LONGEST_INTERVAL = timedelta(days=7)
LONGEST_HORIZON = timedelta(days=60)
DEFAULT_HORIZON = timedelta(days=1)
# intervals count from this local midnight, so every replica fires at the same moments
INTERVAL_ANCHOR = datetime(2000, 1, 1)


class SpecError(ValueError):
    """The spec cannot be understood; the message says which part and why."""


@dataclass(frozen=True)
class Schedule:
    """A schedule in its canonical text: `daily 07:00`, `weekdays 06:30`, `every 2h`,
    `every 30m`, `cron 0 7 * * 1-5`."""

    text: str

    def trigger(self, timezone: str) -> BaseTrigger:
        """APScheduler's trigger, firing at local time in `timezone` (DST included)."""
        zone = ZoneInfo(timezone)
        kind, *rest = self.text.split()
        if kind in {"daily", "weekdays"}:
            hour, minute = (int(part) for part in rest[0].split(":"))
            days = "mon-fri" if kind == "weekdays" else None
            return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)
        if kind == "every":
            return IntervalTrigger(
                seconds=int(_interval(rest[0]).total_seconds()),
                start_date=INTERVAL_ANCHOR.replace(tzinfo=zone),
                timezone=zone,
            )
        return CronTrigger.from_crontab(" ".join(rest), timezone=zone)


# more hours, minutes or days than any interval or horizon allows (and than timedelta holds)
OUT_OF_RANGE = 1_000_000


@dataclass(frozen=True)
class DigestSpec:
    schedule: Schedule
    timezone: str | None  # None: the subscribing person's own time zone
    horizon: timedelta
    site: str | None
    all_clear: bool


def parse_spec(text: str) -> DigestSpec:
    """A whole spec, or `SpecError`."""
    words = text.split()
    if not words:
        raise SpecError("say when, e.g. `daily 07:00`")
    schedule, rest = _schedule(words)
    timezone: str | None = None
    horizon = DEFAULT_HORIZON
    site: str | None = None
    all_clear = False
    while rest:
        word, rest = rest[0].lower(), rest[1:]
        if word in {"all-clear", "allclear"}:
            all_clear = True
            continue
        if word == "all" and rest and rest[0].lower() == "clear":
            all_clear, rest = True, rest[1:]
            continue
        if word not in {"tz", "horizon", "site"}:
            raise SpecError(f"`{word}` is not an option (tz, horizon, site, all-clear)")
        if not rest:
            raise SpecError(f"`{word}` needs a value")
        value, rest = rest[0], rest[1:]
        if word == "tz":
            timezone = valid_timezone(value)
        elif word == "horizon":
            horizon = parse_horizon(value)
        else:
            site = value
    schedule.trigger(timezone or "UTC")  # a cron expression APScheduler refuses fails here
    return DigestSpec(schedule, timezone, horizon, site, all_clear)


def valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SpecError(f"`{name}` is not a time zone (e.g. Europe/Berlin, UTC)") from None
    return name


def _schedule(words: list[str]) -> tuple[Schedule, list[str]]:
    kind = words[0].lower()
    if kind in {"daily", "weekdays"}:
        if len(words) < 2 or not (match := TIME.fullmatch(words[1])):
            raise SpecError(f"`{kind}` needs a time such as 07:00")
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise SpecError(f"`{words[1]}` is not a time of day")
        return Schedule(f"{kind} {hour:02d}:{minute:02d}"), words[2:]
    if kind == "every":
        if len(words) < 2:
            raise SpecError("`every` needs an interval such as 2h or 30m")
        return Schedule(f"every {_canonical_interval(words[1])}"), words[2:]
    fields = words[1:] if kind == "cron" else words
    cron = [field.lower() for field in fields[:CRON_FIELDS]]
    # without the word `cron`, a cron expression starts with its minute: a number or `*`
    looks_like_cron = kind == "cron" or kind[0].isdigit() or kind[0] == "*"
    if (
        looks_like_cron
        and len(cron) == CRON_FIELDS
        and all(CRON_FIELD.fullmatch(field) for field in cron)
    ):
        try:
            CronTrigger.from_crontab(" ".join(cron))
        except ValueError as error:
            raise SpecError(f"`{' '.join(cron)}` is not a cron expression: {error}") from None
        return Schedule(f"cron {' '.join(cron)}"), fields[CRON_FIELDS:]
    raise SpecError(f"`{words[0]}` is not a schedule")


def _canonical_interval(text: str) -> str:
    interval = _interval(text.lower())
    hours, seconds = divmod(int(interval.total_seconds()), 3600)
    return f"{hours}h" if not seconds else f"{int(interval.total_seconds()) // 60}m"


def _interval(text: str) -> timedelta:
    match = EVERY.fullmatch(text)
    if not match:
        raise SpecError(f"`{text}` is not an interval such as 2h or 30m")
    amount = min(int(match[1]), OUT_OF_RANGE)  # timedelta overflows on huge numbers
    interval = timedelta(hours=amount) if match[2] == "h" else timedelta(minutes=amount)
    if not SHORTEST_INTERVAL <= interval <= LONGEST_INTERVAL:
        raise SpecError(f"`{text}`: the interval must be between 15m and {LONGEST_INTERVAL.days}d")
    return interval


def parse_horizon(text: str) -> timedelta:
    match = HORIZON.fullmatch(text.lower())
    if not match:
        raise SpecError(f"`{text}` is not a horizon such as 2d or 12h")
    amount = min(int(match[1]), OUT_OF_RANGE)
    horizon = timedelta(days=amount) if match[2] == "d" else timedelta(hours=amount)
    if not timedelta(hours=1) <= horizon <= LONGEST_HORIZON:
        raise SpecError(f"`{text}`: the horizon must be between 1h and {LONGEST_HORIZON.days}d")
    return horizon
