"""Release eligibility: which orders may be released with which papers, and why not."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime

from domain.statuses import OrderStatus, PaperKind, SchedulingLevel

ORDER_NUMBER = re.compile(r"P\d{6}")

_WHAT_TO_DO = {
    OrderStatus.CREATED: "estimate and schedule it first, then release it",
    OrderStatus.ESTIMATED: "schedule it first, then release it",
    OrderStatus.STARTED: "it is already on the shop floor; nothing to release",
    OrderStatus.REPORTED_FINISHED: "it is already reported as finished; nothing to release",
    OrderStatus.ENDED: "it is ended; nothing to release",
}


def status_refusal(
    number: str,
    status: OrderStatus,
    released_by: str | None = None,
    released_at: datetime | None = None,
) -> str | None:
    """None when the order may be released; otherwise the reason, naming status and remedy."""
    if status is OrderStatus.SCHEDULED:
        return None
    if status is OrderStatus.RELEASED:
        when = f" at {released_at:%Y-%m-%d %H:%M} UTC" if released_at else ""
        who = f" by {released_by}" if released_by else ""
        return (
            f"{number} was already released{who}{when}: nothing to release; "
            "reset its status to scheduled first to release it again"
        )
    return f"{number} is {status.value.replace('_', ' ')}: {_WHAT_TO_DO[status]}"


def site_refusal(number: str, site: str, allowed_sites: Collection[str] | None) -> str | None:
    """None when the person may release for the order's site (None: for every site)."""
    if allowed_sites is None or site in allowed_sites:
        return None
    if allowed_sites:
        noun = "site" if len(allowed_sites) == 1 else "sites"
        mine = f"you may release for {noun} {', '.join(sorted(allowed_sites))} only"
    else:
        mine = "you may not release orders"
    return (
        f"{number} belongs to site {site} and {mine}; "
        "ask an administrator to add you in releasebot's configuration"
    )


def paper_refusal(
    number: str, level: SchedulingLevel, job_count: int, papers: Collection[PaperKind]
) -> str | None:
    """Job cards and route jobs print jobs: refuse them for orders that have none."""
    needing_jobs = [paper.label for paper in PaperKind if paper in papers and paper.needs_jobs]
    if not needing_jobs:
        return None
    if level is not SchedulingLevel.JOB:
        return (
            f"{number} is scheduled at operation level: {' and '.join(needing_jobs)} "
            f"{'needs' if len(needing_jobs) == 1 else 'need'} job scheduling; "
            "choose Route card instead"
        )
    if job_count == 0:
        return f"{number} has no scheduled jobs: schedule its jobs before printing job papers"
    return None


def input_location_refusal(number: str, warehouse_code: str) -> str:
    """Picking work needs somewhere to pick to: the warehouse's production input location."""
    return (
        f"{number}: warehouse {warehouse_code} has no production input location to pick to; "
        "set one up first"
    )


def typed(text: str) -> str:
    """Text a person typed, ready to compare with stored text: trimmed, and without NUL
    characters, which no column holds and PostgreSQL refuses in a query."""
    return text.replace("\x00", "").strip()


def normalize_order_number(text: str) -> str:
    """`p123`, `123` and ` P000123 ` all mean P000123; anything else is kept as typed."""
    cleaned = typed(text).upper()
    digits = cleaned.removeprefix("P")
    if digits.isdecimal() and len(digits) <= 6:  # not isdigit(): int('²') fails
        return f"P{int(digits):06d}"
    return cleaned


def order_number(word: str) -> str | None:
    """The order number a word names (`p123`, `123`, `P000123`), None when it names none."""
    number = normalize_order_number(word)
    return number if ORDER_NUMBER.fullmatch(number) else None
