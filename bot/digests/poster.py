"""Posting one time slot's digest: claim the slot, gather the orders, queue the message.

All three happen in one transaction, so a slot is either claimed with its message in
the outbox or not claimed at all; a second replica's claim of the same slot finds it
taken and posts nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import kinds
from bot.views.digest import digest_message
from bot.workspaces import Workspace, acting_for
from domain.digests.content import waiting_digest
from domain.digests.slots import claim_slot
from domain.digests.subscriptions import Subscription
from domain.outbox import enqueue
from domain.services.release import Clock, utc_now

log = logging.getLogger(__name__)


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def workspace_of(subscription: Subscription) -> Workspace | None:
    """The workspace a subscription was asked in; None with one token for all."""
    if subscription.enterprise_id is None and subscription.team_id is None:
        return None
    return Workspace(subscription.enterprise_id, subscription.team_id)


class DigestPoster:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        queued: Callable[[], None],
        clock: Clock = utc_now,
        replica: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._queued = queued
        self._clock = clock
        self._replica = replica or replica_name()

    def post(self, subscription: Subscription, slot: datetime) -> bool:
        """Post the slot's digest unless another replica has; True when this one claimed it."""
        now = self._clock()
        with self._sessions.begin() as session:
            run = claim_slot(session, subscription.id, slot, self._replica, now)
            if run is None:
                return False
            digest = waiting_digest(session, now, subscription.horizon, subscription.site)
            message = digest_message(digest, subscription.timezone, subscription.all_clear)
            run.order_count = digest.total
            run.posted = message is not None
            if message is not None:
                with acting_for(workspace_of(subscription)):
                    outgoing = kinds.digest(
                        subscription.id,
                        slot,
                        subscription.channel,
                        subscription.created_by,
                        message.text,
                        message.blocks,
                    )
                enqueue(session, [outgoing], now)
        log.info("digest %s of %s: %d orders", subscription.id, slot, digest.total)
        self._queued()
        return True
