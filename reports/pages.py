"""The papers' pages as markdown for markdown-pdf, one function per paper kind.

Each page is written as one HTML block (HTML lines without a blank line between them):
markdown-it passes it through whole instead of parsing markdown headings and tables,
which was most of the rendering time of a 1,000-page run, then an eighth of what was left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

from domain.queries import JobView, OperationView, OrderDetail, WorkView
from domain.services.papers import PaperRefused
from domain.types import written, written_quantity

Barcode = Callable[[str], str]
"""The image name under which a page finds the barcode of a value."""


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _hours(hours: Decimal | None) -> str:
    return "-" if hours is None else f"{written(hours)} h"


def _barcode(name: str, label: str, width: int = 170) -> str:
    return f'<p><img src="{name}" width="{width}"/><br/><small>{escape(label)}</small></p>\n'


TICK_BOX = "\u2610"
"""A cell to tick by hand: drawn as a bordered box, not the ☐ character, whose glyph
only a symbol font has (embedding one made a one-page picking list 436 KB)."""


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    css_class: str = "",
    widths: Sequence[str] = (),
) -> str:
    """An HTML table block; cells are escaped text, a leading '*' makes a cell bold and
    a cell of `TICK_BOX` is an empty box to tick."""

    def cell(text: str) -> str:
        if text == TICK_BOX:
            return '<span class="tick"></span>'
        return f"<b>{escape(text[1:])}</b>" if text.startswith("*") else escape(text)

    sizes = [f' width="{width}"' for width in widths] or [""] * len(headers)
    head = "".join(
        f"<th{size}>{escape(title)}</th>" for title, size in zip(headers, sizes, strict=True)
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(text)}</td>" for text in row) + "</tr>" for row in rows
    )
    return f'<table class="{css_class}"><tr>{head}</tr>{body}</table>\n'


def header(order: OrderDetail, title: str, barcode: Barcode) -> str:
    """What every paper starts with: the order, its item, dates, and who released it."""
    released = (
        f"{order.released_by} at {_when(order.released_at)} UTC" if order.released_by else "-"
    )
    return (
        f"<h2>{escape(title)}</h2>\n"
        + _barcode(barcode(order.number), order.number)
        + table(
            ("Order", "Site", "Item", "Quantity", "Scheduled start", "Scheduled end", "Released"),
            [
                (
                    f"*{order.number}",
                    order.site,
                    f"{order.item} {order.item_name}",
                    written_quantity(order.quantity, order.unit),
                    _when(order.scheduled_start),
                    _when(order.scheduled_end),
                    released,
                )
            ],
        )
    )


def _require_jobs(order: OrderDetail, paper: str) -> None:
    if not any(op.jobs for op in order.route):
        raise PaperRefused(f"{order.number} has no scheduled jobs: a {paper} needs job scheduling")


FEEDBACK = "<h3>Feedback</h3>\n" + table(
    ("Report back", "Write here"),
    [
        (field, "")
        for field in (
            "Operator",
            "Good quantity",
            "Scrap",
            "Actual start",
            "Actual end",
            "Signature",
        )
    ],
    css_class="feedback",
    widths=("25%", "75%"),
)


def job_card_pages(order: OrderDetail, barcode: Barcode) -> list[str]:
    """One page per job: what to do, where, when, and room to report back by hand."""
    _require_jobs(order, "job card")
    return [
        _job_card(order, operation, job, barcode)
        for operation in order.route
        for job in operation.jobs
    ]


def _job_row(operation: OperationView, job: JobView) -> tuple[str, ...]:
    return (
        f"*{job.number}",
        f"{operation.operation_number} {operation.name}",
        job.kind,
        job.resource,
        _when(job.scheduled_start),
        _when(job.scheduled_end),
    )


JOB_COLUMNS = ("Job", "Operation", "Job type", "Resource", "Start", "End")


def _job_card(order: OrderDetail, operation: OperationView, job: JobView, barcode: Barcode) -> str:
    return (
        header(order, f"Job card {job.number}", barcode)
        + _barcode(barcode(job.number), job.number)
        + table(JOB_COLUMNS, [_job_row(operation, job)])
        + FEEDBACK
    )


def route_job_page(order: OrderDetail, barcode: Barcode) -> str:
    """All the order's jobs on one page, with a column to tick them off."""
    _require_jobs(order, "route job")
    rows = [(*_job_row(op, job), TICK_BOX) for op in order.route for job in op.jobs]
    return header(order, f"Route job {order.number}", barcode) + table((*JOB_COLUMNS, "Done"), rows)


def route_card_page(order: OrderDetail, barcode: Barcode) -> str:
    """The route's operations, no jobs: fits orders scheduled at operation level."""
    rows = [
        (
            str(op.operation_number),
            op.name,
            op.resource,
            _hours(op.setup_hours),
            _hours(op.run_hours),
            _when(op.scheduled_start),
            _when(op.scheduled_end),
        )
        for op in order.route
    ]
    return header(order, f"Route card {order.number}", barcode) + table(
        ("Oper.", "Name", "Resource", "Setup", "Run", "Start", "End"), rows
    )


def picking_list_pages(order: OrderDetail, barcode: Barcode) -> list[str]:
    """One page per warehouse work of the order (cancelled work is not picked)."""
    return [
        _picking_list(order, work, barcode) for work in order.works if work.status != "cancelled"
    ]


def _picking_list(order: OrderDetail, work: WorkView, barcode: Barcode) -> str:
    rows = [
        (
            str(line.line_number),
            f"{line.item} {line.item_name}",
            written_quantity(line.quantity, line.unit),
            f"{line.from_location} \u2192 {line.to_location}",
            TICK_BOX,
        )
        for line in work.lines
    ]
    return (
        header(order, f"Picking list {work.number}, warehouse {work.warehouse}", barcode)
        + _barcode(barcode(work.number), work.number)
        + table(("Line", "Item", "Quantity", "From \u2192 to", "Picked"), rows)
    )
