"""A person's App Home: the orders waiting at their sites with what stands in the way of
each, their recent releases, and the channels' digests, read in one session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import ShortagePolicy
from domain.decision import Ask
from domain.digests.subscriptions import Subscription, active_subscriptions
from domain.model import Release
from domain.queries import OrderFilter, OrderSummary, search_orders
from domain.release_record import ReleaseRecord, release_record
from domain.services.materials import AvailabilityReport, check_availability
from domain.statuses import OrderStatus


@dataclass(frozen=True)
class Home:
    orders: list[OrderSummary]  # the most urgent waiting at the person's sites
    total: int  # how many wait there, as `search_orders` counts
    checks: dict[str, AvailabilityReport]  # by order number
    releases: list[ReleaseRecord]  # the person's latest releases, newest first
    digests: list[Subscription]  # every channel's


class HomeQuery:
    def __init__(self, sessions: sessionmaker[Session], policy: ShortagePolicy) -> None:
        self._sessions = sessions
        self._policy = policy

    def home(self, user_id: str, sites: frozenset[str] | None, orders: int, releases: int) -> Home:
        """`sites`: those the person may release for (None: all; none: they may only look,
        at every site's); `orders`, `releases`: how many of each to show."""
        wanted = OrderFilter(status=OrderStatus.SCHEDULED, sites=sites or None)
        with self._sessions() as session:
            shown, total = search_orders(session, wanted, "", orders)
            # the list is the person's sites already: what else stands in the way of each
            checks = check_availability(
                session, [order.number for order in shown], Ask(policy=self._policy)
            )
            ids = session.scalars(
                select(Release.id)
                .where(Release.requester_id == user_id)
                .order_by(Release.id.desc())
                .limit(releases)
            ).all()
            records = [release_record(session, release_id) for release_id in ids]
            digests = active_subscriptions(session)
        return Home(
            orders=shown,
            total=total,
            checks={check.order_number: check for check in checks},
            releases=[record for record in records if record is not None],
            digests=digests,
        )
