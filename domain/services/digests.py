"""Digests and their subscriptions as use cases: subscribe a channel, list and end its
digests, read a digest, and post one time slot's digest (claim, gather, queue) in one
transaction, so that a slot is claimed with its message in the outbox or not at all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from domain.digests.content import SHOWN, Digest, waiting_digest
from domain.digests.slots import claim_slot
from domain.digests.spec import DigestSpec
from domain.digests.subscriptions import (
    Subscription,
    active_subscriptions,
    end_subscriptions,
    subscribe,
)
from domain.outbox import Outgoing, enqueue

# the message a digest is posted as, None when it says nothing (nothing waits, no
# all-clear); a pure function of the digest, called inside the slot's transaction
DigestMessage = Callable[[Digest], Outgoing | None]


class Digests:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def subscribe(
        self,
        channel: str,
        spec: DigestSpec,
        timezone: str,
        user: str,
        now: datetime,
        workspace: tuple[str | None, str | None] = (None, None),
    ) -> tuple[Subscription, bool]:
        """The channel's subscription to this spec, made now unless it exists (then False);
        `SpecError` for a site that is not there."""
        with self._sessions.begin() as session:
            return subscribe(session, channel, spec, timezone, user, now, workspace)

    def active(self, channel: str | None = None) -> list[Subscription]:
        """The subscriptions not ended (the channel's, when given), oldest first."""
        with self._sessions() as session:
            return active_subscriptions(session, channel)

    def end(
        self, channel: str, user: str, now: datetime, ids: Sequence[int] = ()
    ) -> list[Subscription]:
        """End the channel's subscriptions (only those numbered `ids`, when given)."""
        with self._sessions.begin() as session:
            return end_subscriptions(session, channel, user, now, ids)

    def waiting(
        self, now: datetime, horizon: timedelta, site: str | None = None, limit: int = SHOWN
    ) -> Digest:
        """The digest at `now` of the orders starting within `horizon` (at `site`), the
        `limit` most urgent of them shown."""
        with self._sessions() as session:
            return waiting_digest(session, now, horizon, site, limit=limit)

    def post(
        self,
        subscription: Subscription,
        slot: datetime,
        replica: str,
        now: datetime,
        message: DigestMessage,
    ) -> Digest | None:
        """Claim the slot for `replica`, gather its digest and queue its message; None
        when another replica has the slot or the subscription has ended."""
        with self._sessions.begin() as session:
            run = claim_slot(session, subscription.id, slot, replica, now)
            if run is None:
                return None
            digest = waiting_digest(session, now, subscription.horizon, subscription.site)
            outgoing = message(digest)
            run.order_count = digest.total
            run.posted = outgoing is not None
            if outgoing is not None:
                enqueue(session, [outgoing], now)
        return digest
