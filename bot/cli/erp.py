"""`releasebot erp check` and `releasebot erp sync`: the ERP that holds the orders."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.common import EXIT_REFUSED, console, print_json, runtime


def register(app: typer.Typer) -> None:
    erp_app = typer.Typer(
        help="The ERP where the orders live (RELEASEBOT_ERP=local|tryton).", no_args_is_help=True
    )

    @erp_app.command()
    def check(
        as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    ) -> None:
        """Is the ERP reachable, is releasebot's module active there, which versions."""
        with runtime() as run:
            status = run.erp.check()
        if as_json:
            print_json(status)
        else:
            where = getattr(run.erp, "where", "releasebot's own database")
            console.print(f"ERP: {status.kind} ({where})")
            console.print(f"reachable: {'yes' if status.reachable else 'no'}")
            console.print(f"module active: {'yes' if status.module_active else 'no'}")
            for name, version in sorted(status.versions.items()):
                console.print(f"{name}: {version}")
            if status.problem:
                console.print(f"problem: {status.problem}")
        if not (status.reachable and status.module_active):
            raise typer.Exit(EXIT_REFUSED)

    @erp_app.command()
    def sync() -> None:
        """Copy the ERP's scheduled orders into releasebot's database (its read copy)."""
        with runtime() as run:
            local = run.remote_erp is None
        if local:  # the orders are these very rows: copying them onto themselves changes them
            console.print(
                "The orders are releasebot's own (RELEASEBOT_ERP=local): nothing to sync."
            )
            return
        with (
            runtime() as run,
            Progress(
                TextColumn("copying orders"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=True,
            ) as progress,
        ):
            task = progress.add_task("sync", total=None)
            report = run.intake.synced(run.erp, lambda n: progress.advance(task, n))
        console.print(f"Synced from the ERP: {report.describe()}.")

    app.add_typer(erp_app, name="erp")
