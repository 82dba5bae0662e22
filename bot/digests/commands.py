"""`/release digest …`: subscribe a channel, list its digests, end them.

`DigestCommands.handle(text, user, channel)` answers with the text to show the person;
the slash command and chat messages both call it. A spec that does not parse saves
nothing and is answered with examples.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.slack.directory import Directory
from bot.slack.workspaces import current
from domain.clock import Clock, utc_now
from domain.digests.spec import SpecError, parse_spec
from domain.digests.subscriptions import Subscription
from domain.services.digests import Digests

EXAMPLES = """*`/release digest`* posts the orders waiting for release here, on a schedule:
• `/release digest daily 07:00`: every day at 7:00 in your Slack time zone
• `/release digest weekdays 06:30 tz Europe/Berlin`: Monday to Friday, Berlin time
• `/release digest every 2h horizon 2d site 1`: every 2 hours, orders starting within \
2 days, site 1 only (the horizon is 1d unless you say)
• `/release digest 0 7 * * 1-5`: a cron expression (minute hour day month weekday)
• add `all-clear` to get a line also when nothing waits
• `/release digest` lists this channel's digests; `/release digest off` ends them all, \
`/release digest off 3` ends number 3"""


class DigestCommands:
    def __init__(
        self,
        digests: Digests,
        directory: Directory,
        changed: Callable[[], None],
        clock: Clock = utc_now,
    ) -> None:
        self._digests = digests
        self._directory = directory
        self._changed = changed
        self._clock = clock

    def handle(self, text: str, user: str, channel: str) -> str:
        """The answer to `/release digest <text>` from `user` in `channel`."""
        words = text.split()
        first = words[0].lower() if words else "list"
        if first == "list":
            return self._list(channel)
        if first == "help":
            return EXAMPLES
        if first == "off":
            return self._off(words[1:], user, channel)
        try:
            return self._subscribe(text, user, channel)
        except SpecError as error:
            return f"I could not read that digest: {error}. Nothing was saved.\n\n{EXAMPLES}"

    def _subscribe(self, text: str, user: str, channel: str) -> str:
        spec = parse_spec(text)
        timezone = spec.timezone or self._directory.timezone(user)
        now = self._clock()
        acting_for = current()  # the workspace it was asked in posts it (bot/slack/workspaces.py)
        workspace = (acting_for.enterprise_id, acting_for.team_id) if acting_for else (None, None)
        subscription, created = self._digests.subscribe(
            channel, spec, timezone, user, now, workspace
        )
        if not created:
            return f"<#{channel}> has that digest already: {_line(subscription)}"
        self._changed()
        return (
            f"Subscribed <#{channel}>: {_line(subscription)}. "
            f"The first comes {_next(subscription, now)}."
        )

    def _list(self, channel: str) -> str:
        subscriptions = self._digests.active(channel)
        if not subscriptions:
            return f"<#{channel}> has no digests.\n\n{EXAMPLES}"
        now = self._clock()
        lines = [f"• {_line(s)}, next {_next(s, now)}" for s in subscriptions]
        return f"Digests of <#{channel}>:\n" + "\n".join(lines)

    def _off(self, words: list[str], user: str, channel: str) -> str:
        if not all(word.isdigit() for word in words):
            return (
                f"`off` takes digest numbers, not `{' '.join(words)}`: "
                "`/release digest` lists them. Nothing was ended."
            )
        ended = self._digests.end(channel, user, self._clock(), [int(word) for word in words])
        if not ended:
            return f"<#{channel}> has no such digests; nothing was ended."
        self._changed()
        return f"Ended in <#{channel}>:\n" + "\n".join(f"• {_line(s)}" for s in ended)


def _line(subscription: Subscription) -> str:
    return f"number {subscription.id}, {subscription.describe()} (by <@{subscription.created_by}>)"


def _next(subscription: Subscription, now: datetime) -> str:
    fire = subscription.schedule.trigger(subscription.timezone).get_next_fire_time(None, now)
    if fire is None:
        return "never"
    return f"{fire.astimezone(ZoneInfo(subscription.timezone)):%a %d %b %H:%M %Z}"
