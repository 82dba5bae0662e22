"""Several workspaces, and the workspaces of an org installed org-wide, over signed HTTP and
the real command line with the install flow: a release is made for the workspace it was
asked in (its sites), and what the command line queues or sends again is a workspace's."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from config import ReleasePermissions
from domain.digests.spec import parse_spec
from domain.digests.subscriptions import subscribe
from domain.model import OutboxMessage, Release
from domain.statuses import OrderStatus, OutboxStatus
from tests.e2e.slack.conftest import CHANNEL, GROUP_MEMBER, PLANNER, Bot
from tests.e2e.slack.payloads import button, state_values, view_submission
from tests.e2e.slack.process import RELEASEBOT, serve_env
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_install import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG,
    PLANT_1,
    PLANT_2,
    home_text,
    install,
    install_flow,
    open_tab,
)
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


def releasebot(
    tmp_path: Path, database_url: str, slack: SlackStandIn, *args: str, installs: bool = True
) -> subprocess.CompletedProcess[str]:
    """The command line on the bot's database, with the install flow (`installs`) or with
    one SLACK_BOT_TOKEN, talking to the stand-in."""
    flow = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    env = serve_env(
        tmp_path,
        DATABASE_URL=database_url,
        SLACK_API_URL=slack.api_url,
        COLUMNS="250",
        **(flow if installs else {"SLACK_BOT_TOKEN": "xoxb-test"}),
    )
    answer = subprocess.run(
        [RELEASEBOT, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert "Traceback" not in answer.stderr, answer.stderr
    return answer


def rows(bot: Bot) -> list[tuple[str | None, OutboxStatus]]:
    with bot.sessions() as session:
        found = session.execute(select(OutboxMessage.team_id, OutboxMessage.status)).all()
    return sorted((team, status) for team, status in found)


def test_outbox_retry_with_team_sends_that_workspaces_parked_messages_only(
    engine, database_url: str, slack: SlackStandIn, tmp_path: Path
) -> None:
    with install_flow(database_url, slack) as bot:
        install(bot, slack, PLANT_1)
        install(bot, slack, PLANT_2)
        slack.fail("chat.postMessage", 200, times=2, error="missing_scope")  # both parked
        open_tab(bot, slack, "T1", tab="messages", user=PLANNER)
        open_tab(bot, slack, "T2", tab="messages", user="UBOB")
        deadline = time.monotonic() + 20
        parked = [("T1", OutboxStatus.PARKED), ("T2", OutboxStatus.PARKED)]
        while rows(bot) != parked:
            assert time.monotonic() < deadline, rows(bot)
            time.sleep(0.05)

        listed = releasebot(tmp_path, database_url, slack, "outbox", "--team", "T2", "--json")
        table = releasebot(tmp_path, database_url, slack, "outbox")
        retried = releasebot(tmp_path, database_url, slack, "outbox", "retry", "--team", "T2")
        [sent] = slack.wait_for("chat.postMessage")
        time.sleep(0.5)  # T1's would be sent as soon

        assert [m["team_id"] for m in json.loads(listed.stdout)["messages"]] == ["T2"]
        assert "Workspace" in table.stdout and "T1" in table.stdout
        assert "1 parked message of T2 queued again" in retried.stdout
        assert sent.args["channel"] == "DHOME" and sent.token in slack.issued
        assert slack.issued[sent.token].team_id == "T2"
        assert rows(bot) == [("T1", OutboxStatus.PARKED), ("T2", OutboxStatus.SENT)]

    single = releasebot(tmp_path, database_url, slack, "outbox", "--team", "T2", installs=False)
    assert single.returncode == 2
    assert "releasebot runs on one SLACK_BOT_TOKEN here" in single.stderr


def test_a_digest_posted_from_the_command_line_goes_to_a_workspace(
    engine, database_url: str, slack: SlackStandIn, tmp_path: Path
) -> None:
    """A digest asked in a workspace posts there; one asked before the install flow (no
    workspace) needs --team once there are several, and posts in that one."""
    with install_flow(database_url, slack) as bot:
        install(bot, slack, PLANT_1)
        plant_2 = install(bot, slack, PLANT_2)
        bot.command("digest daily 07:00 all-clear", team="T2")

        def post(*team: str) -> subprocess.CompletedProcess[str]:
            return releasebot(
                tmp_path, database_url, slack, "digest", "--channel", CHANNEL, "--post", *team
            )

        asked_in_t2 = post()
        with bot.sessions.begin() as session:  # a channel subscribed before the install flow
            spec = parse_spec("weekdays 06:30 all-clear")
            subscribe(session, "COLD", spec, "UTC", PLANNER, datetime.now(UTC))
        old = releasebot(tmp_path, database_url, slack, "digest", "--channel", "COLD", "--post")
        unknown = releasebot(
            tmp_path, database_url, slack, "digest", "--channel", "COLD", "--post", "--team", "T9"
        )
        with_team = releasebot(
            tmp_path, database_url, slack, "digest", "--channel", "COLD", "--post", "--team", "T1"
        )

    assert asked_in_t2.returncode == 0, asked_in_t2.stderr
    assert old.returncode == 2
    assert "installed in 2 workspaces: say which with --team (Plant 1 (T1), Plant 2 (T2))" in (
        old.stderr
    )
    assert unknown.returncode == 2 and "--team T9: releasebot is not installed there" in (
        unknown.stderr
    )
    assert with_team.returncode == 0, with_team.stderr
    posts = slack.ok_calls("chat.postMessage")
    assert [(call.args["channel"], call.token) for call in posts] == [
        (CHANNEL, plant_2),
        ("COLD", next(t for t, grant in slack.issued.items() if grant.team_id == "T1")),
    ]
    with bot.sessions() as session:
        stored = session.execute(select(OutboxMessage.team_id).order_by(OutboxMessage.id))
        assert list(stored.scalars()) == ["T2", "T1"]


def test_what_a_release_posts_later_goes_with_the_token_of_the_workspace_it_came_from(
    engine, database_url: str, slack: SlackStandIn
) -> None:
    """Two workspaces release: each result message and its papers go with that workspace's
    token, and so does the update when the release is undone from the other workspace (an
    admin in a channel both share): plant 1's bot posted that message, only it may edit it."""
    with install_flow(database_url, slack) as bot:
        plant_1 = install(bot, slack, PLANT_1)
        plant_2 = install(bot, slack, PLANT_2)
        plant(bot)

        release_from(bot, slack, "T1", ["P000001"], PLANNER)  # site 1
        slack.wait_for("chat.postMessage", channel=CHANNEL)
        release_from(bot, slack, "T2", ["P000003"], GROUP_MEMBER)  # site 2, through the group
        results = slack.wait_for("chat.postMessage", count=2, channel=CHANNEL)
        papers = slack.wait_for("files.completeUploadExternal", count=2)
        undo = from_team(button("undo_release", "R000001", user=ADMIN), "T2", org=False)
        assert bot.interact(undo).status_code == 200
        [updated] = slack.wait_for("chat.update")

        with bot.sessions() as session:
            asked_in = session.execute(select(Release.team_id).order_by(Release.id)).all()
    assert [team for (team,) in asked_in] == ["T1", "T2"]
    first, second = results
    assert (first.token, second.token) == (plant_1, plant_2)
    assert first.args["text"].startswith("Release R000001 ")
    thread_tokens = {call.args["thread_ts"]: call.token for call in papers}
    assert thread_tokens == {first.response["ts"]: plant_1, second.response["ts"]: plant_2}
    assert (updated.args["ts"], updated.token) == (first.response["ts"], plant_1)
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
