"""The chat installations of the install flow (several workspaces, an Enterprise Grid org):
listed, their bot token renewed one replica at a time, deleted when the app is uninstalled.

The rows are the chat library's installation store, in tables our migration 0010 made:
read and written here as plain rows (what the library does with them is not the domain's
business). Times are naive UTC there, as the library writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnClause,
    ColumnElement,
    Integer,
    String,
    TableClause,
    column,
    delete,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock, utc_now
from domain.outbox import park_workspace
from domain.types import UTCDateTime


def _token_columns() -> list[ColumnClause[Any]]:
    """What an installation and its bot both have: whose it is, and the bot's token."""
    return [
        column("client_id", String),
        column("enterprise_id", String),
        column("team_id", String),
        column("bot_token", String),
        column("bot_refresh_token", String),
        column("bot_token_expires_at", UTCDateTime),
    ]


# an installation's bot (the latest row of a workspace is its current one)
_bots = table(
    "slack_bots",
    column("id", Integer),
    *_token_columns(),
    column("enterprise_name", String),
    column("team_name", String),
    column("bot_user_id", String),
    column("bot_scopes", String),
    column("is_enterprise_install", Boolean),
    column("installed_at", UTCDateTime),
)
# the whole installation, which holds a copy of its bot's token
_installations = table("slack_installations", *_token_columns())


@dataclass(frozen=True)
class Installed:
    """One workspace or org installed, as its latest installation says: never a token."""

    enterprise_id: str | None
    enterprise_name: str | None
    team_id: str | None  # None: installed org-wide
    team_name: str | None
    org_wide: bool
    bot_user_id: str | None
    scopes: list[str]
    token_expires_at: datetime | None  # None: the token does not expire (no rotation)
    installed_at: datetime


@dataclass(frozen=True)
class BotToken:
    """A bot token and, when it expires (token rotation), what renews it."""

    token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None

    def expires_within(self, margin: timedelta, now: datetime) -> bool:
        """Renewable and expiring within `margin` of `now`."""
        return (
            self.refresh_token is not None
            and self.expires_at is not None
            and self.expires_at <= now + margin
        )


# asks the chat for a new token in exchange of the refresh token; None: it gave none
Renew = Callable[[BotToken], BotToken | None]


class Installations:
    """The installations of the chat app `client_id`."""

    def __init__(
        self, sessions: sessionmaker[Session], client_id: str, clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self.client_id = client_id
        self._clock = clock

    def installed(self) -> list[Installed]:
        """Every workspace and org installed, from its latest installation, oldest first."""
        bots = _bots.c
        with self._sessions() as session:
            rows = session.execute(
                select(_bots)
                .where(bots.client_id == self.client_id, bots.bot_token.is_not(None))
                .order_by(bots.installed_at, bots.id)
            ).mappings()
            latest = {(row["enterprise_id"], row["team_id"]): row for row in rows}
        return [_installed(row) for row in latest.values()]

    def renew_token(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        renew: Renew,
        margin: timedelta,
    ) -> None:
        """Renew a workspace's (org's: `team_id` None) bot token if it expires within
        `margin`, one replica at a time.

        A refresh token works once, so the bot's rows are locked (`FOR UPDATE` on
        PostgreSQL, the write lock every SQLite transaction takes) and the token read again
        inside: a replica that waited finds it renewed and leaves it.
        """
        with self._sessions.begin() as session:
            row = session.execute(
                select(_bots.c.bot_token, _bots.c.bot_refresh_token, _bots.c.bot_token_expires_at)
                .where(*self._of(_bots, enterprise_id, team_id), _bots.c.bot_token.is_not(None))
                .order_by(_bots.c.installed_at.desc())
                .limit(1)
                .with_for_update()
            ).first()
            if row is None:
                return
            current = BotToken(*row)
            if not current.expires_within(margin, self._clock()):
                return  # another replica renewed it meanwhile
            renewed = renew(current)
            if renewed is None:
                return
            for rows in (_bots, _installations):
                session.execute(
                    update(rows)
                    .where(*self._of(rows, enterprise_id, team_id))
                    .values(
                        bot_token=renewed.token,
                        bot_refresh_token=renewed.refresh_token,
                        bot_token_expires_at=renewed.expires_at,
                    )
                )

    def uninstalled(self, enterprise_id: str | None, team_id: str | None, reason: str) -> int:
        """The app uninstalled from a workspace (org: `team_id` None), or its token revoked:
        its installation and tokens deleted and its queued messages parked, together.
        Returns how many messages were parked."""
        with self._sessions.begin() as session:
            for rows in (_bots, _installations):
                session.execute(delete(rows).where(*self._of(rows, enterprise_id, team_id)))
            return park_workspace(session, enterprise_id, team_id, reason)

    def _of(
        self, rows: TableClause, enterprise_id: str | None, team_id: str | None
    ) -> tuple[ColumnElement[bool], ...]:
        return (
            rows.c.client_id == self.client_id,
            rows.c.enterprise_id == enterprise_id,  # IS NULL for None
            rows.c.team_id == team_id,
        )


def _installed(row: Any) -> Installed:
    return Installed(
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        org_wide=bool(row["is_enterprise_install"]),
        bot_user_id=row["bot_user_id"],
        scopes=[scope for scope in (row["bot_scopes"] or "").split(",") if scope],
        token_expires_at=row["bot_token_expires_at"],
        installed_at=row["installed_at"],
    )
