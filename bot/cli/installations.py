"""`releasebot installations`: the workspaces and orgs releasebot is installed in through
the install flow, with their bot user, scopes and token expiry; never a token."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, print_json, runtime
from bot.cli.orders import when


def register(app: typer.Typer) -> None:
    @app.command("installations")
    def installations(
        as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    ) -> None:
        """Where releasebot is installed (install flow): team, enterprise, bot user, scopes,
        token expiry."""
        with runtime() as run:
            found = run.installations.installed()
        if as_json:
            print_json(found)
            return
        if not found:
            console.print("Not installed anywhere yet: open /slack/install on the server.")
            return
        table = Table(title=f"{len(found)} installation{'' if len(found) == 1 else 's'}")
        for column in ("Team", "Enterprise", "Bot user", "Scopes", "Token expires", "Installed"):
            table.add_column(column)
        for one in found:
            table.add_row(
                "whole org" if one.org_wide else f"{one.team_name} ({one.team_id})",
                f"{one.enterprise_name} ({one.enterprise_id})" if one.enterprise_id else "-",
                one.bot_user_id or "-",
                ", ".join(one.scopes),
                when(one.token_expires_at) if one.token_expires_at else "never",
                when(one.installed_at),
            )
        console.print(table)
