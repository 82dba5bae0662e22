"""Getting orders in: `demo-data` (the demo company, generated orders) and `import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from bot.cli.common import EXIT_REFUSED, console, err_console, fail, runtime
from domain.importer import ImportFileError, ImportRejected


def register(app: typer.Typer) -> None:
    @app.command("demo-data")
    def demo_data_command(
        orders: Annotated[
            int, typer.Option("--orders", min=0, help="Also generate this many orders.")
        ] = 0,
    ) -> None:
        """Load the demo company (twice adds nothing); --orders N adds N generated orders."""
        with runtime() as run:
            added = run.intake.demo_company()
            console.print(f"demo company: {added} orders added")
            if orders:
                with Progress(console=console, transient=False) as progress:
                    task = progress.add_task("generating orders", total=orders)
                    run.intake.generated(orders, lambda done: progress.update(task, completed=done))
                console.print(f"{orders} generated orders added")

    @app.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(metavar="FILE", help="Orders as .json or .csv.")],
    ) -> None:
        """Import production orders: all valid -> all imported; any bad row -> none."""
        with runtime() as run:
            try:
                count = run.intake.imported(file)
            except ImportFileError as error:
                fail(str(error))
            except ImportRejected as rejected:
                for row_error in rejected.errors:
                    err_console.print(str(row_error), soft_wrap=True, markup=False)
                err_console.print(f"[red]{rejected}[/red]")
                raise typer.Exit(EXIT_REFUSED) from None
        console.print(f"imported {count} orders from {file}")
