"""Posting one time slot's digest as a Slack message.

The digests use case claims the slot, gathers the orders and queues the message in one
transaction, so a slot is either claimed with its message in the outbox or not claimed
at all; a second replica's claim of the same slot finds it taken and posts nothing.
Here the digest becomes that message.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime

from bot.delivery import kinds
from bot.slack.blocks.digest import digest_message
from bot.slack.workspaces import Workspace, acting_for
from domain.clock import Clock, utc_now
from domain.digests.content import Digest
from domain.digests.subscriptions import Subscription
from domain.outbox import Outgoing
from domain.services.digests import Digests

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
        digests: Digests,
        queued: Callable[[], None],
        clock: Clock = utc_now,
        replica: str | None = None,
    ) -> None:
        self._digests = digests
        self._queued = queued
        self._clock = clock
        self._replica = replica or replica_name()

    def post(self, subscription: Subscription, slot: datetime) -> bool:
        """Post the slot's digest unless another replica has; True when this one claimed it."""

        def message(digest: Digest) -> Outgoing | None:
            text = digest_message(digest, subscription.timezone, subscription.all_clear)
            if text is None:
                return None
            with acting_for(workspace_of(subscription)):
                return kinds.digest(
                    subscription.id,
                    slot,
                    subscription.channel,
                    subscription.created_by,
                    text.text,
                    text.blocks,
                )

        digest = self._digests.post(subscription, slot, self._replica, self._clock(), message)
        if digest is None:
            return False
        log.info("digest %s of %s: %d orders", subscription.id, slot, digest.total)
        self._queued()
        return True
