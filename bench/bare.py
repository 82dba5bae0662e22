"""The floor for the Slack benchmarks: a bare Bolt app on releasebot's server stack.

Uvicorn, Bolt's Starlette adapter with each dispatch in a worker thread (bot/slack/server.py),
the same Web API client; `/release` acks and opens a fixed modal, nothing more.

    uvicorn --factory bench.bare:create_asgi
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.bootstrap import make_client
from bot.slack.server import slack_events_route
from config import load_settings

FIXED_MODAL = {
    "type": "modal",
    "callback_id": "bare",
    "title": {"type": "plain_text", "text": "Release orders"},
    "close": {"type": "plain_text", "text": "Cancel"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A fixed modal."}}],
}


def create_asgi() -> Starlette:
    settings = load_settings()
    assert settings.slack_signing_secret is not None
    app = App(
        client=make_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
    )

    @app.command("/release")
    def release(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=FIXED_MODAL)

    async def healthz(_: Request) -> Response:  # up, for the start-up check
        return PlainTextResponse("ok")

    return Starlette(routes=[slack_events_route(app), Route("/healthz", healthz)])
