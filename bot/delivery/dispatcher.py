"""The outbox dispatcher: claims due messages, sends them, retries with backoff.

One thread per server process; several processes may run side by side, since rows
are claimed with a lease, renewed while a send is under way. Slack being down or
rate-limiting only delays a message: it stays in the database until it is sent,
also across restarts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError

from bot.slack.workspaces import Workspace, acting_for
from domain.outbox import Claimed, Outbox, Outgoing

log = logging.getLogger(__name__)

# Slack errors that sending again cannot fix
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "cannot_dm_bot",
        "invalid_blocks",
        "msg_too_long",
        "invalid_arguments",
    }
)


# Slack refusing our credentials: the messages are kept (parked) until someone sends them
# again after a reinstall (`releasebot outbox retry`), never retried on their own nor dropped
PARKING_ERRORS = frozenset({"missing_scope", "team_access_not_granted"})
# ... and those that refuse the token for everything: all sending stops at once
TOKEN_ERRORS = frozenset({"token_revoked", "invalid_auth", "account_inactive", "not_authed"})


@dataclass(frozen=True)
class Sent:
    """Slack took it: what it answered, and the messages that must follow this one."""

    result: dict[str, Any]
    then: list[Outgoing] = field(default_factory=list)


@dataclass(frozen=True)
class NotReady:
    """The message cannot be sent yet (its release is still running, its printer stopped):
    look again later; `then` is queued meanwhile (once each, by their keys)."""

    delay: timedelta
    then: list[Outgoing] = field(default_factory=list)


class Undeliverable(Exception):
    """Sending again cannot help (a printer queue that does not exist): give up and tell."""


class Sender(Protocol):
    def send(self, message: Claimed) -> Sent | NotReady: ...

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        """Messages that tell someone this one could not be delivered."""
        ...


@dataclass(frozen=True)
class Backoff:
    first: timedelta = timedelta(seconds=2)
    longest: timedelta = timedelta(minutes=5)

    def after(self, attempts: int) -> timedelta:
        return min(self.first * 2 ** max(attempts - 1, 0), self.longest)


DEFAULT_BACKOFF = Backoff()


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        senders: Mapping[str, Sender],
        backoff: Backoff = DEFAULT_BACKOFF,
        idle_poll: float = 5.0,
        under: str | None = None,
    ) -> None:
        self._outbox = outbox
        self._under = under  # only the messages whose keys start so (a command's own)
        self._senders = senders
        self._backoff = backoff
        self._idle_poll = idle_poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="outbox-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def queue(self, messages: Sequence[Outgoing]) -> None:
        """Queue messages of their own (no change of the domain with them) and send them now;
        one already queued under its key is not queued again."""
        self._outbox.queue(messages)
        self.wake()

    def hold(self, reason: str) -> int:
        """Stop sending at once: every queued message parked (see Outbox.hold)."""
        return self._outbox.hold(reason)

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database is away: keep the thread, try again later
                log.exception("outbox dispatch failed")
                busy = 0
            if busy:
                continue
            self._wake.wait(self._seconds_to_next())
            self._wake.clear()

    def _seconds_to_next(self) -> float:
        try:
            due = self._outbox.next_due()
        except Exception:
            return self._idle_poll
        if due is None:
            return self._idle_poll
        return min(max((due - datetime.now(UTC)).total_seconds(), 0.05), self._idle_poll)

    def run_once(self) -> int:
        """Send the next due message; returns how many were handled (0 or 1).

        One at a time: a batch would hold leases on messages waiting behind a slow send,
        which another replica could be sending meanwhile.
        """
        claimed = self._outbox.claim(limit=1, under=self._under)
        for message in claimed:
            self._deliver(message)
        return len(claimed)

    def _deliver(self, message: Claimed) -> None:
        """Send with the token of the workspace the message belongs to (bot/slack/workspaces.py)."""
        workspace = None
        if message.enterprise_id is not None or message.team_id is not None:
            workspace = Workspace(message.enterprise_id, message.team_id)
        with acting_for(workspace):
            self._deliver_as(message)

    def _deliver_as(self, message: Claimed) -> None:
        sender = self._senders.get(message.kind)
        if sender is None:
            self._outbox.give_up(message, f"no sender for messages of kind {message.kind!r}")
            return
        try:
            with self._holding(message):
                outcome = sender.send(message)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in TOKEN_ERRORS | PARKING_ERRORS:
                log.warning("parking %s: %s", message.dedupe_key, code)
                # one workspace's token refused (several installed): only its message
                workspace_only = message.team_id is not None or message.enterprise_id is not None
                self._outbox.park(message, code, hold=code in TOKEN_ERRORS and not workspace_only)
                return
            if code in PERMANENT_ERRORS:
                log.warning("giving up on %s: %s", message.dedupe_key, code)
                self._outbox.give_up(message, code)
                self._outbox.queue(sender.gave_up(message, code))
                return
            self._retry(message, f"slack: {code or error.response.status_code}")
            return
        except Undeliverable as error:
            log.warning("giving up on %s: %s", message.dedupe_key, error)
            self._outbox.give_up(message, str(error))
            self._outbox.queue(sender.gave_up(message, str(error)))
            return
        except Exception as error:  # connection errors, timeouts, a paper that failed to render
            self._retry(message, f"{type(error).__name__}: {error}")
            return
        if isinstance(outcome, NotReady):
            self._outbox.retry_later(message, outcome.delay, then=outcome.then)
        else:
            self._outbox.sent(message, outcome.result, outcome.then)

    @contextmanager
    def _holding(self, message: Claimed) -> Iterator[None]:
        """Renew the lease every third of it while the send lasts (a big paper, a slow Slack),
        so that no other dispatcher claims the message and posts it a second time."""
        done = threading.Event()
        every = self._outbox.lease.total_seconds() / 3

        def renew() -> None:
            while not done.wait(every):
                try:
                    if not self._outbox.renew(message):
                        log.warning("lost the lease of %s while sending it", message.dedupe_key)
                        return
                except Exception:  # the database is away: the next turn may reach it
                    log.warning("could not renew the lease of %s", message.dedupe_key)

        renewer = threading.Thread(target=renew, name="outbox-lease", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            done.set()
            renewer.join()

    def _retry(self, message: Claimed, error: str) -> None:
        delay = self._backoff.after(message.attempts)
        log.warning(
            "%s not sent (%s); next try in %.0fs", message.dedupe_key, error, delay.total_seconds()
        )
        self._outbox.retry_later(message, delay, error)
