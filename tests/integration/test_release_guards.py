"""The release service's guards for chat clients: idempotency keys, sites."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.model import ProductionOrder, Release, ReleaseResult
from domain.services.release import AlreadyRequested, ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.builders import Plant
from tests.concurrently import at_once


def _plant(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("21", site="2")
        plant.stock("RM-1", "11", "A-01", 100)
        plant.stock("RM-1", "21", "B-01", 100)
        plant.order([("RM-1", 2)], number="P000001")
        plant.order([("RM-1", 2)], number="P000002", warehouse="21")


def _statuses(sessions: sessionmaker[Session]) -> dict[str, OrderStatus]:
    with sessions() as session:
        query = select(ProductionOrder.number, ProductionOrder.status)
        return dict(session.execute(query).tuples().all())


def test_the_same_idempotency_key_releases_once_even_when_sent_at_once(sessions) -> None:
    _plant(sessions)
    service = ReleaseService(sessions, clock=utc_now)
    request = ReleaseRequest(["P000001"], requested_by="ann", idempotency_key="view:V1")

    def attempt(_: int) -> str:
        try:
            return service.release(request).release_number
        except AlreadyRequested as repeat:
            return f"repeat of {repeat.release_number}"

    outcomes = at_once(4, attempt)

    [first] = [outcome for outcome in outcomes if not outcome.startswith("repeat")]
    assert sorted(outcomes).count(f"repeat of {first}") == 3
    with sessions() as session:
        assert session.scalar(select(func.count(Release.id))) == 1
        assert session.scalar(select(func.count(ReleaseResult.id))) == 1


def test_orders_of_other_sites_are_refused_by_the_service(sessions) -> None:
    _plant(sessions)
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(["P000001", "P000002"], requested_by="ann", allowed_sites=frozenset({"1"}))
    )

    assert [result.released for result in report.results] == [True, False]
    assert report.results[1].reason == (
        "P000002 belongs to site 2 and you may release for site 1 only; "
        "ask an administrator to add you in releasebot's configuration"
    )
    assert _statuses(sessions)["P000002"] is OrderStatus.SCHEDULED


def test_a_person_without_sites_releases_nothing(sessions) -> None:
    _plant(sessions)
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(["P000001"], requested_by="eve", allowed_sites=frozenset())
    )

    assert "you may not release orders" in (report.results[0].reason or "")
    assert set(_statuses(sessions).values()) == {OrderStatus.SCHEDULED}
