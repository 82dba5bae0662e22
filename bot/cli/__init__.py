"""The `releasebot` command line: every command a thin shell around a domain service."""

from __future__ import annotations

import typer

from bot.cli import (
    data,
    database,
    demo,
    digest,
    erp,
    installations,
    orders,
    outbox,
    papers,
    printers,
    release,
    serve,
)

app = typer.Typer(
    name="releasebot",
    help="Release scheduled production orders to the shop floor.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
for module in (
    demo,
    data,
    database,
    orders,
    release,
    papers,
    printers,
    digest,
    outbox,
    installations,
    erp,
    serve,
):
    module.register(app)


def main() -> None:
    app()
