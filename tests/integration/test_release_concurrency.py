"""Releases at the same moment: threads and processes, SQLite and PostgreSQL.

Every contender waits at a barrier and then releases at once, so the database's
locking, not the test's timing, decides who wins.
"""

from __future__ import annotations

import multiprocessing
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.db import make_engine, make_session_factory
from domain.model import OnHand, ProductionOrder, WarehouseWork
from domain.services.release import OrderResult, ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.builders import Plant
from tests.concurrently import BARRIER_TIMEOUT_S, at_once

THREADS = 8
PROCESSES = 3


def _release_as(sessions: sessionmaker[Session], user: str, *numbers: str) -> list[OrderResult]:
    request = ReleaseRequest(order_numbers=numbers, requested_by=user, source="test")
    return ReleaseService(sessions, clock=utc_now).release(request).results


def _one_order(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 100)
        plant.order([("RM-1", 7)], number="P000001")


def _assert_released_once_by(sessions: sessionmaker[Session], results: list[OrderResult]) -> None:
    winners = [result for result in results if result.released]
    assert len(winners) == 1, [result.reason for result in results]
    with sessions() as session:
        order = session.scalars(select(ProductionOrder)).one()
        assert order.status is OrderStatus.RELEASED
        assert session.scalar(select(func.count(WarehouseWork.id))) == 1
        assert session.scalar(select(OnHand.reserved)) == Decimal("7.000")
        assert winners[0].work_numbers == (order.works[0].number,)
    for loser in results:
        if not loser.released:
            assert loser.reason is not None
            assert loser.reason.startswith(
                f"P000001 was already released by {order.released_by} at "
            ), loser.reason


def test_many_threads_releasing_one_order_exactly_one_wins(
    sessions: sessionmaker[Session],
) -> None:
    _one_order(sessions)

    results = at_once(THREADS, lambda i: _release_as(sessions, f"user-{i}", "P000001")[0])

    _assert_released_once_by(sessions, results)


def _release_in_process(
    url: str, user: str, barrier: Any, results: Any
) -> None:  # pragma: no cover - runs in a spawned process
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        barrier.wait()
        [result] = _release_as(sessions, user, "P000001")
        results.put(result)
    finally:
        engine.dispose()


def test_processes_releasing_one_order_exactly_one_wins(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    _one_order(sessions)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES, timeout=BARRIER_TIMEOUT_S)
    queue = context.Queue()
    processes = [
        context.Process(
            target=_release_in_process, args=(database_url, f"proc-{i}", barrier, queue)
        )
        for i in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=BARRIER_TIMEOUT_S * 2) for _ in processes]
    for process in processes:
        process.join(timeout=BARRIER_TIMEOUT_S)
        assert process.exitcode == 0

    _assert_released_once_by(sessions, results)


def test_orders_competing_for_the_same_stock_never_reserve_more_than_is_there(
    sessions: sessionmaker[Session],
) -> None:
    """Eight orders each need 4 of RM-1 and 1 of RM-2; there are 10 RM-1: two can go."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 6)
        plant.stock("RM-1", "11", "A-02", 4)
        plant.stock("RM-2", "11", "A-03", 50)
        for index in range(1, THREADS + 1):  # BOM lines in both orders: no lock-order deadlock
            bom = [("RM-1", 4), ("RM-2", 1)] if index % 2 else [("RM-2", 1), ("RM-1", 4)]
            plant.order(bom, number=f"P{index:06d}")

    results = at_once(THREADS, lambda i: _release_as(sessions, f"user-{i}", f"P{i + 1:06d}")[0])

    released = [result for result in results if result.released]
    refused = [result for result in results if not result.released]
    assert len(released) == 2
    for loser in refused:
        assert loser.reason is not None
        assert loser.reason.startswith(f"{loser.order_number} is short of material: "), loser.reason
        assert "RM-1 Item RM-1: short " in loser.reason
    with sessions() as session:
        stock = {
            row.location.code: (row.quantity, row.reserved)
            for row in session.scalars(select(OnHand))
        }
        assert all(0 <= reserved <= quantity for quantity, reserved in stock.values())
        assert stock["A-01"][1] + stock["A-02"][1] == Decimal("8.000")
        assert stock["A-03"][1] == Decimal("2.000")
        statuses = dict(
            session.execute(select(ProductionOrder.number, ProductionOrder.status)).tuples().all()
        )
    assert sorted(n for n, s in statuses.items() if s is OrderStatus.RELEASED) == sorted(
        result.order_number for result in released
    )
