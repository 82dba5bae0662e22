"""The papers' pages as markdown, one function per paper kind (no rendering here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from domain.queries import JobView, OperationView, OrderDetail, WorkView

Barcode = Callable[[str], Path]


class PaperRefused(Exception):
    """This order cannot have this paper (job papers for an order without jobs)."""


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _qty(value: Decimal, unit: str) -> str:
    return f"{value.normalize():f} {unit}"


def _barcode(path: Path, label: str, width: int = 170) -> str:
    return f'<img src="{path.name}" width="{width}"/><br/><small>{label}</small>'


def header(order: OrderDetail, title: str, barcode: Barcode) -> str:
    """What every paper starts with: the order, its item, dates, and who released it."""
    released = (
        f"{order.released_by} at {_when(order.released_at)} UTC" if order.released_by else "-"
    )
    return (
        f"## {title}\n\n"
        f"{_barcode(barcode(order.number), order.number)}\n\n"
        "| Order | Site | Item | Quantity | Scheduled start | Scheduled end | Released |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| **{order.number}** | {order.site} | {order.item} {order.item_name} | "
        f"{_qty(order.quantity, order.unit)} | {_when(order.scheduled_start)} | "
        f"{_when(order.scheduled_end)} | {released} |\n\n"
    )


def _require_jobs(order: OrderDetail, paper: str) -> None:
    if not any(op.jobs for op in order.route):
        raise PaperRefused(f"{order.number} has no scheduled jobs: a {paper} needs job scheduling")


_WRITING_ROOM = "&nbsp;" * 80 + "<br/>&nbsp;"
FEEDBACK = "### Feedback\n\n| Report back | Write here |\n|---|---|\n" + "".join(
    f"| {field} | {_WRITING_ROOM} |\n"
    for field in ("Operator", "Good quantity", "Scrap", "Actual start", "Actual end", "Signature")
)


def job_card_pages(order: OrderDetail, barcode: Barcode) -> list[str]:
    """One page per job: what to do, where, when, and room to report back by hand."""
    _require_jobs(order, "job card")
    return [
        _job_card(order, operation, job, barcode)
        for operation in order.route
        for job in operation.jobs
    ]


def _job_card(order: OrderDetail, operation: OperationView, job: JobView, barcode: Barcode) -> str:
    return (
        header(order, f"Job card {job.number}", barcode)
        + f"{_barcode(barcode(job.number), job.number)}\n\n"
        "| Job | Operation | Job type | Resource | Start | End |\n"
        "|---|---|---|---|---|---|\n"
        f"| **{job.number}** | {operation.operation_number} {operation.name} | {job.kind} | "
        f"{job.resource} | {_when(job.scheduled_start)} | {_when(job.scheduled_end)} |\n\n"
        + FEEDBACK
    )


def route_job_page(order: OrderDetail, barcode: Barcode) -> str:
    """All the order's jobs on one page."""
    _require_jobs(order, "route job")
    rows = "".join(
        f"| {job.number} | {operation.operation_number} {operation.name} | {job.kind} | "
        f"{job.resource} | {_when(job.scheduled_start)} | {_when(job.scheduled_end)} | |\n"
        for operation in order.route
        for job in operation.jobs
    )
    return (
        header(order, f"Route job {order.number}", barcode)
        + "| Job | Operation | Job type | Resource | Start | End | Done |\n"
        "|---|---|---|---|---|---|---|\n" + rows
    )


def route_card_page(order: OrderDetail, barcode: Barcode) -> str:
    """The route's operations, no jobs: fits orders scheduled at operation level."""
    rows = "".join(
        f"| {op.operation_number} | {op.name} | {op.resource} | "
        f"{op.setup_hours.normalize():f} h | {op.run_hours.normalize():f} h | "
        f"{_when(op.scheduled_start)} | {_when(op.scheduled_end)} |\n"
        for op in order.route
    )
    return (
        header(order, f"Route card {order.number}", barcode)
        + "| Oper. | Name | Resource | Setup | Run | Start | End |\n"
        "|---|---|---|---|---|---|---|\n" + rows
    )


def picking_list_pages(order: OrderDetail, barcode: Barcode) -> list[str]:
    """One page per warehouse work of the order (cancelled work is not picked)."""
    return [
        _picking_list(order, work, barcode) for work in order.works if work.status != "cancelled"
    ]


def _picking_list(order: OrderDetail, work: WorkView, barcode: Barcode) -> str:
    rows = "".join(
        f"| {line.line_number} | {line.item} | {_qty(line.quantity, line.unit)} | "
        f"{line.from_location} &rarr; {line.to_location} | &#9744; |\n"
        for line in work.lines
    )
    return (
        header(order, f"Picking list {work.number}, warehouse {work.warehouse}", barcode)
        + f"{_barcode(barcode(work.number), work.number)}\n\n"
        "| Line | Item | Quantity | From &rarr; to | Picked |\n"
        "|---|---|---|---|---|\n" + rows
    )
