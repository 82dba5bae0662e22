"""Time slots of a schedule, and claiming one so that a single replica posts its digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.model import DigestRun, DigestSubscription

# a slot fired later than this (the process was busy or asleep) is skipped, not posted late
GRACE = timedelta(minutes=10)


def latest_slot(trigger: BaseTrigger, now: datetime, grace: timedelta = GRACE) -> datetime | None:
    """The schedule's last fire time at or before `now`, if within `grace` of it.

    Every replica computes the same moment from the same schedule, which is what
    makes it a key: the slot is the schedule's time, not the moment a job ran.
    """
    latest = None
    fire = trigger.get_next_fire_time(None, now - grace)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


def claim_slot(
    session: Session, subscription_id: int, slot: datetime, replica: str, now: datetime
) -> DigestRun | None:
    """The slot's run, claimed in the caller's transaction; None when another has it or
    the subscription has ended. A concurrent claim waits for ours, then finds it taken."""
    active = session.scalar(
        select(DigestSubscription.id).where(
            DigestSubscription.id == subscription_id, DigestSubscription.ended_at.is_(None)
        )
    )
    if active is None:
        return None
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    claimed = session.scalar(
        dialect.insert(DigestRun)
        .values(
            subscription_id=subscription_id,
            slot_at=slot,
            claimed_at=now,
            claimed_by=replica,
            order_count=0,
            posted=False,
        )
        .on_conflict_do_nothing(index_elements=["subscription_id", "slot_at"])
        .returning(DigestRun.id)
    )
    return None if claimed is None else session.get_one(DigestRun, claimed)


def slot_counts(session: Session) -> dict[bool, int]:
    """Time slots claimed so far, by whether a digest was posted for them (nothing waiting
    and no all-clear: not posted), over all replicas."""
    rows = session.execute(select(DigestRun.posted, func.count()).group_by(DigestRun.posted))
    counts = {bool(posted): count for posted, count in rows}
    return {True: counts.get(True, 0), False: counts.get(False, 0)}
