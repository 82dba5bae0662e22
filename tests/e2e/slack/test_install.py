"""The install flow over HTTP, without a browser: the install page sets the state cookie,
Slack's redirect brings a code, oauth.v2.access turns it into the workspace's (or org's)
bot token, stored by slack_sdk's store in releasebot's database; each workspace's requests
are then answered with its own token."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select, text

from bot.digests.poster import DigestPoster
from bot.slack.installations import BOT_SCOPES, installation_store
from config import ReleasePermissions
from domain.digests.subscriptions import active_subscriptions
from domain.model import OutboxMessage
from domain.outbox import current_hold
from domain.statuses import OutboxStatus
from tests.concurrently import at_once
from tests.e2e.slack.conftest import CHANNEL, PLANNER, Bot, Endpoint, serve, signed_headers
from tests.e2e.slack.process import RELEASEBOT, serve_env, slack_env, start_server
from tests.e2e.slack.standin import Grant, SlackStandIn
from tests.e2e.slack.test_guarantees import first_post_tried

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret"
COOKIE = "slack-app-oauth-state"
PLANT_1 = Grant("T1", "Plant 1")
PLANT_2 = Grant("T2", "Plant 2")
ORG = Grant(None, enterprise_id="E1", enterprise_name="Acme Group", org=True)


@contextmanager
def install_flow(database_url: str, slack: SlackStandIn, **settings: Any) -> Iterator[Bot]:
    """`serve` with the install flow (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET), no bot token;
    `settings` override the others."""
    started, served = serve(
        database_url,
        slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        **settings,
    )
    try:
        yield started
    finally:
        served.stop()
        started.services.runtime.engine.dispose()


@pytest.fixture
def installer(engine, database_url: str, slack: SlackStandIn) -> Iterator[Bot]:
    with install_flow(database_url, slack) as started:
        yield started


def begin(bot: Endpoint) -> tuple[str, dict[str, str]]:
    """Open the install page: its Add to Slack link's state, and the cookie set with it (a
    Secure cookie, which the browser sends back over the HTTPS of a real deployment)."""
    page = requests.get(f"{bot.url}/slack/install", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    [link] = re.findall(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
    query = parse_qs(urlsplit(unescape(link)).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)
    [state] = query["state"]
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}={state};")
    assert {"Secure", "HttpOnly", "Max-Age=600"} <= {part.strip() for part in cookie.split(";")}
    return state, {COOKIE: state}


def come_back(bot: Endpoint, code: str, state: str, cookies: Any) -> requests.Response:
    """The browser sent back by Slack to the redirect URL."""
    return requests.get(
        f"{bot.url}/slack/oauth_redirect",
        params={"code": code, "state": state},
        cookies=cookies,
        timeout=30,
    )


def install(bot: Endpoint, slack: SlackStandIn, grant: Grant) -> str:
    """The whole install in `grant`'s workspace or org; the bot token it got."""
    state, cookies = begin(bot)
    answer = come_back(bot, slack.approve_install(grant), state, cookies)
    assert answer.status_code == 200, answer.text
    assert "releasebot is installed" in answer.text
    exchange = slack.ok_calls("oauth.v2.access")[-1]
    return str(exchange.response["access_token"])


def stored_bot(bot: Bot, grant: Grant) -> Any:
    store = installation_store(bot.services.runtime)
    return store.find_bot(
        enterprise_id=grant.enterprise_id, team_id=grant.team_id, is_enterprise_install=grant.org
    )


def open_tab(
    bot: Endpoint,
    slack: SlackStandIn,
    team: str,
    tab: str = "home",
    user: str = PLANNER,
    **envelope: Any,
) -> None:
    """`app_home_opened` on `tab` by `user` of `team`, signed as Slack sends it."""
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": team,
            "api_app_id": "A1",
            "event_id": f"Ev{tab}{team}{len(slack.calls)}",
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": "DHOME", "tab": tab},
            **envelope,
        }
    )
    headers = signed_headers(body) | {"Content-Type": "application/json"}
    assert bot.post(body, headers).status_code == 200


