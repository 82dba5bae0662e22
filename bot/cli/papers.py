"""`releasebot papers`: print the production papers of released orders again."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import EXIT_REFUSED, console, fail, runtime
from bot.cli.printers import check_printing, reprint_at_printers
from domain.services.papers import PaperRefused
from domain.statuses import PaperKind
from reports.service import reprint


class KindOption(StrEnum):
    """The paper kinds as typed on the command line."""

    JOB_CARD = "job-card"
    ROUTE_JOB = "route-job"
    ROUTE_CARD = "route-card"
    PICKING_LIST = "picking-list"

    @property
    def paper(self) -> PaperKind:
        return PaperKind(self.value.replace("-", "_"))


def register(app: typer.Typer) -> None:
    @app.command("papers")
    def papers_command(
        orders: Annotated[
            list[str], typer.Argument(metavar="ORDER", help="Released order numbers.")
        ],
        kind: Annotated[KindOption, typer.Option("--kind", help="Which paper.")],
        out: Annotated[
            Path, typer.Option("--out", help="Where the PDF goes.", file_okay=False)
        ] = Path("papers"),
        to_printers: Annotated[
            bool, typer.Option("--print", help="Print it at the configured queues too.")
        ] = False,
        printer: Annotated[
            str | None, typer.Option("--printer", help="Print it at this CUPS queue too.")
        ] = None,
    ) -> None:
        """Reprint one kind of paper for released orders (to a file, and to printers)."""
        printing = to_printers or printer is not None
        with runtime() as run:
            if printing:
                check_printing(run, printer)
            try:
                path = reprint(run.papers, orders, kind.paper, out, run.settings.paper_size)
            except PaperRefused as refusal:
                fail(str(refusal))
            console.print(f"papers: {path}")
            if printing and not reprint_at_printers(run, orders, kind.paper, printer):
                raise typer.Exit(EXIT_REFUSED)
