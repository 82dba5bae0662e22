"""Each order's release is all or nothing, even when the database fails half-way through.

Faults are real: a trigger in the database that aborts one statement of one order's
release, or a session hook that fails its commit. Nothing of the service is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.model import (
    OnHand,
    OrderEvent,
    OrderShortage,
    ProductionOrder,
    ReleaseResult,
    WarehouseWork,
)
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus, ReleaseOutcome
from tests.builders import Plant

VICTIM = "P000002"

# (table, timing, condition on NEW): where the release of VICTIM fails, in statement order
TRIGGERS = {
    "work insert": ("warehouse_works", "BEFORE INSERT", "NEW.order_id = {order_id}"),
    "status update": (
        "production_orders",
        "AFTER UPDATE",
        "NEW.id = {order_id} AND NEW.status = 'released'",
    ),
    "release record after the status": (
        "release_results",
        "BEFORE INSERT",
        "NEW.order_id = {order_id} AND NEW.outcome = 'released'",
    ),
}


def _create_failing_trigger(engine: Engine, fault: str, order_id: int) -> None:
    table, timing, condition = TRIGGERS[fault]
    condition = condition.format(order_id=order_id)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    f"CREATE TRIGGER fail_release {timing} ON {table} WHEN {condition} "
                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
                )
            )
            return
        connection.execute(
            text(
                "CREATE FUNCTION fail_release() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$"
            )
        )
        connection.execute(
            text(
                f"CREATE TRIGGER fail_release {timing} ON {table} FOR EACH ROW "
                f"WHEN ({condition}) EXECUTE FUNCTION fail_release()"
            )
        )


def _drop_failing_trigger(engine: Engine, fault: str) -> None:
    table = TRIGGERS[fault][0]
    with engine.begin() as connection:
        on_table = "" if engine.dialect.name == "sqlite" else f" ON {table}"
        connection.execute(text(f"DROP TRIGGER fail_release{on_table}"))


def _fail_commit_of_victim(session: Session) -> None:
    """A commit that fails once everything of the order has been written."""
    status = session.scalar(select(ProductionOrder.status).where(ProductionOrder.number == VICTIM))
    if status is OrderStatus.RELEASED:
        raise RuntimeError("connection lost at commit")


@pytest.fixture
def three_orders(sessions: sessionmaker[Session]) -> int:
    """P000001 and P000003 share RM-1; P000002 alone uses RM-2. Returns P000002's id."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12")
        plant.stock("RM-1", "11", "A-01", 10)
        plant.stock("RM-2", "11", "A-02", 3)
        plant.stock("RM-2", "11", "A-03", 4)
        plant.stock("RM-3", "12", "B-01", 5)
        plant.order([("RM-1", 4)], number="P000001")
        victim = plant.order([("RM-2", 6), ("RM-3", 5, "12")], number=VICTIM)
        plant.order([("RM-1", 5)], number="P000003")
        return victim.id


@dataclass
class Fault:
    """The release of P000002 fails at this point until `remove()`."""

    where: str
    engine: Engine
    sessions: sessionmaker[Session]
    active: bool = True

    def remove(self) -> None:
        if not self.active:
            return
        self.active = False
        if self.where == "commit":
            event.remove(self.sessions, "before_commit", _fail_commit_of_victim)
        else:
            _drop_failing_trigger(self.engine, self.where)


@pytest.fixture(params=[*TRIGGERS, "commit"])
def fault(
    request: pytest.FixtureRequest,
    engine: Engine,
    sessions: sessionmaker[Session],
    three_orders: int,
) -> Iterator[Fault]:
    if request.param == "commit":
        event.listen(sessions, "before_commit", _fail_commit_of_victim)
    else:
        _create_failing_trigger(engine, request.param, three_orders)
    fault = Fault(request.param, engine, sessions)
    yield fault
    fault.remove()


def _release(sessions: sessionmaker[Session], *numbers: str):
    return ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(order_numbers=numbers, requested_by="ann")
    )


def _reserved(session: Session) -> dict[str, Decimal]:
    return {row.location.code: row.reserved for row in session.scalars(select(OnHand))}


def test_a_failure_half_way_leaves_the_order_scheduled_and_the_others_released(
    sessions: sessionmaker[Session], fault: Fault
) -> None:
    report = _release(sessions, "P000001", VICTIM, "P000003")

    by_number = {result.order_number: result for result in report.results}
    assert by_number["P000001"].released and by_number["P000003"].released
    failed = by_number[VICTIM]
    assert not failed.released and failed.work_numbers == ()
    assert failed.reason == (
        f"{VICTIM} could not be released because of an internal error; "
        "nothing was changed, try again"
    )
    with sessions() as session:
        order = session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == VICTIM)
        ).one()
        assert order.status is OrderStatus.SCHEDULED
        assert (order.released_by, order.released_at, order.released_from) == (None, None, None)
        assert order.version == 1
        for table in (WarehouseWork, OrderEvent, OrderShortage):
            assert session.scalar(select(func.count()).where(table.order_id == order.id)) == 0
        assert _reserved(session) == {
            "A-01": Decimal("9.000"),  # P000001 and P000003 only
            "A-02": Decimal("0.000"),
            "A-03": Decimal("0.000"),
            "B-01": Decimal("0.000"),
        }
        outcomes = session.execute(
            select(
                ReleaseResult.order_number, ReleaseResult.outcome, ReleaseResult.reason
            ).order_by(ReleaseResult.id)
        ).all()
        assert outcomes == [
            ("P000001", ReleaseOutcome.RELEASED, None),
            (VICTIM, ReleaseOutcome.REFUSED, failed.reason),
            ("P000003", ReleaseOutcome.RELEASED, None),
        ]


def test_once_the_fault_is_gone_the_order_releases_normally(
    sessions: sessionmaker[Session], fault: Fault
) -> None:
    assert not _release(sessions, VICTIM).all_released
    fault.remove()

    report = _release(sessions, VICTIM)

    assert report.all_released
    assert len(report.results[0].work_numbers) == 2
    with sessions() as session:
        assert _reserved(session) == {
            "A-01": Decimal("0.000"),
            "A-02": Decimal("2.000"),
            "A-03": Decimal("4.000"),
            "B-01": Decimal("5.000"),
        }
