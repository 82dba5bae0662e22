"""The real server under uvicorn on a free port, talking to the Slack stand-in.

Requests are signed exactly as Slack signs them: `v0:` + timestamp + body, HMAC-SHA256
with the signing secret, in `X-Slack-Signature` and `X-Slack-Request-Timestamp`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import requests
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import BotDependencies, build_services, make_client
from bot.delivery.dispatcher import Backoff
from bot.papers import paper_renderer
from bot.slack.app import create_app
from bot.slack.server import create_asgi
from config import ReleasePermissions, Settings
from domain.runtime import Runtime
from tests.e2e.slack.standin import SlackStandIn, running_standin
from tests.ports import free_port

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test"
PLANNER = "UANN"  # may release for site 1
PLANNER_NAME = "Ann Planner"
GROUP_MEMBER = "UBOB"  # may release for site 2 through the group
OUTSIDER = "UEVE"  # may look only
CHANNEL = "CFLOOR"
PERMISSIONS = ReleasePermissions(
    users={PLANNER: ["1"]}, groups={"SPLANNERS": ["2"]}, admins=["UADMIN"]
)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with running_standin(
        names={PLANNER: PLANNER_NAME},
        groups={"SPLANNERS": [GROUP_MEMBER]},
        timezones={PLANNER: "Europe/Berlin"},
        token=BOT_TOKEN,
    ) as standin:
        yield standin


def signed_headers(
    body: str, secret: str = SIGNING_SECRET, at: int | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(
        secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


@dataclass
class Endpoint:
    """Slack's side of the conversation with a server at `url`."""

    url: str

    def post(self, body: str, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(
            f"{self.url}/slack/events",
            data=body.encode(),
            headers=headers if headers is not None else signed_headers(body),
            timeout=30,
        )

    def command(
        self, text: str, user: str = PLANNER, team: str = "T1", **headers: str
    ) -> requests.Response:
        body = urllib.parse.urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "channel_id": CHANNEL,
                "user_id": user,
                "command": "/release",
                "text": text,
                "trigger_id": "1337.42.abcd",
                "response_url": "https://hooks.invalid/commands/1",
            }
        )
        return self.post(body, {**signed_headers(body), **headers})

    def interact(self, payload: dict[str, Any], **headers: str) -> requests.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, {**signed_headers(body), **headers})

    def event(self, event: dict[str, Any], event_id: str = "Ev1") -> requests.Response:
        """An Events API delivery (JSON), as Slack posts a message or a mention."""
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = {**signed_headers(body), "Content-Type": "application/json"}
        return self.post(body, headers)


@dataclass
class Bot(Endpoint):
    """The server running in this process, with its services at hand."""

    services: BotDependencies

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.services.runtime.sessions


@dataclass
class Served:
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def serve(database_url: str, slack: SlackStandIn, **overrides: Any) -> tuple[Bot, Served]:
    """The server in a thread of this process; `overrides` replace the default settings."""
    defaults: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "release_permissions": PERMISSIONS,
    }
    settings = Settings(database_url=database_url, **(defaults | overrides))
    run = Runtime(settings)
    services = build_services(
        run,
        make_client(settings, run),
        paper_renderer(run),
        backoff=Backoff(first=timedelta(milliseconds=200), longest=timedelta(seconds=1)),
    )
    asgi = create_asgi(services, create_app(services))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return Bot(f"http://127.0.0.1:{port}", services), Served(server, thread)


@pytest.fixture
def bot(engine, database_url: str, slack: SlackStandIn) -> Iterator[Bot]:
    """The server on a migrated database (the `engine` fixture migrates it)."""
    started, served = serve(database_url, slack)
    yield started
    served.stop()
    started.services.runtime.engine.dispose()
