"""Text (typed, or what the recogniser heard) -> a command, deterministically, offline."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.conversation import language
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
from bot.conversation.grammar import Capture, full_match
from domain.statuses import PaperKind

MAX_TOKENS = 60
_MENTION = re.compile(r"<[@#!][^>]*>|@\w+")
_TOKEN = re.compile(r"\d{1,2}[:.]\d{2}(?:am|pm)?|[ap]\.m\.|\w+(?:'\w+)?", re.IGNORECASE)
_CONTRACTIONS = {"what's": "what is", "whats": "what is", "what're": "what are"}


def tokens(text: str) -> list[str]:
    """Words as the grammar sees them: mentions, punctuation and contractions undone."""
    words = _TOKEN.findall(_MENTION.sub(" ", text))
    return " ".join(_CONTRACTIONS.get(word.lower(), word) for word in words).split()


def parse(
    text: str, implied: str | None = None, max_tokens: int = MAX_TOKENS
) -> Command | NotUnderstood:
    """The command `text` says. `implied` is a verb to try in front: "release" for
    `/release P000123`, where the slash command already names the verb. `max_tokens`: a
    typed command may name more orders than a spoken one."""
    words = tokens(text)
    if len(words) > max_tokens:
        return NotUnderstood(text, "that is too long for a command")
    captures = full_match(language.COMMAND, words)
    if captures is None and implied:
        captures = full_match(language.COMMAND, [implied, *words])
    if captures is None:
        return NotUnderstood(text)
    found = _Found(captures)
    try:
        return _BUILDERS[str(found.last("kind"))](found)
    except ValueError as error:
        return NotUnderstood(text, str(error))


class _Found:
    """The captures of one parse, by name."""

    def __init__(self, captures: tuple[Capture, ...]) -> None:
        self.captures = captures

    def all(self, name: str) -> list[object]:
        return [value for found, value in self.captures if found == name]

    def last(self, name: str) -> object | None:
        values = self.all(name)
        return values[-1] if values else None

    def words(self, name: str) -> tuple[str, ...] | None:
        """The tokens a capture without a fixed value matched (the last one)."""
        value = self.last(name)
        return value if isinstance(value, tuple) else None

    def number(self, name: str) -> str | None:
        words = self.words(name)
        return language.spoken_number(words) if words else None


def _release(found: _Found) -> Command:
    return ReleaseOrders(
        orders=tuple(
            language.spoken_number(words)
            for words in found.all("order")
            if isinstance(words, tuple)
        ),
        papers=frozenset(paper for paper in found.all("paper") if isinstance(paper, PaperKind)),
    )


def _list(found: _Found) -> Command:
    site = found.number("site")
    horizon = found.last("horizon")
    return ListWaiting(
        site=site.upper() if site else None,
        horizon=horizon if isinstance(horizon, Horizon) else None,
    )


def _show(found: _Found) -> Command:
    return ShowOrder(found.number("order") or "")


def _digest(found: _Found) -> Command:
    frequency = found.last("frequency") or "daily"
    meridiem = found.last("meridiem")
    typed = found.words("time")
    if typed:
        hour, minute, typed_meridiem = _typed_time(typed[0])
        meridiem = meridiem or typed_meridiem
    else:
        hour = language.hour_value(found.words("hour") or ())
        minutes = found.words("minute")
        minute = language.minute_value(minutes) if minutes else 0
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} {meridiem} is not a time of day: use 1 to 12 am or pm")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    offset = found.words("minute_offset")
    if offset:  # "quarter to eight": 07:45
        hour, minute = divmod((hour * 60 + language.minute_offset(offset)) % (24 * 60), 60)
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour}:{minute:02d} is not a time of day: use HH:MM, like 07:00")
    return Digest(f"{frequency} {hour:02d}:{minute:02d}")


def _typed_time(text: str) -> tuple[int, int, str | None]:
    """ "7", "07:30", "7.30pm", "7am" -> (hour, minute, meridiem); the grammar checked the form."""
    found = re.fullmatch(r"(\d+)(?:[:.](\d+))?(am|pm)?", text.lower())
    if found is None:  # the grammar let through a form this does not read
        raise ValueError(f"{text} is not a time of day: use HH:MM, like 07:00")
    hour, minute, meridiem = found.groups()
    return int(hour), int(minute or 0), meridiem


_BUILDERS: dict[str, Callable[[_Found], Command]] = {
    "release": _release,
    "list": _list,
    "show": _show,
    "undo": lambda _: Undo(),
    "help": lambda _: Help(),
    "digest": _digest,
    "digest off": lambda _: Digest("off"),
}
