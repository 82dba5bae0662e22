"""Looking at orders: `orders`, `show`, `check`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import EXIT_REFUSED, console, err_console, fail, print_json, runtime
from domain.decision import Ask
from domain.erp import ErpRelease
from domain.queries import (
    OrderDetail,
    OrderFilter,
    OrderSummary,
    WorkView,
)
from domain.rules import normalize_order_number
from domain.services.materials import AvailabilityReport
from domain.statuses import OrderStatus
from domain.types import written, written_quantity

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def parse_date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a date: use YYYY-MM-DD, for example 2026-11-25")


def parse_status(text: str | None) -> OrderStatus | None:
    if text is None:
        return None
    try:
        return OrderStatus(text.lower())
    except ValueError:
        fail(f"--status {text!r} is not a status: use one of {', '.join(OrderStatus)}")


def when(moment: datetime | date | None) -> str:
    if moment is None:
        return "-"
    if isinstance(moment, datetime):
        return f"{moment:%Y-%m-%d %H:%M}"
    return moment.isoformat()


def register(app: typer.Typer) -> None:
    @app.command("orders")
    def orders_command(
        status: Annotated[
            str | None, typer.Option(help="created, scheduled, released, ...")
        ] = None,
        site: Annotated[str | None, typer.Option(help="Site code.")] = None,
        warehouse: Annotated[str | None, typer.Option(help="Warehouse code.")] = None,
        start_from: Annotated[
            str | None, typer.Option("--from", help="Scheduled start on or after (YYYY-MM-DD).")
        ] = None,
        start_to: Annotated[
            str | None, typer.Option("--to", help="Scheduled start on or before (YYYY-MM-DD).")
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """List production orders, most urgent first."""
        order_filter = OrderFilter(
            status=parse_status(status),
            site=site,
            warehouse=warehouse,
            start_from=parse_date("--from", start_from),
            start_to=parse_date("--to", start_to),
        )
        with runtime() as run:
            summaries = run.orders.listed(order_filter)
        if as_json:
            print_json(summaries)
            return
        print_orders(summaries)

    @app.command("show")
    def show_command(
        order: Annotated[str, typer.Argument(metavar="ORDER", help="Order number, e.g. P000123.")],
        as_json: JsonOption = False,
    ) -> None:
        """One order: BOM, route, jobs, picking work and history, as the ERP has it now."""
        with runtime() as run:
            detail = run.order_details.detail(order)
        if detail is None:
            fail(f"{normalize_order_number(order)}: no such production order")
        if as_json:
            print_json(detail)
            return
        print_detail(detail)

    @app.command("check")
    def check_command(
        orders: Annotated[
            list[str], typer.Argument(metavar="ORDER", help="Order numbers, e.g. P000123.")
        ],
    ) -> None:
        """Material availability: what each order would be short of if released now, or why
        it could not be released."""
        with runtime() as run:
            policy = run.settings.shortage_policy
            if run.remote_erp is not None:  # the ERP's own verdict: its release, dry
                answers = [run.remote_erp.availability(number, policy) for number in orders]
                if not print_erp_availability(answers):
                    raise typer.Exit(EXIT_REFUSED)
                return
            reports = run.orders.availability(orders, Ask(policy=policy))
        if not print_availability(reports):
            raise typer.Exit(EXIT_REFUSED)


def print_detail(detail: OrderDetail) -> None:
    console.print(
        f"[bold]{detail.number}[/bold]  {detail.item} {detail.item_name}  "
        f"{written_quantity(detail.quantity, detail.unit)}  [bold]{detail.status.value}[/bold]\n"
        f"site {detail.site}, warehouse {detail.warehouse}, scheduled at "
        f"{detail.scheduling_level.value} level {when(detail.scheduled_start)} -> "
        f"{when(detail.scheduled_end)}, delivery {when(detail.delivery_date)}, "
        f"priority {detail.priority}"
    )
    if detail.released_by:
        console.print(
            f"released by {detail.released_by} at {when(detail.released_at)} "
            f"from {detail.released_from}"
        )
    bom = Table(title="BOM")
    for column in ("Line", "Item", "Qty", "Whs", "Location", "Picked"):
        bom.add_column(column)
    for line in detail.bom:
        bom.add_row(
            str(line.line_number),
            f"{line.item} {line.item_name}",
            written_quantity(line.quantity, line.unit),
            line.warehouse,
            line.location or "-",
            "warehouse work" if line.warehouse_managed else "not warehouse-managed",
        )
    console.print(bom)
    route = Table(title="Route")
    for column in ("Oper.", "Name", "Resource", "Setup h", "Run h", "Start", "End"):
        route.add_column(column)
    for op in detail.route:
        route.add_row(
            str(op.operation_number),
            op.name,
            op.resource,
            "-" if op.setup_hours is None else written(op.setup_hours),
            "-" if op.run_hours is None else written(op.run_hours),
            when(op.scheduled_start),
            when(op.scheduled_end),
        )
    console.print(route)
    if detail.jobs:
        jobs = Table(title="Jobs")
        for column in ("Job", "Oper.", "Kind", "Resource", "Start", "End"):
            jobs.add_column(column)
        for op in detail.route:
            for job in op.jobs:
                jobs.add_row(
                    job.number,
                    str(op.operation_number),
                    job.kind,
                    job.resource,
                    when(job.scheduled_start),
                    when(job.scheduled_end),
                )
        console.print(jobs)
    print_works(detail.works)
    for event in detail.history:
        console.print(
            f"{when(event.at)}  {event.from_status.value} -> {event.to_status.value} "
            f"by {event.actor} ({event.source}){': ' + event.note if event.note else ''}"
        )


def print_works(works: Sequence[WorkView]) -> None:
    for work in works:
        console.print(f"work [bold]{work.number}[/bold] ({work.status}) in {work.warehouse}:")
        for line in work.lines:
            console.print(
                f"  {line.line_number}. {line.item} {written_quantity(line.quantity, line.unit)} "
                f"{line.from_location} -> {line.to_location}"
            )


def print_orders(summaries: Sequence[OrderSummary], title: str = "production orders") -> None:
    table = Table(title=f"{len(summaries)} {title}")
    for column in ("Order", "Status", "Site", "Whs", "Item", "Qty", "Level", "Start", "Jobs"):
        table.add_column(column)
    for order in summaries:
        table.add_row(
            order.number,
            order.status.value,
            order.site,
            order.warehouse,
            f"{order.item} {order.item_name}",
            written_quantity(order.quantity, order.unit),
            order.scheduling_level.value,
            when(order.scheduled_start),
            str(order.jobs),
        )
    console.print(table)


def print_erp_availability(answers: Sequence[ErpRelease]) -> bool:
    """The ERP's verdicts; True when every order could be released with all it needs."""
    all_there = True
    for answer in answers:
        if answer.cause == "shortage" or (answer.released and answer.shortages):
            all_there = False
            console.print(f"[yellow]{answer.order_number}[/yellow] is short:")
            for shortage in answer.shortages:
                console.print(f"  {shortage.describe()}")
        elif not answer.released:
            all_there = False
            console.print(f"[red]{answer.order_number}[/red] cannot be released: {answer.reason}")
        else:
            console.print(f"[green]{answer.order_number}[/green]: all material available")
    return all_there


def print_availability(reports: Sequence[AvailabilityReport]) -> bool:
    """Print each order's shortages; True when every order was found and has all it needs."""
    all_there = True
    for report in reports:
        if not report.found:
            err_console.print(f"[red]{report.order_number}: no such production order[/red]")
            all_there = False
        elif not report.checked:
            console.print(
                f"{report.order_number} ({report.status}): its material was reserved at "
                "release; nothing to check"
            )
        elif report.refusal:
            all_there = False
            console.print(
                f"[red]{report.order_number}[/red] ({report.status}) cannot be released: "
                f"{report.refusal}"
            )
        elif report.shortages:
            all_there = False
            console.print(f"[yellow]{report.order_number}[/yellow] ({report.status}) is short:")
            for line in report.shortages:
                console.print(f"  line {line.line_number}: {line.describe()}")
        else:
            console.print(
                f"[green]{report.order_number}[/green] ({report.status}): all material available"
            )
    return all_there
