"""`releasebot outbox`: the messages not sent yet (parked and pending) with their last error;
`releasebot outbox retry` sends the parked ones again, after the app was reinstalled."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, print_json, runtime
from bot.cli.orders import when
from domain.outbox import Outbox, current_hold, unsent
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
    ) -> None:
        """Parked and pending messages, oldest first, each with its last error."""
        if context.invoked_subcommand is not None:
            return
        with runtime() as run, run.sessions() as session:
            messages = unsent(session)
            hold = current_hold(session)
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
        for column in ("Id", "Kind", "Status", "Tries", "Last error", "Queued", "Next try", "Key"):
            table.add_column(column)
        for message in messages:
            table.add_row(
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
    def retry() -> None:
        """Send the parked messages again, after a reinstall (`serve` sends them in seconds)."""
        with runtime() as run:
            queued = Outbox(run.sessions).resume()
        console.print(
            f"{queued:,} parked message{'' if queued == 1 else 's'} queued again; sending resumes."
        )

    app.add_typer(outbox_app, name="outbox")
