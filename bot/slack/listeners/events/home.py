"""`app_home_opened`: publish the person's App Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.slack import envelope
from bot.slack.blocks.home import SHOWN_ORDERS, SHOWN_RELEASES, home_view
from bot.slack.blocks.moments import Moments
from domain.clock import utc_now


def opened_tab(tab: str) -> Callable[[dict[str, Any]], bool]:
    """Matches `app_home_opened` for one tab (Slack leaves `tab` out for the Home tab)."""

    def matches(event: dict[str, Any]) -> bool:
        return event.get("tab", "home") == tab

    return matches


def home_opened(event: dict[str, Any], client: WebClient, services: BotDependencies) -> None:
    person = envelope.from_person(event.get("user"), event.get("channel"))
    if person is None:
        return
    user = person[0]
    sites = services.directory.sites(user)
    moments = Moments.of(services.directory.locale(user), services.directory.timezone(user))
    home = services.runtime.home.home(user, sites, SHOWN_ORDERS, SHOWN_RELEASES)
    releases = [
        f"*{r.number}* {moments.at(r.requested_at)}: "
        f"{len(r.released)} released, {len(r.refused)} refused"
        for r in home.releases
    ]
    client.views_publish(
        user_id=user,
        view=home_view(
            home.orders,
            home.total,
            utc_now(),
            sites,
            releases,
            home.digests,
            moments,
            home.checks,
        ).to_dict(),
    )


def register(app: App) -> None:
    app.event("app_home_opened", matchers=[opened_tab("home")])(home_opened)
