"""The Bolt app: a thin factory; the listeners live in bot/listeners/<kind>/."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import register_all
from bot.services import BotServices


def create_app(services: BotServices, *, socket_mode: bool = False) -> App:
    """HTTP mode verifies Slack's signature on every request; Socket Mode needs no secret."""
    settings = services.runtime.settings
    secret = settings.slack_signing_secret
    app = App(
        client=services.client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
    )
    register_all(app, services)
    return app
