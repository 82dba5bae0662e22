"""A channel's digest subscriptions: made, listed, ended (kept as history, never deleted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from domain.digests.spec import DigestSpec, Schedule, SpecError
from domain.model import DigestSubscription, Site


@dataclass(frozen=True)
class Subscription:
    """A subscription as its listing and its scheduler see it."""

    id: int
    channel: str
    schedule: Schedule
    timezone: str
    horizon: timedelta
    site: str | None
    all_clear: bool
    created_by: str
    enterprise_id: str | None = None  # the chat workspace it posts in, when there are several
    team_id: str | None = None

    @classmethod
    def of(cls, row: DigestSubscription) -> Subscription:
        return cls(
            id=row.id,
            channel=row.channel_id,
            schedule=Schedule(row.schedule),
            timezone=row.timezone,
            horizon=timedelta(hours=row.horizon_hours),
            site=row.site_code,
            all_clear=row.all_clear,
            created_by=row.created_by,
            enterprise_id=row.enterprise_id,
            team_id=row.team_id,
        )

    def describe(self) -> str:
        """`daily 07:00 Europe/Berlin, orders starting within 1d, site 1, all clear`."""
        parts = [f"{self.schedule.text} {self.timezone}", f"within {horizon_text(self.horizon)}"]
        if self.site:
            parts.append(f"site {self.site}")
        if self.all_clear:
            parts.append("all clear")
        return ", ".join(parts)


def horizon_text(horizon: timedelta) -> str:
    hours = int(horizon.total_seconds() // 3600)
    return f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h"


def subscribe(
    session: Session,
    channel: str,
    spec: DigestSpec,
    timezone: str,
    user: str,
    now: datetime,
    workspace: tuple[str | None, str | None] = (None, None),
) -> tuple[Subscription, bool]:
    """The channel's subscription to this spec, made now unless it exists (then False);
    `workspace`: (enterprise, team) of the chat workspace it was asked in, if several."""
    if (
        spec.site is not None
        and session.scalar(select(Site.id).where(Site.code == spec.site)) is None
    ):
        raise SpecError(f"there is no site `{spec.site}`")
    hours = int(spec.horizon.total_seconds() // 3600)
    same = session.scalars(
        _active().where(
            DigestSubscription.channel_id == channel,
            DigestSubscription.schedule == spec.schedule.text,
            DigestSubscription.timezone == timezone,
            DigestSubscription.horizon_hours == hours,
            DigestSubscription.site_code.is_(None)
            if spec.site is None
            else DigestSubscription.site_code == spec.site,
            DigestSubscription.all_clear == spec.all_clear,
        )
    ).first()
    if same is not None:
        return Subscription.of(same), False
    row = DigestSubscription(
        channel_id=channel,
        schedule=spec.schedule.text,
        timezone=timezone,
        horizon_hours=hours,
        site_code=spec.site,
        all_clear=spec.all_clear,
        created_by=user,
        created_at=now,
        enterprise_id=workspace[0],
        team_id=workspace[1],
    )
    session.add(row)
    session.flush()
    return Subscription.of(row), True


def active_subscriptions(session: Session, channel: str | None = None) -> list[Subscription]:
    query = _active().order_by(DigestSubscription.id)
    if channel is not None:
        query = query.where(DigestSubscription.channel_id == channel)
    return [Subscription.of(row) for row in session.scalars(query)]


def end_subscriptions(
    session: Session, channel: str, user: str, now: datetime, ids: Sequence[int] = ()
) -> list[Subscription]:
    """End the channel's subscriptions (only those named by `ids`, when given)."""
    query = _active().where(DigestSubscription.channel_id == channel).with_for_update()
    if ids:
        query = query.where(DigestSubscription.id.in_(ids))
    rows = list(session.scalars(query))
    for row in rows:
        row.ended_at, row.ended_by = now, user
    return [Subscription.of(row) for row in rows]


def _active() -> Select[tuple[DigestSubscription]]:
    return select(DigestSubscription).where(DigestSubscription.ended_at.is_(None))
