"""The read copy of Tryton's orders: new, changed and cancelled orders reach it, and a
release of a copy older than the ERP's order is refused by the ERP, the copy corrected."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.erp.sync import ErpSync, sync_orders
from domain.model import ProductionOrder
from domain.queries import order_summaries
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.erp.conftest import TrytonWorld
from tests.tryton import TrytonServer

pytestmark = [pytest.mark.tryton, pytest.mark.postgres]


def _copy(sessions: sessionmaker[Session], number: str) -> ProductionOrder | None:
    with sessions() as session:
        return session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == number)
        ).one_or_none()


def _id(world: TrytonWorld, number: str) -> int:
    (production,) = world.rpc.call("model.production.search", [("number", "=", number)], 0, 1, None)
    return int(production)


def test_new_changed_and_cancelled_orders_reach_the_copy(
    tryton: TrytonServer, sessions: sessionmaker[Session]
) -> None:
    world = TrytonWorld(tryton)
    moved, cancelled = world.order({"RM": (1, 5)}), world.order({"RM": (1, 5)})
    sync = ErpSync(sessions, world.erp, every_seconds=60)

    first = sync.run_once()
    assert first is not None and first.new >= 2
    assert (copy := _copy(sessions, moved)) and copy.status is OrderStatus.SCHEDULED

    later = date.today() + timedelta(days=9)
    world.rpc.call(
        "model.production.write",
        [_id(world, moved)],
        {"planned_start_date": later, "planned_date": later},
    )
    world.rpc.call("model.production.cancel", [_id(world, cancelled)])
    added = world.order({"RM": (1, 5)})
    second = sync.run_once()

    assert second is not None
    assert (second.new, second.changed, second.gone) == (1, 1, 1)
    copy = _copy(sessions, moved)
    assert copy is not None and copy.scheduled_start == datetime(
        later.year, later.month, later.day, tzinfo=UTC
    )
    gone = _copy(sessions, cancelled)
    assert gone is not None and gone.status is OrderStatus.ENDED
    assert _copy(sessions, added) is not None


def test_a_copy_older_than_the_erp_is_refused_by_the_erp_and_corrected(
    tryton: TrytonServer, sessions: sessionmaker[Session]
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (1, 5)})
    ErpSync(sessions, world.erp, every_seconds=60).run_once()
    later = date.today() + timedelta(days=5)
    world.rpc.call(  # the planner moves it in Tryton after releasebot copied it
        "model.production.write",
        [_id(world, number)],
        {"planned_start_date": later, "planned_date": later},
    )

    report = ReleaseService(sessions, clock=utc_now, erp=world.erp).release(
        ReleaseRequest([number], requested_by="alice", source="test")
    )

    (result,) = report.results
    assert not result.released and result.cause == "changed"
    assert result.reason == (
        f"{number} was changed in Tryton since releasebot read it: look at it again, "
        "then release it"
    )
    copy = _copy(sessions, number)
    assert copy is not None and copy.scheduled_start is not None
    assert copy.scheduled_start.date() == later
    again = ReleaseService(sessions, clock=utc_now, erp=world.erp).release(
        ReleaseRequest([number], requested_by="alice", source="test")
    )
    assert again.results[0].released, again.results[0].reason


def test_the_copy_names_items_as_tryton_does_and_a_full_sync_follows_a_rename(
    tryton: TrytonServer, sessions: sessionmaker[Session]
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (1, 5)})
    sync_orders(sessions, world.erp)
    with sessions() as session:
        [copied] = order_summaries(session, [number])
    assert (copied.item_name, copied.unit) == (f"Item {copied.item}", "u")

    (template,) = world.rpc.call(
        "model.product.template.search", [("code", "=", copied.item)], 0, 1, None
    )
    world.rpc.call("model.product.template.write", [template], {"name": "Bracket, welded"})
    sync_orders(sessions, world.erp)  # a rename does not touch the production

    with sessions() as session:
        [renamed] = order_summaries(session, [number])
    assert (renamed.item, renamed.item_name) == (copied.item, "Bracket, welded")


def test_the_listing_pages_through_every_order_after_the_last_one_seen(
    tryton: TrytonServer,
) -> None:
    world = TrytonWorld(tryton)
    numbers = {world.order({"RM": (1, 5)}) for _ in range(5)}
    whole = [order.number for order in world.erp.orders()]
    paged = world.new_erp()
    paged.page = 2

    listed = [order.number for order in paged.orders()]

    assert listed == whole and numbers <= set(listed)
    assert len(listed) == len(set(listed))
