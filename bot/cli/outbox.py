"""`releasebot outbox`: the messages not sent yet (parked and pending) with their last error;
`releasebot outbox retry` sends the parked ones again, after the app was reinstalled."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, print_json, runtime
from bot.cli.orders import when
from bot.cli.teams import TeamOption, named_team
from domain.statuses import OutboxStatus


def register(app: typer.Typer) -> None:
    outbox_app = typer.Typer(
        help="The messages for Slack not sent yet; `retry` sends the parked ones again.",
        invoke_without_command=True,
    )

    @outbox_app.callback()
    def outbox(
        context: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
        team: TeamOption = None,
    ) -> None:
        """Parked and pending messages, oldest first, each with its last error (only one
        workspace's with --team)."""
        if context.invoked_subcommand is not None:
            return
        with runtime() as run:
            messages, hold = run.monitoring.unsent(named_team(run, team))
        if as_json:
            print_json({"held": hold, "messages": messages})
            return
        if hold is not None:
            console.print(
                f"Sending is stopped since {when(hold.since)} UTC ({hold.reason}): reinstall "
                "the app, then `releasebot outbox retry`."
            )
        if not messages:
            console.print("Nothing waits to be sent.")
            return
        table = Table(title=f"{len(messages):,} messages not sent")
        columns = ("Id", "Kind", "Status", "Tries", "Last error", "Queued", "Next try", "Key")
        for column in ("Workspace", *columns) if run.settings.installs else columns:
            table.add_column(column)
        for message in messages:
            workspace = [message.team_id or message.enterprise_id or "-"]
            table.add_row(
                *(workspace if run.settings.installs else []),
                str(message.id),
                message.kind,
                message.status.value,
                str(message.attempts),
                message.last_error or "-",
                when(message.created_at),
                "-" if message.status is OutboxStatus.PARKED else when(message.next_attempt_at),
                message.dedupe_key,
            )
        console.print(table)

    @outbox_app.command("retry")
    def retry(team: TeamOption = None) -> None:
        """Send the parked messages again, after a reinstall (`serve` sends them in seconds);
        with --team only that workspace's, after a reinstall there."""
        with runtime() as run:
            queued = run.outbox.resume(named_team(run, team))
        where = f" of {team}" if team else ""
        console.print(
            f"{queued:,} parked message{'' if queued == 1 else 's'}{where} queued again; "
            "sending resumes."
        )

    app.add_typer(outbox_app, name="outbox")
