"""`app_uninstalled` and `tokens_revoked`: the bot token no longer works, so sending stops
at once; what was queued is parked, not lost, until `releasebot outbox retry` after a
reinstall. (There is no installation store: one workspace, one token from the settings.)"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.services import BotServices

log = logging.getLogger(__name__)


def register(app: App, services: BotServices) -> None:
    def stop_sending(reason: str) -> None:
        parked = services.dispatcher.hold(reason)
        log.warning(
            "%s: sending stopped, %d queued messages parked; after a reinstall, "
            "`releasebot outbox retry` sends them",
            reason,
            parked,
        )

    @app.event("app_uninstalled")
    def uninstalled() -> None:
        stop_sending("app_uninstalled")

    @app.event("tokens_revoked")
    def revoked(event: dict[str, Any]) -> None:
        """Only the bot's token matters: releasebot holds no user tokens."""
        if (event.get("tokens") or {}).get("bot"):
            stop_sending("tokens_revoked")
