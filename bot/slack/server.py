"""The ASGI application `releasebot serve` runs under uvicorn.

`POST /slack/events` takes every kind of Slack request (commands, interactivity,
options loads, events), after the door's checks (bot/slack/door.py: size, time, content
type, signature, shape); with the install flow, `GET /slack/install` and `GET
/slack/oauth_redirect` (bot/slack/installations.py); `GET /healthz` answers 200 while the
database does; `GET /metrics` is Prometheus's (bot/slack/metrics.py). Neither of these two
touches Slack. Bolt's
own Starlette adapter calls the synchronous app on the event loop, which would make
every request wait for the one before: here each dispatch runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.bootstrap import BotDependencies
from bot.slack import door, metrics

EVENTS_PATH = "/slack/events"
# uvicorn's limits for `serve`: an idle connection is closed after 5 s, the request line
# and headers may take 16 KB, and at a stop open requests get 10 s to finish (Slack waits
# 3 s). The body is the door's (bot/slack/door.py). uvicorn has no limit on the time headers
# take to arrive: that is the load balancer's (docs/deployment.md).
UVICORN_LIMITS: dict[str, Any] = {  # uvicorn.Config keywords
    "timeout_keep_alive": 5,
    "h11_max_incomplete_event_size": 16 * 1024,
    "timeout_graceful_shutdown": 10,
}


def slack_events_route(app: App, signing_secret: str | None = None) -> Route:
    """`POST /slack/events` for `app`, each dispatch in a worker thread.

    With the signing secret, the door (bot/slack/door.py) checks size, time, content type,
    signature (401) and shape (400) before Bolt sees the request; without it, Bolt alone
    does (the bare app the benchmarks compare with).
    """
    signature = door.Signature(signing_secret) if signing_secret else None

    async def checked_body(request: Request, signature: door.Signature) -> bytes:
        """The body of a request the door lets in; `door.Refusal` otherwise."""
        refusal = door.declared_size_refusal(request.headers.get("content-length"))
        if refusal is not None:
            raise refusal
        media_type = door.media_type(request)
        body = await door.read_body(request)
        refusal = signature.refusal(request, body) or door.shape_refusal(body, media_type)
        if refusal is not None:
            raise refusal
        return body

    async def slack_events(request: Request) -> Response:
        if signature is None:
            body = await request.body()
        else:
            try:
                body = await checked_body(request, signature)
            except door.Refusal as refusal:
                return door.refuse(request, refusal)
        response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    return Route(EVENTS_PATH, slack_events, methods=["POST"])


def install_routes(app: App) -> list[Route]:
    """`GET /slack/install` (a page with the Add to Slack link, setting the state cookie)
    and `GET /slack/oauth_redirect` (where Slack sends the browser back with a code), when
    the app has the install flow. A browser, not Slack, calls them: no signature to check;
    the state (cookie and database, single use, 10 minutes) is what the flow checks."""
    flow = app.oauth_flow
    if flow is None:
        return []

    async def install(request: Request) -> Response:
        response = await run_in_threadpool(flow.handle_installation, to_bolt_request(request, b""))
        return to_starlette_response(response)

    async def redirect(request: Request) -> Response:
        response = await run_in_threadpool(flow.handle_callback, to_bolt_request(request, b""))
        return to_starlette_response(response)

    return [
        Route(flow.install_path, install, methods=["GET"]),
        Route(flow.redirect_uri_path, redirect, methods=["GET"]),
    ]


async def _not_here(request: Request, error: Exception) -> Response:
    """404 and 405 as the door's other refusals: one rate-limited line, no trace."""
    assert isinstance(error, HTTPException)
    cause = "method" if error.status_code == 405 else "path"
    response = door.refuse(request, door.Refusal(error.status_code, cause, str(error.detail)))
    if error.headers:
        response.headers.update(error.headers)  # Allow: on a 405
    return response


class GracefulServer(uvicorn.Server):
    """uvicorn, telling `on_stop` the moment SIGTERM (or SIGINT) comes: uvicorn then stops
    listening (within its 0.1 s tick) and lets open requests finish before the app's
    shutdown, and meanwhile no release should start a new batch."""

    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_stop = on_stop

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_stop()
        super().handle_exit(sig, frame)


def create_asgi(services: BotDependencies, app: App | None) -> Starlette:
    """`app` None (Socket Mode): only the health check listens on HTTP."""

    async def healthz(_: Request) -> Response:
        if await run_in_threadpool(services.runtime.database_answers):
            return PlainTextResponse("ok")
        return PlainTextResponse("database unreachable", status_code=503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            await run_in_threadpool(services.stop)

    registry = metrics.registry_for(services.runtime.monitoring)

    async def scrape(_: Request) -> Response:
        """Prometheus's scrape: the counters and the database's gauges, never Slack."""
        exposition = await run_in_threadpool(metrics.exposition, registry)
        return Response(exposition, media_type=CONTENT_TYPE_LATEST)

    door.limit_uvicorn_logs()
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", scrape, methods=["GET"]),
    ]
    if app is not None:
        secret = services.runtime.settings.slack_signing_secret
        routes.append(slack_events_route(app, secret.get_secret_value() if secret else None))
        routes.extend(install_routes(app))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: _not_here, 405: _not_here},
    )
