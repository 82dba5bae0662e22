"""The closed vocabularies of the domain: lifecycle statuses, levels, paper kinds."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """Production order lifecycle, in order."""

    CREATED = "created"
    ESTIMATED = "estimated"
    SCHEDULED = "scheduled"
    RELEASED = "released"
    STARTED = "started"
    REPORTED_FINISHED = "reported_finished"
    ENDED = "ended"

    @property
    def is_after_release(self) -> bool:
        """Released or any later step of the lifecycle."""
        order = list(OrderStatus)
        return order.index(self) >= order.index(OrderStatus.RELEASED)


class SchedulingLevel(StrEnum):
    """How far the order was scheduled: operations only, or down to jobs."""

    OPERATION = "operation"
    JOB = "job"


class JobKind(StrEnum):
    SETUP = "setup"
    PROCESS = "process"


class WorkStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class WorkType(StrEnum):
    RAW_MATERIAL_PICKING = "raw_material_picking"


class PaperKind(StrEnum):
    """Production papers a release can ask for."""

    JOB_CARD = "job_card"
    ROUTE_CARD = "route_card"
    ROUTE_JOB = "route_job"
    PICKING_LIST = "picking_list"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def needs_jobs(self) -> bool:
        """Job cards and route jobs print jobs, so the order must be scheduled at job level."""
        return self in {PaperKind.JOB_CARD, PaperKind.ROUTE_JOB}


class OutboxStatus(StrEnum):
    """Where a queued chat message stands: waiting to be sent, sent, given up on, or parked
    (the chat refused our credentials: kept, not tried, until someone sends them again)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    PARKED = "parked"


class ReleaseOutcome(StrEnum):
    RELEASED = "released"
    REFUSED = "refused"
