"""The install flow (several workspaces, an Enterprise Grid org): Bolt's OAuth settings over
slack_sdk's SQLAlchemy installation and state stores, in releasebot's own database (their
tables are made by migration 0010, never by `create_tables()`).

Only with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; without them releasebot runs on the one
SLACK_BOT_TOKEN as before.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.slack.blocks.install import failed_page, installed_page
from bot.slack.metrics import CountedWebClient
from bot.slack.workspaces import Tokens, Workspace
from domain.runtime import Runtime
from domain.services.installations import BotToken, Renew

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
# a rotating token (12 h) is renewed when it expires within this (Bolt's default)
ROTATE_BEFORE = timedelta(hours=2)


class RotatingInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store whose `find_bot` hands out a bot token that is not about to expire
    (token rotation): one expiring within ROTATE_BEFORE is renewed first, for a request
    (Bolt's authorize asks here) and for background work alike, one replica at a time
    (domain/services/installations.py locks the installation while it is renewed)."""

    def __init__(self, runtime: Runtime, rotator: TokenRotator) -> None:
        super().__init__(runtime.installations.client_id, runtime.engine, logger=log)
        self._installations = runtime.installations
        self._rotator = rotator

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        def latest() -> Bot | None:
            return super(RotatingInstallationStore, self).find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )

        bot = latest()
        if bot is None or not _token_of(bot).expires_within(ROTATE_BEFORE, datetime.now(UTC)):
            return bot
        self._installations.renew_token(
            enterprise_id,
            None if is_enterprise_install else team_id,
            self._renewal(bot),
            ROTATE_BEFORE,
        )
        return latest()  # renewed here or by the replica that held the lock

    def _renewal(self, bot: Bot) -> Renew:
        """`oauth.v2.access` with the refresh token the locked installation holds."""

        def renew(current: BotToken) -> BotToken | None:
            locked = Bot(**bot.to_dict_for_copying())
            locked.bot_token = current.token
            locked.bot_refresh_token = current.refresh_token
            if current.expires_at is not None:
                locked.bot_token_expires_at = int(current.expires_at.timestamp())
            renewed = self._rotator.perform_bot_token_rotation(
                bot=locked, minutes_before_expiration=int(ROTATE_BEFORE.total_seconds() // 60)
            )
            return None if renewed is None else _token_of(renewed)

        return renew


def _token_of(bot: Bot) -> BotToken:
    expires_at = bot.bot_token_expires_at
    return BotToken(
        str(bot.bot_token),
        bot.bot_refresh_token,
        None if expires_at is None else datetime.fromtimestamp(expires_at, UTC),
    )


def installation_store(runtime: Runtime) -> RotatingInstallationStore:
    """The installations in releasebot's database, renewing tokens through SLACK_API_URL."""
    settings = runtime.settings
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    rotator = TokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=CountedWebClient(base_url=settings.slack_api_url.rstrip("/") + "/", timeout=30),
    )
    return RotatingInstallationStore(runtime, rotator)


def bot_tokens(runtime: Runtime) -> Tokens:
    """A workspace's (or org's) bot token from its installation; None when not installed."""
    store = installation_store(runtime)

    def token(workspace: Workspace) -> str | None:
        bot = store.find_bot(
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            is_enterprise_install=workspace.org_wide,
        )
        return bot.bot_token if bot is not None else None

    return token


def oauth_settings(runtime: Runtime) -> OAuthSettings | None:
    """Bolt's install flow on releasebot's database; None in single-token mode."""
    settings = runtime.settings
    if not settings.installs:
        return None
    assert settings.slack_client_secret is not None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installation_store(runtime),
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=int(ROTATE_BEFORE.total_seconds() // 60),
        state_store=SQLAlchemyOAuthStateStore(STATE_SECONDS, runtime.engine, logger=log),
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
