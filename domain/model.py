"""The persistent domain model (SQLAlchemy 2.0 typed ORM).

Business rules that need no database live in `domain.rules` and `domain.picking`;
this module only says what is stored and how it hangs together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    column,
    table,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.statuses import (
    JobKind,
    OrderStatus,
    OutboxStatus,
    ReleaseOutcome,
    SchedulingLevel,
    WorkStatus,
    WorkType,
)
from domain.types import Quantity, UTCDateTime, string_enum

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def numbered(prefix: str, identifier: int) -> str:
    """Document numbers such as W000045: a prefix and the zero-padded row id."""
    return f"{prefix}{identifier:06d}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


ONLY_ON = "only_on"  # an index's info key: the one kind of database it exists on


def only_on(dialect: str, index: Index) -> Index:
    """An index that exists on one kind of database: not created on the others, and not
    missed there when the migrated schema is compared with the model (`on_dialect`)."""
    index.info[ONLY_ON] = dialect
    return index.ddl_if(dialect=dialect)


# tables a library defines and uses (the chat platform's install flow, migration 0010): not
# in this model; tests/integration/test_migrations.py compares them with the library's own
LIBRARY_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


def on_dialect(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for this kind of database: what the model has there."""

    def include(item: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
        if kind == "table" and reflected and (name or "").startswith(ORDER_NUMBER_TRIGRAMS):
            return False  # SQLite's FTS5 table and its shadow tables, made by migration 0006
        if kind == "table" and reflected and name in LIBRARY_TABLES:
            return False
        if kind != "index" or reflected or not isinstance(item, Index):
            return True
        return bool(item.info.get(ONLY_ON, dialect) == dialect)

    return include


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))

    site: Mapped[Site] = relationship()
    locations: Mapped[list[Location]] = relationship(back_populates="warehouse")

    @property
    def production_input_location(self) -> Location | None:
        return next((loc for loc in self.locations if loc.is_production_input), None)


class Location(Base):
    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code"),
        # at most one production input location per warehouse
        Index(
            "uq_locations_production_input",
            "warehouse_id",
            unique=True,
            sqlite_where=text("is_production_input"),
            postgresql_where=text("is_production_input"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    code: Mapped[str] = mapped_column(String(30))
    is_production_input: Mapped[bool] = mapped_column(Boolean, default=False)

    warehouse: Mapped[Warehouse] = relationship(back_populates="locations")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(10))
    warehouse_managed: Mapped[bool] = mapped_column(Boolean, default=True)


class OnHand(Base):
    """Physical stock of an item at a location, and how much of it picking work has claimed."""

    __tablename__ = "on_hand"
    __table_args__ = (UniqueConstraint("item_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))

    item: Mapped[Item] = relationship()
    location: Mapped[Location] = relationship()

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserved


class Resource(Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))


class ProductionOrder(Base):
    __tablename__ = "production_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(10))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    status: Mapped[OrderStatus] = mapped_column(string_enum(OrderStatus))
    scheduling_level: Mapped[SchedulingLevel] = mapped_column(string_enum(SchedulingLevel))
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=5)
    released_by: Mapped[str | None] = mapped_column(String(100))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_from: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook

    item: Mapped[Item] = relationship()
    site: Mapped[Site] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    bom_lines: Mapped[list[BomLine]] = relationship(
        back_populates="order", order_by="BomLine.line_number", cascade="all, delete-orphan"
    )
    operations: Mapped[list[RouteOperation]] = relationship(
        back_populates="order",
        order_by="RouteOperation.operation_number",
        cascade="all, delete-orphan",
    )
    works: Mapped[list[WarehouseWork]] = relationship(
        back_populates="order", order_by="WarehouseWork.id"
    )
    shortages: Mapped[list[OrderShortage]] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id"
    )

    @property
    def jobs(self) -> list[Job]:
        return [job for operation in self.operations for job in operation.jobs]


# The orders-awaiting-release listing and the order search: status first, in the order
# domain.queries lists them (most urgent first), with every column they filter on, so that
# the first 100 come straight from the index and a search or a count never reads the table.
Index(
    "ix_production_orders_urgency",
    ProductionOrder.status,
    ProductionOrder.scheduled_start.is_(None),
    ProductionOrder.scheduled_start,
    ProductionOrder.priority,
    ProductionOrder.number,
    ProductionOrder.item_id,
    ProductionOrder.site_id,
    ProductionOrder.warehouse_id,
)

# The order search by any part of an order number: on PostgreSQL a pg_trgm index (migration
# 0005), on SQLite an FTS5 trigram table over the numbers, kept by triggers (migration 0006;
# its rowid is the order's id). Neither database can otherwise find a part of a number
# without walking every scheduled order.
ORDER_NUMBER_TRIGRAMS = "order_number_trigrams"
order_number_trigrams = table(ORDER_NUMBER_TRIGRAMS, column("rowid"), column("number"))
only_on(
    "postgresql",
    Index(
        "ix_production_orders_number_trigrams",
        ProductionOrder.number,
        postgresql_using="gin",
        postgresql_ops={"number": "gin_trgm_ops"},
    ),
)


class BomLine(Base):
    __tablename__ = "bom_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))

    order: Mapped[ProductionOrder] = relationship(back_populates="bom_lines")
    item: Mapped[Item] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    location: Mapped[Location | None] = relationship()


