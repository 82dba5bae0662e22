"""`releasebot serve`: the Slack app over HTTP (uvicorn), or over Socket Mode."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Annotated

import typer
import uvicorn
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError

from bot.bootstrap import build_services, make_client
from bot.cli.common import fail, runtime
from bot.cups import pycups_missing
from bot.papers import paper_renderer
from bot.slack.app import create_app
from bot.slack.server import UVICORN_LIMITS, GracefulServer, create_asgi
from config import ConfigError, Settings, load_settings


def missing_secrets(settings: Settings, socket_mode: bool) -> list[str]:
    """The settings `serve` cannot start without, by their environment names."""
    needed = {
        # installed through OAuth (SLACK_CLIENT_ID), the tokens are the installations'
        "SLACK_BOT_TOKEN": (
            settings.slack_client_secret if settings.installs else settings.slack_bot_token
        ),
        "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET": (
            settings.slack_app_token if socket_mode else settings.slack_signing_secret
        ),
    }
    return [name for name, value in needed.items() if not value or not value.get_secret_value()]


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        port: Annotated[int, typer.Option(help="HTTP port.")] = 3000,
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
        socket_mode: Annotated[
            bool, typer.Option("--socket-mode", help="Connect to Slack over Socket Mode.")
        ] = False,
        log_level: Annotated[
            LogLevel, typer.Option(help="What to log (releases and errors at info).")
        ] = LogLevel.INFO,
    ) -> None:
        """Run the Slack app: POST /slack/events, GET /healthz and /metrics, and with
        SLACK_CLIENT_ID the install flow (GET /slack/install); Socket Mode: /healthz only."""
        try:
            settings = load_settings()
        except ConfigError as error:
            fail(str(error))
        missing = missing_secrets(settings, socket_mode)
        if socket_mode and settings.installs:
            fail(
                "the install flow (SLACK_CLIENT_ID) needs HTTP: run releasebot serve without "
                "--socket-mode, or use SLACK_BOT_TOKEN alone"
            )
        if missing:
            fail(
                f"releasebot serve needs {' and '.join(missing)}: set "
                f"{'it' if len(missing) == 1 else 'them'} in the environment, .env or the "
                "RELEASEBOT_CONFIG file (see the README's Slack section)"
            )
        with runtime() as run:
            if run.settings.printing.queues and (no_cups := pycups_missing()):
                fail(f"printer queues are configured, but {no_cups}")
            logging.getLogger().setLevel(log_level.upper())
            services = build_services(run, make_client(run.settings, run), paper_renderer(run))
            try:
                bolt = create_app(services, socket_mode=socket_mode)
            except BoltError as error:
                fail(f"Slack refused SLACK_BOT_TOKEN: {error}")
            except OSError as error:  # DNS, refused connection, TLS: the retries are spent
                fail(f"cannot reach Slack at SLACK_API_URL={run.settings.slack_api_url}: {error}")
            if socket_mode:
                app_token = run.settings.slack_app_token
                assert app_token is not None
                SocketModeHandler(bolt, app_token.get_secret_value()).connect()
            asgi = create_asgi(services, None if socket_mode else bolt)
            config = uvicorn.Config(
                asgi, host=host, port=port, log_level=log_level.value, **UVICORN_LIMITS
            )
            GracefulServer(config, on_stop=services.worker.stop_releasing).run()
