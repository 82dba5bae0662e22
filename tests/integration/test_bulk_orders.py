"""Generated orders for benchmarks, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.model import BomLine, Job, ProductionOrder, RouteOperation
from domain.queries import order_detail
from domain.sample_data import demo
from domain.sample_data.bulk_orders import BATCH_SIZE, generate_orders
from domain.statuses import SchedulingLevel


def _count(session, column) -> int:
    return session.scalar(select(func.count(column)))


def test_generated_orders_are_complete_and_numbered_after_the_existing_ones(
    sessions, engine
) -> None:
    demo.load_demo_company(sessions)
    with sessions.begin() as session:
        master = demo.master_data(session)
    seen: list[int] = []
    count = BATCH_SIZE + 7  # crosses a batch boundary

    assert generate_orders(engine, master, count, seed=3, progress=seen.append) == count

    assert seen == [BATCH_SIZE, count]
    with sessions() as session:
        assert _count(session, ProductionOrder.id) == 40 + count
        numbers = session.scalars(
            select(ProductionOrder.number).where(ProductionOrder.number > "P000040")
        ).all()
        assert sorted(numbers) == [f"P{n:06d}" for n in range(41, 41 + count)]
        generated = select(ProductionOrder.id).where(ProductionOrder.number > "P000040")
        orders_without_bom = session.scalar(
            select(func.count()).where(
                ProductionOrder.id.in_(generated),
                ~select(BomLine.id).where(BomLine.order_id == ProductionOrder.id).exists(),
            )
        )
        assert orders_without_bom == 0
        detail = order_detail(session, "P000041")
        assert detail is not None and detail.route and detail.bom
        assert (detail.jobs > 0) == (detail.scheduling_level is SchedulingLevel.JOB)
        job_orders = session.scalar(
            select(func.count()).where(
                ProductionOrder.id.in_(generated),
                ProductionOrder.scheduling_level == SchedulingLevel.JOB,
            )
        )
        jobs_per_order = 2 * min(len(route) for route in demo.ROUTES.values())
        assert _count(session, Job.id) >= job_orders * jobs_per_order > 0
        assert _count(session, RouteOperation.id) > count


def test_generating_again_adds_more(sessions, engine) -> None:
    demo.load_demo_company(sessions)
    with sessions.begin() as session:
        master = demo.master_data(session)
    generate_orders(engine, master, 5, seed=1)

    generate_orders(engine, master, 5, seed=1)

    with sessions() as session:
        assert _count(session, ProductionOrder.id) == 50
        assert session.scalar(select(func.max(ProductionOrder.number))) == "P000050"
