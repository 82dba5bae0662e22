"""`app_uninstalled` and `tokens_revoked`: the bot token no longer works, so sending stops
at once; what was queued is parked, not lost, until `releasebot outbox retry` after a
reinstall. Installed in several workspaces (bot/slack/installations.py), only the workspace that
uninstalled stops: its installation (tokens) is deleted and its queued messages parked."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.bootstrap import BotDependencies
from bot.slack.workspaces import current

log = logging.getLogger(__name__)


def _stop_sending(services: BotDependencies, reason: str) -> None:
    workspace = current()
    if services.runtime.settings.installs and workspace is not None:
        parked = services.runtime.installations.uninstalled(
            workspace.enterprise_id, workspace.team_id, reason
        )
        log.warning(
            "%s in %s: its tokens deleted, %d queued messages parked; after a reinstall, "
            "`releasebot outbox retry` sends them",
            reason,
            workspace.team_id or workspace.enterprise_id,
            parked,
        )
        return
    parked = services.dispatcher.hold(reason)
    log.warning(
        "%s: sending stopped, %d queued messages parked; after a reinstall, "
        "`releasebot outbox retry` sends them",
        reason,
        parked,
    )


def uninstalled(services: BotDependencies) -> None:
    _stop_sending(services, "app_uninstalled")


def revoked(event: dict[str, Any], services: BotDependencies) -> None:
    """Only the bot's token matters: releasebot holds no user tokens."""
    if (event.get("tokens") or {}).get("bot"):
        _stop_sending(services, "tokens_revoked")


def register(app: App) -> None:
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
