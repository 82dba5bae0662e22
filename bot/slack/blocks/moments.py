"""Dates and times as one person reads them: their locale's forms (Babel, from Slack's
`users.info` locale) in their time zone. The words around them stay English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time

ENGLISH = Locale.parse("en_US")


def in_utc(moment: datetime) -> str:
    """A time where many read it (a channel): English, UTC as stored, `Mon 30 Nov 06:00`."""
    return f"{moment:%a %d %b %H:%M}"


@dataclass(frozen=True)
class Moments:
    locale: Locale
    timezone: str

    @classmethod
    def of(cls, slack_locale: str | None, timezone: str) -> Moments:
        """Slack writes locales like `de-DE`; one Babel does not know reads as en-US, a time
        zone that does not exist as UTC."""
        try:
            locale = Locale.parse((slack_locale or "en-US").replace("-", "_"))
        except (ValueError, TypeError, UnknownLocaleError):
            locale = ENGLISH
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            timezone = "UTC"
        return cls(locale, timezone)

    def at(self, moment: datetime) -> str:
        """`Mo., 30. Nov. 07:00` for de-DE in Berlin, `Mon, Nov 30 7:00 AM` for en-US."""
        zone = ZoneInfo(self.timezone)
        day = format_skeleton("MMMEd", moment, tzinfo=zone, locale=self.locale, fuzzy=True)
        time = format_time(moment, "short", tzinfo=zone, locale=self.locale)
        return f"{day} {time}"
