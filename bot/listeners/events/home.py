"""`app_home_opened`: publish the person's App Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import select

from bot import envelope
from bot.services import BotServices
from bot.views.home import SHOWN_ORDERS, SHOWN_RELEASES, home_view
from bot.views.moments import Moments
from domain.decision import Ask
from domain.digests.subscriptions import active_subscriptions
from domain.model import Release
from domain.queries import OrderFilter, search_orders
from domain.release_record import release_record
from domain.services.materials import check_availability
from domain.services.release import utc_now
from domain.statuses import OrderStatus


def opened_tab(tab: str) -> Callable[[dict[str, Any]], bool]:
    """Matches `app_home_opened` for one tab (Slack leaves `tab` out for the Home tab)."""

    def matches(event: dict[str, Any]) -> bool:
        return event.get("tab", "home") == tab

    return matches


def register(app: App, services: BotServices) -> None:
    @app.event("app_home_opened", matchers=[opened_tab("home")])
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        person = envelope.from_person(event.get("user"), event.get("channel"))
        if person is None:
            return
        user = person[0]
        sites = services.directory.sites(user)
        moments = Moments.of(services.directory.locale(user), services.directory.timezone(user))
        wanted = OrderFilter(status=OrderStatus.SCHEDULED, sites=sites or None)
        with services.runtime.sessions() as session:
            orders, total = search_orders(session, wanted, "", SHOWN_ORDERS)
            # the list is the person's sites already: what else stands in the way of each
            ask = Ask(policy=services.runtime.settings.shortage_policy)
            checks = check_availability(session, [order.number for order in orders], ask)
            ids = session.scalars(
                select(Release.id)
                .where(Release.requester_id == user)
                .order_by(Release.id.desc())
                .limit(SHOWN_RELEASES)
            ).all()
            records = [release_record(session, release_id) for release_id in ids]
            digests = active_subscriptions(session)
        releases = [
            f"*{r.number}* {moments.at(r.requested_at)}: "
            f"{len(r.released)} released, {len(r.refused)} refused"
            for r in records
            if r is not None
        ]
        client.views_publish(
            user_id=user,
            view=home_view(
                orders,
                total,
                utc_now(),
                sites,
                releases,
                digests,
                moments,
                {check.order_number: check for check in checks},
            ).to_dict(),
        )