def open_home(
    bot: Bot, slack: SlackStandIn, team: str, user: str = PLANNER, **envelope: Any
) -> str:
    """The Home opened from `team`: the token its views.publish came with."""
    published = len(slack.ok_calls("views.publish"))
    open_tab(bot, slack, team, user=user, **envelope)
    call = slack.wait_for("views.publish", count=published + 1)[-1]
    assert call.token is not None
    return call.token


def test_an_install_stores_the_workspaces_bot_token(installer: Bot, slack: SlackStandIn) -> None:
    token = install(installer, slack, PLANT_1)

    [exchange] = slack.ok_calls("oauth.v2.access")
    assert exchange.token is not None and exchange.token.startswith("Basic ")
    credentials = base64.b64decode(exchange.token.removeprefix("Basic ")).decode()
    assert credentials == f"{CLIENT_ID}:{CLIENT_SECRET}"
    stored = stored_bot(installer, PLANT_1)
    assert stored is not None
    assert (stored.team_id, stored.team_name, stored.bot_token) == ("T1", "Plant 1", token)
    assert stored.bot_user_id == "UBOTT1" and stored.bot_id == "BBOTT1"


def test_two_workspaces_are_each_answered_with_their_own_token(
    installer: Bot, slack: SlackStandIn
) -> None:
    plant_1 = install(installer, slack, PLANT_1)
    plant_2 = install(installer, slack, PLANT_2)
    assert plant_1 != plant_2

    assert open_home(installer, slack, "T2", user="UBOB") == plant_2
    assert open_home(installer, slack, "T1") == plant_1
    # the directory's lookups for them too (users.info, usergroups.users.list, auth.test)
    lookups = {
        call.token for call in slack.calls if call.method.startswith(("users", "usergroups"))
    }
    assert lookups == {plant_1, plant_2}


def test_background_posts_go_with_the_token_of_the_workspace_they_belong_to(
    installer: Bot, slack: SlackStandIn
) -> None:
    plant_1 = install(installer, slack, PLANT_1)
    plant_2 = install(installer, slack, PLANT_2)

    open_tab(installer, slack, "T2", tab="messages", user="UBOB")  # queued, sent by the outbox
    open_tab(installer, slack, "T1", tab="messages", user=PLANNER)

    posts = slack.wait_for("chat.postMessage", count=2)
    assert {(call.args["channel"], call.token) for call in posts} == {
        ("DHOME", plant_1),
        ("DHOME", plant_2),
    }
    with installer.sessions() as session:
        rows = session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.team_id)).all()
    assert sorted(rows) == [("notice:prompts:UANN", "T1"), ("notice:prompts:UBOB", "T2")]


def test_an_org_wide_install_answers_every_workspace_of_the_org(
    installer: Bot, slack: SlackStandIn
) -> None:
    token = install(installer, slack, ORG)

    stored = stored_bot(installer, ORG)
    assert stored is not None and stored.is_enterprise_install
    assert (stored.enterprise_id, stored.team_id) == ("E1", None)
    authorizations = [{"enterprise_id": "E1", "team_id": None, "is_enterprise_install": True}]
    org_wide = open_home(
        installer,
        slack,
        "T7",
        enterprise_id="E1",
        is_enterprise_install=True,
        authorizations=authorizations,
    )
    assert org_wide == token


def test_a_redirect_without_the_browsers_cookie_is_refused(
    installer: Bot, slack: SlackStandIn
) -> None:
    state, _ = begin(installer)
    code = slack.approve_install(PLANT_1)

    for cookies in ({}, {COOKIE: "someone-elses-state"}):
        answer = come_back(installer, code, state, cookies)
        assert answer.status_code == 400
        assert "same browser" in answer.text and 'href="/slack/install"' in answer.text
    assert not slack.ok_calls("oauth.v2.access")
    assert stored_bot(installer, PLANT_1) is None


