"""Releasing from several workspaces, and from the workspaces of an org installed org-wide,
over signed HTTP with the install flow: each release is made for the workspace it was asked
in (its sites) and everything it posts later goes with that workspace's token."""

from __future__ import annotations

import urllib.parse
from typing import Any

from config import ReleasePermissions
from domain.statuses import OrderStatus
from tests.e2e.slack.conftest import CHANNEL, Bot
from tests.e2e.slack.payloads import state_values, view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_install import ORG, home_text, install, install_flow
from tests.e2e.slack.test_release_flow import plant, status_of

ADMIN = "UADMIN"
ENTERPRISE = "E1"  # the org installed org-wide (test_install.ORG)


def org_wide(team: str) -> dict[str, Any]:
    """What an event from `team` carries when the app is installed on its org."""
    authorization = {"enterprise_id": ENTERPRISE, "team_id": None, "is_enterprise_install": True}
    return {"team_id": team, "authorizations": [authorization]} | {
        "enterprise_id": ENTERPRISE,
        "is_enterprise_install": True,
    }


def from_team(payload: dict[str, Any], team: str, org: bool) -> dict[str, Any]:
    """An interactivity payload as a person of `team` (of the org, `org`) sends it."""
    payload = payload | {"team": {"id": team, "domain": team.lower()}}
    payload["user"] = payload["user"] | {"team_id": team}
    if "view" in payload:
        payload["view"] = payload["view"] | {"team_id": team}
    if org:
        payload["team"]["enterprise_id"] = ENTERPRISE
        payload |= {"enterprise": {"id": ENTERPRISE}, "is_enterprise_install": True}
    return payload


def release_from(
    bot: Bot,
    slack: SlackStandIn,
    team: str,
    orders: list[str],
    user: str,
    org: bool = False,
    papers: tuple[str, ...] = ("picking_list",),
) -> None:
    """`/release ORDERS` typed in `team`, reviewed and confirmed there by `user`."""
    command = {
        "token": "legacy",
        "team_id": team,
        "channel_id": CHANNEL,
        "user_id": user,
        "command": "/release",
        "text": " ".join(orders),
        "trigger_id": "1337.42.abcd",
        "response_url": "https://hooks.invalid/commands/1",
    }
    if org:
        command |= {"enterprise_id": ENTERPRISE, "is_enterprise_install": "true"}
    opened = len(slack.ok_calls("views.open"))
    assert bot.post(urllib.parse.urlencode(command)).status_code == 200
    modal = slack.wait_for("views.open", count=opened + 1)[-1].args["view"]
    values = state_values(modal, orders, list(papers), CHANNEL)
    review = bot.interact(from_team(view_submission(modal, values, user=user), team, org))
    confirmation = review.json()
    assert confirmation["response_action"] == "update", confirmation
    confirm = view_submission(confirmation["view"], user=user, view_id=f"V{team}{opened}")
    assert bot.interact(from_team(confirm, team, org)).status_code == 200


def test_inside_an_org_each_workspace_releases_for_the_sites_its_team_is_narrowed_to(
    engine, database_url: str, slack: SlackStandIn
) -> None:
    """Installed org-wide, the org's token serves every workspace, and the sites are still
    narrowed per workspace: by the team the request came from (T7), else by the org (E1)."""
    permissions = ReleasePermissions(admins=[ADMIN], workspaces={"T7": ["2"], ENTERPRISE: ["1"]})
    with install_flow(database_url, slack, release_permissions=permissions) as bot:
        install(bot, slack, ORG)
        plant(bot)

        assert "Yours to release: site 2." in home_text(bot, slack, "T7", ADMIN, **org_wide("T7"))
        assert "Yours to release: site 1." in home_text(bot, slack, "T8", ADMIN, **org_wide("T8"))

        release_from(bot, slack, "T7", ["P000001", "P000003"], ADMIN, org=True)
        slack.wait_for("chat.postMessage", channel=CHANNEL)
        assert status_of(bot, "P000003") is OrderStatus.RELEASED  # site 2
        assert status_of(bot, "P000001") is OrderStatus.SCHEDULED  # site 1: not from T7
        release_from(bot, slack, "T8", ["P000001"], ADMIN, org=True)
        posted = slack.wait_for("chat.postMessage", count=2, channel=CHANNEL)

        assert status_of(bot, "P000001") is OrderStatus.RELEASED
    assert [call.args["text"] for call in posted] == [
        f"Release R000001 by <@{ADMIN}>: 1 order released",
        f"Release R000002 by <@{ADMIN}>: 1 order released",
    ]
