"""Changing orders: `release` and `reset`."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli.common import EXIT_REFUSED, console, err_console, runtime
from bot.cli.printers import check_printing, send_prints
from domain.events import PrintAt
from domain.release_messages import print_key
from domain.runtime import Runtime
from domain.services.release import ReleaseReport, ReleaseRequest
from domain.statuses import PaperKind
from reports.service import render_release_papers


def default_user() -> str:
    return getpass.getuser()


def print_report(report: ReleaseReport, refusals: Console = err_console) -> None:
    """Released orders on stdout; refusals on stderr unless told otherwise (the demo tour)."""
    for result in report.results:
        if result.released:
            work = ", ".join(result.work_numbers) or "no picking work (nothing warehouse-managed)"
            console.print(f"[green]released[/green] {result.order_number}: work {work}")
            for line in result.shortages:
                console.print(f"  [yellow]released short[/yellow]: {line.describe()}")
        else:
            refusals.print(f"[red]refused[/red]  {result.reason}", soft_wrap=True)


def print_papers(
    run: Runtime, report: ReleaseReport, kinds: frozenset[PaperKind], out: Path
) -> None:
    """Render the chosen papers of the released orders (after they committed)."""
    if not kinds:
        return
    paths = render_release_papers(
        run.papers,
        report.release_id,
        sorted(kinds, key=list(PaperKind).index),
        out,
        run.settings.paper_size,
    )
    for path in paths:
        console.print(f"papers: {path}")


def register(app: typer.Typer) -> None:
    @app.command("release")
    def release_command(
        orders: Annotated[
            list[str], typer.Argument(metavar="ORDER", help="Order numbers, e.g. P000123.")
        ],
        job_card: Annotated[bool, typer.Option("--job-card", help="Print job cards.")] = False,
        route_card: Annotated[
            bool, typer.Option("--route-card", help="Print route cards.")
        ] = False,
        route_job: Annotated[bool, typer.Option("--route-job", help="Print route jobs.")] = False,
        picking_list: Annotated[
            bool, typer.Option("--picking-list", help="Print picking lists.")
        ] = False,
        as_user: Annotated[
            str | None, typer.Option("--as", help="Who releases (default: you).")
        ] = None,
        out: Annotated[
            Path, typer.Option("--out", help="Where the papers' PDFs go.", file_okay=False)
        ] = Path("papers"),
        to_printers: Annotated[
            bool, typer.Option("--print", help="Print the papers at the configured queues.")
        ] = False,
        printer: Annotated[
            str | None, typer.Option("--printer", help="Print all the papers at this CUPS queue.")
        ] = None,
    ) -> None:
        """Release scheduled orders: status, picking work and reservations, per order atomically.

        Exit 0 when every order was released (and, when printing, every paper reached
        CUPS), 1 otherwise.
        """
        chosen = {
            PaperKind.JOB_CARD: job_card,
            PaperKind.ROUTE_CARD: route_card,
            PaperKind.ROUTE_JOB: route_job,
            PaperKind.PICKING_LIST: picking_list,
        }
        printing = to_printers or printer is not None
        request = ReleaseRequest(
            order_numbers=orders,
            requested_by=as_user or default_user(),
            source="cli",
            papers=frozenset(kind for kind, wanted in chosen.items() if wanted),
            # queued with the release itself, so that it cannot be lost
            print_at=PrintAt(printer=printer) if printing else None,
        )
        with runtime() as run:
            if printing:
                check_printing(run, printer)
            report = run.releases.release(request)
            console.print(f"release {report.release_number} by {request.requested_by}")
            print_report(report)
            print_papers(run, report, request.papers, out)
            printed = send_prints(run, print_key(report.release_id)) if printing else True
        if not report.all_released or not printed:
            raise typer.Exit(EXIT_REFUSED)

    @app.command("reset")
    def reset_command(
        orders: Annotated[
            list[str], typer.Argument(metavar="ORDER", help="Released order numbers.")
        ],
        as_user: Annotated[str | None, typer.Option("--as", help="Who resets.")] = None,
    ) -> None:
        """Undo a release: back to scheduled, open work cancelled, reservations freed."""
        with runtime() as run:
            results = run.resets.reset(orders, as_user or default_user())
        for result in results:
            if result.reset:
                cancelled = ", ".join(result.cancelled_work_numbers) or "none"
                console.print(
                    f"[green]reset[/green] {result.order_number} to scheduled; "
                    f"cancelled work: {cancelled}"
                )
            else:
                err_console.print(f"[red]refused[/red]  {result.reason}", soft_wrap=True)
        if not all(result.reset for result in results):
            raise typer.Exit(EXIT_REFUSED)