class RouteOperation(Base):
    __tablename__ = "route_operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    operation_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"))
    setup_hours: Mapped[Decimal] = mapped_column(Quantity)
    run_hours: Mapped[Decimal] = mapped_column(Quantity)
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[ProductionOrder] = relationship(back_populates="operations")
    resource: Mapped[Resource] = relationship()
    jobs: Mapped[list[Job]] = relationship(
        back_populates="operation", order_by="Job.id", cascade="all, delete-orphan"
    )


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("route_operations.id"), index=True)
    kind: Mapped[JobKind] = mapped_column(string_enum(JobKind))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"))
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_end: Mapped[datetime] = mapped_column(UTCDateTime)

    operation: Mapped[RouteOperation] = relationship(back_populates="jobs")
    resource: Mapped[Resource] = relationship()

    @property
    def number(self) -> str:
        return numbered("J", self.id)


class Release(Base):
    """One release request: who asked, when, from where, with which papers."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(100))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    # a client's key for one request (a Slack view or button): a redelivery releases nothing
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # the chat user who asked (a Slack user ID), so that only they (or an admin) may undo it
    requester_id: Mapped[str | None] = mapped_column(String(100))
    # the chat workspace (or org, team None) it was asked in, when installed in several:
    # what it posts later goes there, wherever its undo is asked
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32))

    results: Mapped[list[ReleaseResult]] = relationship(
        back_populates="release", order_by="ReleaseResult.id"
    )

    @property
    def number(self) -> str:
        return numbered("R", self.id)


class ReleaseResult(Base):
    """What happened to one order of a release; committed with the order when released."""

    __tablename__ = "release_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("production_orders.id"), index=True)
    outcome: Mapped[ReleaseOutcome] = mapped_column(string_enum(ReleaseOutcome))
    reason: Mapped[str | None] = mapped_column(Text)
    # an ERP's release: its picking works and shortages as it answered ({"works", "shortages"})
    erp_answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    release: Mapped[Release] = relationship(back_populates="results")


class WarehouseWork(Base):
    __tablename__ = "warehouse_works"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    work_type: Mapped[WorkType] = mapped_column(string_enum(WorkType))
    status: Mapped[WorkStatus] = mapped_column(string_enum(WorkStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    order: Mapped[ProductionOrder] = relationship(back_populates="works")
    warehouse: Mapped[Warehouse] = relationship()
    lines: Mapped[list[WorkLine]] = relationship(
        back_populates="work", order_by="WorkLine.line_number", cascade="all, delete-orphan"
    )

    @property
    def number(self) -> str:
        return numbered("W", self.id)


class WorkLine(Base):
    __tablename__ = "work_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("warehouse_works.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    bom_line_id: Mapped[int] = mapped_column(ForeignKey("bom_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))

    work: Mapped[WarehouseWork] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    from_location: Mapped[Location] = relationship(foreign_keys=[from_location_id])
    to_location: Mapped[Location] = relationship(foreign_keys=[to_location_id])


class ErpOrderVersion(Base):
    """The ERP's write date (or etag) of an order of the read copy when it was copied: a
    release sends it, and the ERP refuses when its order has changed since (domain/erp)."""

    __tablename__ = "erp_order_versions"

    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))


class OrderShortage(Base):
    """Material an order was released without (policy `allow_partial`)."""

    __tablename__ = "order_shortages"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    bom_line_id: Mapped[int] = mapped_column(ForeignKey("bom_lines.id"))
    quantity_short: Mapped[Decimal] = mapped_column(Quantity)

    order: Mapped[ProductionOrder] = relationship(back_populates="shortages")
    bom_line: Mapped[BomLine] = relationship()


class OrderEvent(Base):
    """The order's history and audit trail: every status change, by whom, from where."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(100))
    from_status: Mapped[OrderStatus] = mapped_column(string_enum(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(string_enum(OrderStatus))
    note: Mapped[str | None] = mapped_column(Text)

    order: Mapped[ProductionOrder] = relationship(back_populates="events")


class OutboxMessage(Base):
    """A message or file for a chat (Slack) to send, written with the change it reports.

    The payload is opaque to the domain; `dedupe_key` makes sure each is queued once,
    and a dispatcher claims due rows (`lease_until`), sends them, and records what the
    chat answered (message ts, file ids) in `result`.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(string_enum(OutboxStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the chat workspace (or org, team None) it goes to, when installed in several: whose
    # token sends it; None with one token for all
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32))


class OutboxHold(Base):
    """Sending is held: the chat refused our credentials for everything (the app was
    uninstalled, its token revoked). While a row is here no message is claimed; sending
    again after a reinstall removes it."""

    __tablename__ = "outbox_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PrintPreference(Base):
    """The papers (and printer queues) a person chose last time, offered again next time."""

    __tablename__ = "print_preferences"

    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    papers: Mapped[list[str]] = mapped_column(JSON)
    # the printer queues chosen last time; None until a choice of queues was offered
    printers: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleaseUndo(Base):
    """An undo of a release asked for in chat, done or refused: the audit of who asked."""

    __tablename__ = "release_undos"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    requester_id: Mapped[str] = mapped_column(String(100))
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(100))
    undone: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)


class DigestSubscription(Base):
    """A channel's scheduled digest of the orders waiting for release.

    `schedule` is the canonical spec (`daily 07:00`, `weekdays 06:30`, `every 2h`,
    `cron 0 7 * * 1-5`) read in `timezone`; ending one keeps its row for its history.
    """

    __tablename__ = "digest_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(40), index=True)
    schedule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    horizon_hours: Mapped[int] = mapped_column(Integer)
    site_code: Mapped[str | None] = mapped_column(String(20))
    all_clear: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(100))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the chat workspace (or org, team None) it posts in, when installed in several
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32))


class DigestRun(Base):
    """One time slot of a subscription, claimed by the replica that posts its digest.

    The unique (subscription, slot) is the claim: a second replica's insert finds it taken.
    """

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "slot_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id"))
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(100))
    order_count: Mapped[int] = mapped_column(Integer)
    posted: Mapped[bool] = mapped_column(Boolean)
