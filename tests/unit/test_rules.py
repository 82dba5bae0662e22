"""Release eligibility: the refusals a person reads, and how order numbers are typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.rules import normalize_order_number, paper_refusal, status_refusal
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel

NOT_SCHEDULED = [status for status in OrderStatus if status is not OrderStatus.SCHEDULED]
JOB, OPERATION = SchedulingLevel.JOB, SchedulingLevel.OPERATION


def test_a_scheduled_order_may_be_released() -> None:
    assert status_refusal("P000001", OrderStatus.SCHEDULED) is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            OrderStatus.CREATED,
            "P000001 is created: estimate and schedule it first, then release it",
        ),
        (OrderStatus.ESTIMATED, "P000001 is estimated: schedule it first, then release it"),
        (
            OrderStatus.RELEASED,
            "P000001 was already released: nothing to release; reset its status to "
            "scheduled first to release it again",
        ),
        (
            OrderStatus.STARTED,
            "P000001 is started: it is already on the shop floor; nothing to release",
        ),
        (
            OrderStatus.REPORTED_FINISHED,
            "P000001 is reported finished: it is already reported as finished; nothing to release",
        ),
        (OrderStatus.ENDED, "P000001 is ended: it is ended; nothing to release"),
    ],
)
def test_every_other_status_is_refused_naming_the_status_and_what_to_do(
    status: OrderStatus, message: str
) -> None:
    assert status_refusal("P000001", status) == message


@pytest.mark.parametrize("status", NOT_SCHEDULED)
def test_each_refusal_names_the_order_and_its_status(status: OrderStatus) -> None:
    reason = status_refusal("P000042", status)

    assert reason is not None and reason.startswith("P000042 ")
    assert status.value.replace("_", " ") in reason
    assert "release" in reason.split(":", 1)[1]  # the remedy part says what to do about it


def test_an_already_released_order_says_who_released_it_and_when() -> None:
    at = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)

    reason = status_refusal("P000001", OrderStatus.RELEASED, "ann", at)

    assert reason is not None
    assert reason.startswith("P000001 was already released by ann at 2026-11-30 06:05 UTC: ")


@pytest.mark.parametrize("paper", [PaperKind.JOB_CARD, PaperKind.ROUTE_JOB])
def test_job_papers_are_refused_for_operation_scheduled_orders(paper: PaperKind) -> None:
    assert paper_refusal("P000001", OPERATION, 0, {paper}) == (
        f"P000001 is scheduled at operation level: {paper.label} needs job scheduling; "
        "choose Route card instead"
    )


def test_both_job_papers_are_named_in_one_refusal() -> None:
    reason = paper_refusal(
        "P000001", OPERATION, 0, {PaperKind.ROUTE_JOB, PaperKind.JOB_CARD, PaperKind.ROUTE_CARD}
    )

    assert reason is not None and "Job card and Route job need job scheduling" in reason


@pytest.mark.parametrize("paper", [PaperKind.JOB_CARD, PaperKind.ROUTE_JOB])
def test_job_papers_for_a_job_scheduled_order_without_jobs_are_refused(paper: PaperKind) -> None:
    assert paper_refusal("P000001", JOB, 0, {paper}) == (
        "P000001 has no scheduled jobs: schedule its jobs before printing job papers"
    )


@pytest.mark.parametrize(
    ("level", "jobs", "papers"),
    [
        (JOB, 4, {PaperKind.JOB_CARD, PaperKind.ROUTE_JOB}),
        (JOB, 0, {PaperKind.ROUTE_CARD, PaperKind.PICKING_LIST}),
        (OPERATION, 0, {PaperKind.ROUTE_CARD, PaperKind.PICKING_LIST}),
        (OPERATION, 0, set()),
    ],
)
def test_papers_the_order_can_print_are_accepted(
    level: SchedulingLevel, jobs: int, papers: set[PaperKind]
) -> None:
    assert paper_refusal("P000001", level, jobs, papers) is None


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("P000123", "P000123"),
        ("p123", "P000123"),
        ("123", "P000123"),
        (" P000123 ", "P000123"),
        ("000123", "P000123"),
        ("p0", "P000000"),
        ("999999", "P999999"),
        ("1234567", "1234567"),  # too long for an order number: kept as typed
        ("P-123", "P-123"),
        ("w000045", "W000045"),
        ("", ""),
        ("P", "P"),
        ("²", "²"),  # a digit int() does not read
    ],
)
def test_normalize_order_number(typed: str, number: str) -> None:
    assert normalize_order_number(typed) == number


@given(st.text(max_size=10))
def test_normalize_order_number_never_fails_and_is_stable(typed: str) -> None:
    number = normalize_order_number(typed)

    assert normalize_order_number(number) == number
