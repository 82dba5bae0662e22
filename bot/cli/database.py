"""`releasebot db upgrade`: Alembic migrations on purpose (shared PostgreSQL)."""

from __future__ import annotations

import typer

from bot.cli.common import console, runtime


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.", no_args_is_help=True)

    @db.command("upgrade")
    def upgrade_command() -> None:
        """Bring the database schema to the newest migration."""
        with runtime(migrate=True):
            console.print("database schema is up to date")

    app.add_typer(db, name="db")
