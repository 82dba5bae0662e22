"""Many small orders, and what must hold of each of them whatever happened to the server."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from domain.model import (
    OnHand,
    OrderEvent,
    ProductionOrder,
    ReleaseResult,
    WarehouseWork,
)
from domain.statuses import OrderStatus, ReleaseOutcome
from tests.builders import Plant

Key = TypeVar("Key")

# each order takes this much of RM-1 and of RM-2
NEED = 2


def plant_orders(sessions: sessionmaker[Session], count: int) -> list[str]:
    """`count` job-scheduled orders of site 1 with two picked materials, stock for all."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", NEED * count)
        plant.stock("RM-2", "11", "A-02", NEED * count)
        return [
            plant.order([("RM-1", NEED), ("RM-2", NEED)], operations=1).number for _ in range(count)
        ]


def released_once_or_untouched(sessions: sessionmaker[Session]) -> int:
    """Every order released with one work, one event and one result, or untouched;
    the stock reserved is exactly what the released ones pick. Returns how many are released."""
    with sessions() as session:
        works = _count_per_order(session, WarehouseWork.order_id)
        events = _count_per_order(
            session,
            OrderEvent.order_id,
            OrderEvent.to_status == OrderStatus.RELEASED,
        )
        results = _count_per_order(
            session,
            ReleaseResult.order_id,
            ReleaseResult.outcome == ReleaseOutcome.RELEASED,
        )
        released = 0
        for order_id, number, status in session.execute(
            select(ProductionOrder.id, ProductionOrder.number, ProductionOrder.status)
        ):
            counts = (works.get(order_id, 0), events.get(order_id, 0), results.get(order_id, 0))
            if status is OrderStatus.RELEASED:
                assert counts == (1, 1, 1), (
                    f"{number} released with (works, events, results) {counts}"
                )
                released += 1
            else:
                assert (status, counts) == (OrderStatus.SCHEDULED, (0, 0, 0)), number
        reserved = session.scalars(select(OnHand.reserved).order_by(OnHand.id)).all()
    assert reserved == [Decimal(NEED * released)] * 2
    return released


def _count_per_order(
    session: Session, column: InstrumentedAttribute[Key], *where: ColumnElement[bool]
) -> dict[Key, int]:
    query = select(column, func.count()).where(*where).group_by(column)
    return dict(session.execute(query).tuples().all())
