"""`releasebot demo`: the no-Slack tour of a release, on the demo company."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.rule import Rule

from bot.cli.common import console, runtime
from bot.cli.orders import print_availability, print_orders, print_works
from bot.cli.release import print_papers, print_report
from domain.queries import OrderFilter
from domain.runtime import Runtime
from domain.sample_data import demo
from domain.services.release import ReleaseRequest
from domain.statuses import OrderStatus, PaperKind

PAPERS = Path("papers")
PLANNER = "ann.planner"
SUPERVISOR = "bob.supervisor"


def _step(title: str) -> None:
    console.print()
    console.print(Rule(f"[bold]{title}[/bold]", align="left"))


def _release(
    run: Runtime, who: str, *numbers: str, papers: frozenset[PaperKind] = frozenset()
) -> None:
    report = run.releases.release(
        ReleaseRequest(order_numbers=numbers, requested_by=who, source="demo tour", papers=papers)
    )
    console.print(f"release {report.release_number} by {who}")
    print_report(report, refusals=console)
    print_papers(run, report, papers, PAPERS)
    for result in report.results:
        if result.released:
            detail = run.order_details.detail(result.order_number)
            if detail is not None:
                print_works([w for w in detail.works if w.number in result.work_numbers])


def _rewind(run: Runtime) -> None:
    """A second tour starts where the first did: the tour's own releases are undone."""
    tour = [demo.TOUR_JOB_ORDER, demo.TOUR_TWO_WAREHOUSES, demo.TOUR_SPLIT]
    released = [
        summary.number
        for summary in run.orders.listed(OrderFilter(status=OrderStatus.RELEASED))
        if summary.number in tour
    ]
    if released:
        run.resets.reset(released, requested_by=PLANNER, source="demo tour")
        console.print(f"(undid the previous tour's releases of {', '.join(released)})")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command() -> None:
        """Tour: create the database, load the demo company, release a few orders."""
        with runtime() as run:
            _step("1. The demo company")
            added = run.intake.demo_company()
            console.print(
                f"database {run.settings.database_url}: {added} demo orders added"
                if added
                else f"database {run.settings.database_url}: demo company already loaded"
            )
            _rewind(run)

            _step("2. Orders waiting for release, most urgent first")
            waiting = run.orders.listed(OrderFilter(status=OrderStatus.SCHEDULED))
            print_orders(waiting, "orders waiting for release")

            _step("3. Material check before release")
            tour = [demo.TOUR_JOB_ORDER, demo.TOUR_TWO_WAREHOUSES, demo.TOUR_SHORT, demo.TOUR_SPLIT]
            print_availability(run.orders.availability(tour))

            _step(f"4. {PLANNER} releases {demo.TOUR_JOB_ORDER} (job-scheduled) with job cards")
            _release(
                run,
                PLANNER,
                demo.TOUR_JOB_ORDER,
                papers=frozenset({PaperKind.JOB_CARD, PaperKind.PICKING_LIST}),
            )

            _step(f"5. {demo.TOUR_TWO_WAREHOUSES}: materials in two warehouses, two works")
            _release(
                run, PLANNER, demo.TOUR_TWO_WAREHOUSES, papers=frozenset({PaperKind.ROUTE_CARD})
            )

            _step(f"6. {demo.TOUR_SPLIT}: one location is not enough, the pick is split")
            _release(run, PLANNER, demo.TOUR_SPLIT)

            _step("7. What is refused, and why")
            _release(run, PLANNER, demo.TOUR_SHORT, demo.TOUR_CREATED)
            _release(run, PLANNER, demo.TOUR_OPERATION, papers=frozenset({PaperKind.JOB_CARD}))

            _step(f"8. {SUPERVISOR} releases {demo.TOUR_JOB_ORDER} a moment later")
            _release(run, SUPERVISOR, demo.TOUR_JOB_ORDER)

            _step(f"9. Undo: {demo.TOUR_TWO_WAREHOUSES} back to scheduled")
            for result in run.resets.reset(
                [demo.TOUR_TWO_WAREHOUSES], requested_by=PLANNER, source="demo tour"
            ):
                console.print(
                    f"reset {result.order_number}: cancelled work "
                    f"{', '.join(result.cancelled_work_numbers)}, reservations freed"
                    if result.reset
                    else f"reset refused: {result.reason}"
                )

            _step("Next")
            console.print(
                "releasebot orders --status released   releasebot show "
                f"{demo.TOUR_SPLIT}   releasebot release --help"
            )
