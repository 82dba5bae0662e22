"""The install flow (several workspaces, an Enterprise Grid org): Bolt's OAuth settings over
slack_sdk's SQLAlchemy installation and state stores, in releasebot's own database (their
tables are made by migration 0010, never by `create_tables()`).

Only with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; without them releasebot runs on the one
SLACK_BOT_TOKEN as before.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.views.install import failed_page, installed_page
from bot.workspaces import Tokens, Workspace
from config import Settings

log = logging.getLogger(__name__)

# the bot scopes the install asks for: manifest.yml's oauth_config.scopes.bot (a test holds
# them equal)
BOT_SCOPES = (
    "commands",
    "chat:write",
    "files:write",
    "files:read",
    "users:read",
    "usergroups:read",
    "im:history",
    "channels:history",
    "groups:history",
    "mpim:history",
    "app_mentions:read",
    "reactions:write",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # how long an install link (its state) may be used, once


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    assert settings.slack_client_id is not None
    return SQLAlchemyInstallationStore(settings.slack_client_id, engine, logger=log)


def bot_tokens(settings: Settings, engine: Engine) -> Tokens:
    """A workspace's (or org's) bot token from its installation; None when not installed."""
    store = installation_store(settings, engine)

    def token(workspace: Workspace) -> str | None:
        bot = store.find_bot(
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            is_enterprise_install=workspace.org_wide,
        )
        return bot.bot_token if bot is not None else None

    return token


def oauth_settings(settings: Settings, engine: Engine) -> OAuthSettings | None:
    """Bolt's install flow on releasebot's database; None in single-token mode."""
    if not settings.installs:
        return None
    assert settings.slack_client_secret is not None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installation_store(settings, engine),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(STATE_SECONDS, engine, logger=log),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=_installed, failure=_failed),
        logger=log,
    )


def _html(status: int, page: str) -> BoltResponse:
    return BoltResponse(
        status=status, body=page, headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _installed(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    workspace = (
        installation.enterprise_name or installation.enterprise_id
        if installation.is_enterprise_install
        else installation.team_name or installation.team_id
    )
    log.info(
        "installed in %s (enterprise %s, team %s)",
        workspace,
        installation.enterprise_id,
        installation.team_id,
    )
    return _html(200, installed_page(str(workspace or "your workspace"), INSTALL_PATH))


def _failed(args: FailureArgs) -> BoltResponse:
    log.warning("an install failed: %s", args.reason)
    return _html(args.suggested_status_code, failed_page(args.reason, INSTALL_PATH))
