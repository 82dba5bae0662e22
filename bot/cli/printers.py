"""`releasebot printers`, and printing from the command line through the outbox."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table

from bot.cli.common import console, err_console, fail, print_json, runtime
from bot.cups import Cups, NoSuchQueue, PrinterState, PrinterStatus, pycups_missing
from bot.delivery import kinds
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.printing import printing_senders
from bot.slack.blocks import printing as say
from domain.printing import print_jobs
from domain.rules import normalize_order_number
from domain.runtime import Runtime
from domain.statuses import OutboxStatus, PaperKind
from reports.service import reprint_label

# enough turns for a plan and its jobs; a job that waits for its printer is left to `serve`
SEND_TURNS = 50
STATE_STYLES = {
    PrinterState.IDLE: "green",
    PrinterState.PRINTING: "cyan",
    PrinterState.STOPPED: "yellow",
    PrinterState.UNREACHABLE: "red",
}


class QueueLine(BaseModel):
    queue: str
    papers: list[str]
    sites: list[str]
    warehouses: list[str]
    state: PrinterState
    message: str


def check_printing(run: Runtime, printer: str | None) -> None:
    """Stop before anything changes when printing cannot be asked for: no pycups, no
    configured queue for `--print`, or a `--printer` queue CUPS does not have."""
    if missing := pycups_missing():
        fail(missing)
    printing = run.settings.printing
    if printer is None:
        if not printing.queues:
            fail("--print: no printer queues configured ([printing.queues.NAME] in the config)")
        return
    try:
        Cups(printing.server).status(printer)  # unreachable: the job waits in the outbox
    except NoSuchQueue:
        fail(f"--printer {printer}: CUPS at {printing.server} has no such queue")


def reprint_at_printers(
    run: Runtime, order_numbers: list[str], kind: PaperKind, printer: str | None
) -> bool:
    """Queue a reprint's jobs (the configured queues, or `printer`) and send them now."""
    numbers = list(dict.fromkeys(normalize_order_number(n) for n in order_numbers))
    places = run.papers.places(numbers)
    jobs = print_jobs(run.settings.printing.queues, [kind], places, printer=printer)
    origin = f"reprint:{uuid.uuid4().hex[:12]}:print"
    label = reprint_label([place.number for place in places])
    run.outbox.queue([kinds.print_job(origin, job, label) for job in jobs])
    return send_prints(run, origin)


def send_prints(run: Runtime, under: str) -> bool:
    """Send the print jobs queued under `under` now and say how each went; True when every
    one reached CUPS. What waits for its printer stays in the outbox for `releasebot serve`."""
    senders = printing_senders(run)
    dispatcher = Dispatcher(run.outbox_holding(kinds.SLACK), senders, under=under)
    for _ in range(SEND_TURNS):
        if not dispatcher.run_once():
            break
    jobs = [m for m in run.results.queued_under(under) if m.kind == kinds.PRINT]
    if not jobs:
        console.print("printing: no configured printer queue serves these papers")
        return True
    cups = Cups(run.settings.printing.server)
    for job in jobs:
        kind, queue = PaperKind(job.payload["kind"]), job.payload["queue"]
        if job.status is OutboxStatus.SENT and job.result:
            console.print(say.accepted(kind, queue, job.result["job_id"]))
        elif job.status is OutboxStatus.FAILED:
            err_console.print(say.failed(kind, queue, job.last_error or "refused"), soft_wrap=True)
        else:
            reason = cups.status(queue).waiting_reason or job.last_error or "not sent yet"
            err_console.print(
                f"{say.waiting(kind, queue, reason)}; it waits in the outbox and "
                "`releasebot serve` prints it",
                soft_wrap=True,
            )
    return all(job.status is OutboxStatus.SENT for job in jobs)


def register(app: typer.Typer) -> None:
    @app.command("printers")
    def printers_command(
        as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    ) -> None:
        """The configured printer queues, what each prints and its state at the CUPS server."""
        with runtime() as run:
            printing = run.settings.printing
            if not printing.queues:
                fail("no printer queues configured: add [printing.queues.NAME] to the config")
            if missing := pycups_missing():
                fail(missing)
            cups = Cups(printing.server)
            lines = []
            for name, queue in printing.queues.items():
                try:
                    status = cups.status(name)
                except NoSuchQueue:
                    status = PrinterStatus(name, PrinterState.UNREACHABLE, False, "no such queue")
                lines.append(
                    QueueLine(
                        queue=name,
                        papers=list(queue.papers),
                        sites=queue.sites,
                        warehouses=queue.warehouses,
                        state=status.state,
                        message=status.message,
                    )
                )
        if as_json:
            print_json(lines)
            return
        table = Table(title=f"Printer queues at {printing.server}")
        for column in ("Queue", "Prints", "Sites", "Warehouses", "State"):
            table.add_column(column)
        for line in lines:
            style = STATE_STYLES[line.state]
            state = f"[{style}]{line.state.value}[/{style}]"
            table.add_row(
                line.queue,
                ", ".join(PaperKind(p).label for p in line.papers),
                ", ".join(line.sites) or "all",
                ", ".join(line.warehouses) or "all",
                f"{state} {line.message}".strip(),
            )
        console.print(table)
