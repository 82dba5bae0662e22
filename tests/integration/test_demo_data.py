"""The demo company on both databases: complete, consistent, and loaded once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from domain.model import Item, OnHand, OrderShortage, ProductionOrder, WarehouseWork
from domain.queries import OrderFilter, list_orders
from domain.sample_data import demo
from domain.services.materials import check_availability
from domain.statuses import OrderStatus, SchedulingLevel, WorkStatus


def test_demo_company_has_every_status_and_the_cases_the_tour_needs(sessions) -> None:
    assert demo.load_demo_company(sessions) == 40

    with sessions() as session:
        statuses = Counter(session.scalars(select(ProductionOrder.status)))
        assert set(statuses) == set(OrderStatus)
        scheduled = list_orders(session, OrderFilter(status=OrderStatus.SCHEDULED))
        assert {o.scheduling_level for o in scheduled} == set(SchedulingLevel)
        assert all(o.jobs > 0 for o in scheduled if o.scheduling_level is SchedulingLevel.JOB)
        assert session.scalar(select(func.count()).where(~Item.warehouse_managed)) >= 2
        [short] = [
            r for r in check_availability(session, [o.number for o in scheduled]) if r.shortages
        ]
        assert short.order_number == demo.TOUR_SHORT
        two = session.scalars(
            select(ProductionOrder).filter_by(number=demo.TOUR_TWO_WAREHOUSES)
        ).one()
        assert len({line.warehouse_id for line in two.bom_lines}) == 2


def test_released_and_later_orders_are_consistent_with_their_work(sessions) -> None:
    demo.load_demo_company(sessions)

    with sessions() as session:
        for order in session.scalars(select(ProductionOrder)):
            statuses = {work.status for work in order.works}
            if order.status is OrderStatus.RELEASED:
                assert statuses == {WorkStatus.OPEN}, order.number
            elif order.status.is_after_release:
                assert statuses == {WorkStatus.CLOSED}, order.number
            else:
                assert statuses == set(), order.number
        open_lines = [
            line
            for work in session.scalars(select(WarehouseWork).filter_by(status=WorkStatus.OPEN))
            for line in work.lines
        ]
        reserved = sum(row.reserved for row in session.scalars(select(OnHand)))
        assert reserved == sum(line.quantity for line in open_lines) > 0
        assert session.scalar(select(func.count(OrderShortage.id))) == 0


def test_loading_twice_adds_nothing(sessions) -> None:
    demo.load_demo_company(sessions)
    with sessions() as session:
        before = {
            table: session.scalar(select(func.count()).select_from(table))
            for table in (ProductionOrder, OnHand, WarehouseWork, Item)
        }

    assert demo.load_demo_company(sessions) == 0

    with sessions() as session:
        after = {table: session.scalar(select(func.count()).select_from(table)) for table in before}
    assert after == before
