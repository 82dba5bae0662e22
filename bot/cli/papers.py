"""`releasebot papers`: print the production papers of released orders again."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import console, fail, runtime
from domain.statuses import PaperKind
from reports.pages import PaperRefused
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
    ) -> None:
        """Reprint one kind of paper for released orders."""
        with runtime() as run:
            try:
                path = reprint(run.sessions, orders, kind.paper, out, run.settings.paper_size)
            except PaperRefused as refusal:
                fail(str(refusal))
        console.print(f"papers: {path}")
