"""The ASGI application `releasebot serve` runs under uvicorn.

`POST /slack/events` takes every kind of Slack request (commands, interactivity,
options loads, events), after checking its signature and its shape (bot/envelope.py);
`GET /healthz` answers 200 while the database does. Bolt's
own Starlette adapter calls the synchronous app on the event loop, which would make
every request wait for the one before: here each dispatch runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot import envelope
from bot.services import BotServices

EVENTS_PATH = "/slack/events"


def slack_events_route(app: App, signing_secret: str | None = None) -> Route:
    """`POST /slack/events` for `app`, each dispatch in a worker thread.

    With the signing secret, the signature (401) and then the shape (400, bot/envelope.py)
    are checked before Bolt sees the request; without it, Bolt alone does (the bare app
    the benchmarks compare with).
    """
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if verifier is not None:
            if not verifier.is_valid_request(body, dict(request.headers)):
                return PlainTextResponse("invalid signature or timestamp", status_code=401)
            problem = envelope.problem(body, request.headers.get("content-type"))
            if problem is not None:
                return PlainTextResponse(f"not a Slack request: {problem}", status_code=400)
        response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    return Route(EVENTS_PATH, slack_events, methods=["POST"])


def create_asgi(services: BotServices, app: App | None) -> Starlette:
    """`app` None (Socket Mode): only the health check listens on HTTP."""

    async def healthz(_: Request) -> Response:
        if await run_in_threadpool(services.database_answers):
            return PlainTextResponse("ok")
        return PlainTextResponse("database unreachable", status_code=503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            await run_in_threadpool(services.stop)

    routes = [Route("/healthz", healthz, methods=["GET"])]
    if app is not None:
        secret = services.runtime.settings.slack_signing_secret
        routes.append(slack_events_route(app, secret.get_secret_value() if secret else None))
    return Starlette(routes=routes, lifespan=lifespan)
