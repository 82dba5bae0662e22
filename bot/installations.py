"""The install flow (several workspaces, an Enterprise Grid org): Bolt's OAuth settings over
slack_sdk's SQLAlchemy installation and state stores, in releasebot's own database (their
tables are made by migration 0010, never by `create_tables()`).

Only with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; without them releasebot runs on the one
SLACK_BOT_TOKEN as before.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from pydantic import BaseModel
from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, select, update

from bot.metrics import CountedWebClient
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
# a rotating token (12 h) is refreshed when it expires within this (Bolt's default)
ROTATE_BEFORE_MINUTES = 120


class RotatingInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store whose `find_bot` hands out a bot token that is not about to expire
    (token rotation): one expiring within ROTATE_BEFORE_MINUTES is refreshed first, for a
    request (Bolt's authorize asks here) and for background work alike.

    A refresh token works once, so refreshing is serialised per installation across
    replicas: the installation's bot rows are locked (`FOR UPDATE` on PostgreSQL, the write
    lock every SQLite transaction takes here), the bot read again, and only if it still
    expires soon refreshed and written in that transaction. A replica that waited reads the
    token the other one got.
    """

    def __init__(self, settings: Settings, engine: Engine, rotator: TokenRotator) -> None:
        assert settings.slack_client_id is not None
        super().__init__(settings.slack_client_id, engine, logger=log)
        self._rotator = rotator

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = super().find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None or not _expiring(bot):
            return bot
        return self._refreshed(enterprise_id, None if is_enterprise_install else team_id)

    def _refreshed(self, enterprise_id: str | None, team_id: str | None) -> Bot | None:
        bots, installations = self.bots.c, self.installations.c
        this_one = (
            bots.client_id == self.client_id,
            bots.enterprise_id == enterprise_id,
            bots.team_id == team_id,
        )
        with self.engine.begin() as connection:
            # locked, then read again in the same transaction (another connection would
            # wait for SQLite's write lock): no one else may be refreshing it now
            row = (
                connection.execute(
                    select(self.bots)
                    .where(*this_one, bots.bot_token.is_not(None))
                    .order_by(bots.installed_at.desc())
                    .limit(1)
                    .with_for_update()
                )
                .mappings()
                .first()
            )
            bot = self.build_bot_entity(row) if row is not None else None
            if bot is None or not _expiring(bot):
                return bot  # another replica refreshed it meanwhile
            refreshed = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
            )
            if refreshed is None:
                return bot
            new = {
                "bot_token": refreshed.bot_token,
                "bot_refresh_token": refreshed.bot_refresh_token,
                "bot_token_expires_at": normalize_datetime_for_db(
                    refreshed.to_dict()["bot_token_expires_at"]
                ),
            }
            for table, c in ((self.bots, bots), (self.installations, installations)):
                connection.execute(
                    update(table)
                    .where(
                        c.client_id == self.client_id,
                        c.enterprise_id == enterprise_id,
                        c.team_id == team_id,
                    )
                    .values(**new)
                )
            log.info("bot token of %s refreshed", team_id or enterprise_id)
            return refreshed


def _expiring(bot: Bot) -> bool:
    expires_at = bot.bot_token_expires_at
    return (
        bot.bot_refresh_token is not None
        and expires_at is not None
        and expires_at <= time.time() + ROTATE_BEFORE_MINUTES * 60
    )


def installation_store(settings: Settings, engine: Engine) -> RotatingInstallationStore:
    """The installations in releasebot's database, refreshing tokens through SLACK_API_URL."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    rotator = TokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=CountedWebClient(base_url=settings.slack_api_url.rstrip("/") + "/", timeout=30),
    )
    return RotatingInstallationStore(settings, engine, rotator)


class Installed(BaseModel):
    """One installation as `releasebot installations` lists it: never a token."""

    enterprise_id: str | None
    enterprise_name: str | None
    team_id: str | None  # None: installed org-wide
    team_name: str | None
    org_wide: bool
    bot_user_id: str | None
    scopes: list[str]
    token_expires_at: datetime | None  # None: the token does not expire (no rotation)
    installed_at: datetime


def installed(store: SQLAlchemyInstallationStore) -> list[Installed]:
    """Every workspace and org installed, from its latest installation, oldest first."""
    bots = store.bots.c
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(store.bots)
            .where(bots.client_id == store.client_id, bots.bot_token.is_not(None))
            .order_by(bots.installed_at, bots.id)
        ).mappings()
        latest = {(row["enterprise_id"], row["team_id"]): row for row in rows}
    return [
        Installed(
            enterprise_id=row["enterprise_id"],
            enterprise_name=row["enterprise_name"],
            team_id=row["team_id"],
            team_name=row["team_name"],
            org_wide=row["is_enterprise_install"],
            bot_user_id=row["bot_user_id"],
            scopes=[scope for scope in (row["bot_scopes"] or "").split(",") if scope],
            token_expires_at=_utc(row["bot_token_expires_at"]),
            installed_at=row["installed_at"].replace(tzinfo=UTC),
        )
        for row in latest.values()
    ]


def _utc(naive: datetime | None) -> datetime | None:
    """slack_sdk stores naive UTC."""
    return naive.replace(tzinfo=UTC) if naive is not None else None


def forget(store: SQLAlchemyInstallationStore, workspace: Workspace) -> None:
    """The app uninstalled (or its bot token revoked) there: its installation and tokens
    deleted."""
    store.delete_bot(enterprise_id=workspace.enterprise_id, team_id=workspace.team_id)
    store.delete_installation(enterprise_id=workspace.enterprise_id, team_id=workspace.team_id)


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
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
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