def test_a_used_or_expired_install_link_is_refused(installer: Bot, slack: SlackStandIn) -> None:
    state, cookies = begin(installer)
    install_once = come_back(installer, slack.approve_install(PLANT_1), state, cookies)
    assert install_once.status_code == 200

    again = come_back(installer, slack.approve_install(PLANT_2), state, cookies)
    assert again.status_code == 401
    assert "expired or was already used" in again.text

    state, cookies = begin(installer)
    a_second_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)  # as stored
    with installer.services.runtime.engine.begin() as connection:  # ten minutes later
        connection.execute(
            text("UPDATE slack_oauth_states SET expire_at = :at"), {"at": a_second_ago}
        )
    late = come_back(installer, slack.approve_install(PLANT_2), state, cookies)
    assert late.status_code == 401
    assert stored_bot(installer, PLANT_2) is None
    assert len(slack.ok_calls("oauth.v2.access")) == 1


def test_single_token_mode_has_no_install_flow(bot: Bot, slack: SlackStandIn) -> None:
    assert requests.get(f"{bot.url}/slack/install", timeout=10).status_code == 404
    assert bot.command("help").status_code == 200


def test_a_digest_posts_in_the_workspace_it_was_asked_in(
    installer: Bot, slack: SlackStandIn
) -> None:
    install(installer, slack, PLANT_1)
    plant_2 = install(installer, slack, PLANT_2)

    answer = installer.command("digest daily 07:00 all-clear", team="T2")
    assert answer.json()["text"].startswith(f"Subscribed <#{CHANNEL}>")
    with installer.sessions() as session:
        [subscription] = active_subscriptions(session, CHANNEL)
    assert (subscription.enterprise_id, subscription.team_id) == (None, "T2")
    poster = DigestPoster(installer.services.runtime.digests, installer.services.dispatcher.wake)
    assert poster.post(subscription, datetime.now(UTC))

    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert posted.token == plant_2


def test_two_replicas_refreshing_a_rotating_token_at_once_refresh_it_once(
    engine, database_url: str, slack: SlackStandIn, tmp_path: Path
) -> None:
    """Token rotation: the stored token expires within two hours, so both replicas' next
    request refreshes it first; a refresh token works once, so one refreshes and the other
    waits for it and uses the new token (without the lock the second is refused)."""
    env = slack_env(
        tmp_path, slack, database_url, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET
    )
    replicas = [start_server(env, tmp_path) for _ in range(2)]
    endpoints = [Endpoint(replica.url) for replica in replicas]
    try:
        first = install(endpoints[0], slack, Grant("T1", "Plant 1", expires_in=60))
        slack.after_call("oauth.v2.access", lambda _: time.sleep(1))  # a slow refresh

        at_once(2, lambda i: open_tab(endpoints[i], slack, "T1", user=(PLANNER, "UBOB")[i]))

        published = slack.wait_for("views.publish", count=2)
        later = [c for c in slack.calls if c.method in ("users.info", "views.publish")]
    finally:
        outputs = [replica.stop() for replica in replicas]
    assert all("Traceback" not in output for output in outputs), outputs
    assert slack.refreshes == 1
    [refreshed] = {call.token for call in published}
    assert refreshed != first and refreshed in slack.issued
    assert {call.token for call in later} == {refreshed}


def test_releasebot_installations_lists_them_without_secrets(
    installer: Bot, slack: SlackStandIn, database_url: str, tmp_path: Path
) -> None:
    tokens = [install(installer, slack, grant) for grant in (PLANT_1, PLANT_2, ORG)]
    env = serve_env(
        tmp_path,
        DATABASE_URL=database_url,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
    )

    listed = subprocess.run(
        [RELEASEBOT, "installations", "--json"], env=env, capture_output=True, text=True
    )
    wide = env | {"COLUMNS": "200"}  # rich wraps a table to the terminal
    table = subprocess.run([RELEASEBOT, "installations"], env=wide, capture_output=True, text=True)

    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    assert [(i["team_id"], i["enterprise_id"], i["org_wide"]) for i in found] == [
        ("T1", None, False),
        ("T2", None, False),
        (None, "E1", True),
    ]
    assert [i["bot_user_id"] for i in found] == ["UBOTT1", "UBOTT2", "UBOTE1"]
    assert found[0]["scopes"] == ["commands", "chat:write"]
    assert found[0]["token_expires_at"] is None
    assert "Plant 2 (T2)" in table.stdout and "whole org" in table.stdout
    for output in (listed.stdout, table.stdout):
        assert not any(token in output for token in tokens)
        assert CLIENT_SECRET not in output


