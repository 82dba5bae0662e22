"""The ERP port: what releasebot asks of the system of record where the orders live.

Everything that belongs to the ERP (its orders, their materials and route, stock, and
the release and reset themselves) goes through `Erp`; Slack, papers, audit, outbox,
digests, preferences and idempotency records stay in releasebot's own database
whatever the ERP. `LocalErp` is releasebot's own database (the embedded default),
`TrytonErp` a Tryton 8.2 server with the releasebot_tryton module.

A release is decided by the ERP, atomically on its side, idempotent on the key we
give it: asking again with the same key answers what the first call did, which is how
a call that timed out is settled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from config import ShortagePolicy


class ErpUnavailable(Exception):
    """The ERP could not be reached or did not answer; nothing was changed by us.

    `sent`: the request may have reached the ERP (an answer lost, not a refused connection),
    so a release must be settled by asking again with its key."""

    def __init__(self, message: str, sent: bool = True) -> None:
        super().__init__(message)
        self.sent = sent


@dataclass(frozen=True)
class ErpOrder:
    """One production order as the ERP lists it."""

    number: str  # what a planner reads in the ERP and types in Slack
    status: str  # releasebot's words: scheduled, released, started, ...
    item: str
    quantity: float
    warehouse: str
    planned_start: str | None  # ISO date
    planned_end: str | None
    version: str | None  # the ERP's write date (or etag): a release checks it has not moved
    item_name: str = ""
    unit: str = ""  # the order's unit of measure, as the ERP writes it


@dataclass(frozen=True)
class PickLine:
    item: str
    name: str
    quantity: float
    unit: str
    from_location: str
    to_location: str


@dataclass(frozen=True)
class PickWork:
    """Picking work of one warehouse for one order."""

    number: str
    warehouse: str
    lines: tuple[PickLine, ...]


@dataclass(frozen=True)
class Shortage:
    item: str
    name: str
    short: float
    unit: str

    def describe(self) -> str:
        return f"{self.item} {self.name}: {self.short:g} {self.unit} short".strip()


@dataclass(frozen=True)
class ErpRelease:
    """The ERP's answer to a release: released with its picking work, or refused, why."""

    order_number: str
    released: bool
    cause: str | None = None  # unknown_order, status, shortage, changed, ...
    reason: str | None = None
    works: tuple[PickWork, ...] = ()
    shortages: tuple[Shortage, ...] = ()
    released_by: str | None = None  # who released it (the winner, when refused as released)
    released_from: str | None = None


@dataclass(frozen=True)
class ErpReset:
    order_number: str
    reset: bool
    cause: str | None = None  # status, started, unknown_order; others: stopped by another
    reason: str | None = None


@dataclass(frozen=True)
class ErpInput:
    """A material the order consumes (a BOM line)."""

    item: str
    name: str
    quantity: float
    unit: str
    location: str | None  # where it is taken from, when the ERP says


@dataclass(frozen=True)
class ErpOperation:
    """A step of the order's route, at the work centre it is (or will be) done."""

    sequence: int
    name: str
    work_center: str  # "" when the ERP names none


@dataclass(frozen=True)
class ErpEvent:
    """A release or reset of the order: who, from where, when."""

    action: str  # release, reset
    by: str
    source: str
    at: datetime


@dataclass(frozen=True)
class ErpOrderDetails:
    """An order as the ERP has it at this moment: what `show` and the papers print."""

    order: ErpOrder
    inputs: tuple[ErpInput, ...] = ()
    operations: tuple[ErpOperation, ...] = ()
    picking: tuple[PickWork, ...] = ()  # its open picking work, once released
    history: tuple[ErpEvent, ...] = ()


@dataclass(frozen=True)
class ErpStatus:
    """`releasebot erp check`: what the ERP is and whether releasebot can use it."""

    kind: str
    reachable: bool
    module_active: bool
    versions: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


class Erp(Protocol):
    """The system of record. Every method may raise `ErpUnavailable`."""

    def orders(self, changed_since: datetime | None = None) -> Iterator[ErpOrder]:
        """The scheduled orders (and, with `changed_since`, every order changed since)."""
        ...

    def details(self, number: str) -> ErpOrderDetails | None: ...

    def availability(self, number: str, policy: ShortagePolicy) -> ErpRelease:
        """What a release would answer now, changing nothing."""
        ...

    def release(
        self,
        number: str,
        *,
        key: str,
        actor: str,
        source: str,
        policy: ShortagePolicy,
        expected_version: str | None = None,
    ) -> ErpRelease: ...

    def reset(self, number: str, *, actor: str, source: str) -> ErpReset: ...

    def reset_all(
        self, numbers: Sequence[str], *, key: str, actor: str, source: str
    ) -> tuple[ErpReset, ...]:
        """These orders reset together or not at all (the undo of a release): one refused
        and none is reset, each answered with its reason (`cause` "others" for the ones
        that could have been). Idempotent on `key`, as a release is."""
        ...

    def check(self) -> ErpStatus: ...