def test_releasebot_installations_in_single_token_mode_says_there_are_none(
    tmp_path: Path,
) -> None:
    answer = subprocess.run(
        [RELEASEBOT, "installations"], env=serve_env(tmp_path), capture_output=True, text=True
    )

    assert answer.returncode == 2
    assert "releasebot runs on one SLACK_BOT_TOKEN here" in answer.stderr + answer.stdout


def uninstall_event(team: str) -> dict[str, Any]:
    return {"type": "app_uninstalled"} | {"event_ts": f"{time.time():.6f}", "team": team}


def test_an_uninstalled_workspace_loses_its_tokens_and_its_messages_wait(
    installer: Bot, slack: SlackStandIn
) -> None:
    plant_1 = install(installer, slack, PLANT_1)
    install(installer, slack, PLANT_2)
    slack.fail("chat.postMessage", 500, times=1000)  # Slack is down: plant 2's prompts wait
    open_tab(installer, slack, "T2", tab="messages", user="UBOB")
    first_post_tried(slack)

    slack.uninstall("T2")
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T2",
            "api_app_id": "A1",
            "event_id": "EvGone",
            "event_time": int(time.time()),
            "event": uninstall_event("T2"),
        }
    )
    headers = signed_headers(body) | {"Content-Type": "application/json"}
    assert installer.post(body, headers).status_code == 200
    deadline = time.monotonic() + 20
    while stored_bot(installer, PLANT_2) is not None:
        assert time.monotonic() < deadline, "plant 2's installation was not deleted"
        time.sleep(0.05)
    slack.fail("chat.postMessage", 500, times=0)  # Slack is back
    open_tab(installer, slack, "T1", tab="messages", user=PLANNER)

    [posted] = slack.wait_for("chat.postMessage")
    assert posted.token == plant_1
    time.sleep(1.5)  # plant 2's message would be retried within a second
    assert len(slack.ok_calls("chat.postMessage")) == 1
    assert stored_bot(installer, PLANT_1) is not None
    with installer.sessions() as session:
        rows = session.execute(
            select(OutboxMessage.team_id, OutboxMessage.status, OutboxMessage.last_error)
        ).all()
        held = current_hold(session)
    assert held is None  # the other workspaces' messages go on
    [(team_1, sent, _), (team_2, parked, why)] = sorted(rows)
    assert (team_1, sent, team_2, parked) == ("T1", OutboxStatus.SENT, "T2", OutboxStatus.PARKED)
    # parked by the uninstall, or by Slack refusing the revoked token to a send under way
    assert why in {"app_uninstalled", "token_revoked"}


def home_text(bot: Bot, slack: SlackStandIn, team: str, user: str, **envelope: Any) -> str:
    open_home(bot, slack, team, user=user, **envelope)
    return json.dumps(slack.ok_calls("views.publish")[-1].args["view"]["blocks"])


def test_a_workspace_narrowed_to_its_plants_site_releases_for_that_site_only(
    engine, database_url: str, slack: SlackStandIn
) -> None:
    permissions = ReleasePermissions(
        admins=["UADMIN"], users={PLANNER: ["1"]}, workspaces={"T2": ["2"]}
    )
    with install_flow(database_url, slack, release_permissions=permissions) as bot:
        install(bot, slack, PLANT_1)
        install(bot, slack, PLANT_2)

        assert "Yours to release: all sites." in home_text(bot, slack, "T1", "UADMIN")
        assert "Yours to release: site 1." in home_text(bot, slack, "T1", PLANNER)
        assert "Yours to release: site 2." in home_text(bot, slack, "T2", "UADMIN")
        assert "no site: you may look but not release" in home_text(bot, slack, "T2", PLANNER)
