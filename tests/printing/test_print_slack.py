"""Printing a release confirmed in Slack: "Print at …" in the confirmation, the papers in
the cups-pdf output of the right queues, and the release's thread told how it went."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import select

from config.settings import Printing, PrintQueue
from domain.model import Release
from domain.outbox import messages_under
from domain.preferences import last_printers
from domain.statuses import OutboxStatus, PaperKind
from reports.service import render_release_papers
from tests.cups import CupsServer, IppProxy, PdfPrinter, jobs_of, pdf_printer
from tests.e2e.slack.conftest import CHANNEL, PLANNER, Bot, serve
from tests.e2e.slack.payloads import button, message_event, view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_chat import DM, ask, buttons
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.e2e.slack.test_release_flow import plant

pytestmark = pytest.mark.cups


@pytest.fixture
def laser(cups_server: CupsServer, tmp_path: Path) -> Iterator[PdfPrinter]:
    with pdf_printer(cups_server, tmp_path / "laser") as queue:
        yield queue


def printing(server: CupsServer | IppProxy, line: PdfPrinter, laser: PdfPrinter) -> Printing:
    """Job cards of site 1 at `line`, picking lists of warehouse 11 at `laser`, through
    `server` (the private cupsd, or a relay in front of it)."""
    return Printing(
        server=server.address,
        retry_seconds=0.3,
        queues={
            line.name: PrintQueue(papers=["job_card"], sites=["1"]),
            laser.name: PrintQueue(papers=["picking_list"], warehouses=["11"]),
        },
    )


@pytest.fixture
def printing_bot(
    engine, database_url: str, slack: SlackStandIn, printer: PdfPrinter, laser: PdfPrinter
) -> Iterator[Bot]:
    started, served = serve(database_url, slack, printing=printing(printer.server, printer, laser))
    plant(started)
    yield started
    served.stop()
    started.services.runtime.engine.dispose()


def offered(view: dict) -> tuple[list[str], list[str]]:
    """The queues "Print at" offers, and those ticked."""
    [block] = [b for b in view["blocks"] if b.get("block_id") == "print_at"]
    element = block["element"]
    values = [option["value"] for option in element["options"]]
    ticked = [option["value"] for option in element.get("initial_options") or []]
    return values, ticked


def confirm(bot: Bot, view: dict, queues: list[str], view_id: str = "VMODAL1") -> None:
    values = {"print_at": {"print_at": {"selected_options": [{"value": q} for q in queues]}}}
    assert bot.interact(view_submission(view, values, view_id=view_id)).status_code == 200


def thread_lines(slack: SlackStandIn, channel: str = CHANNEL) -> list[str]:
    return [
        call.args["text"]
        for call in slack.ok_calls("chat.postMessage", channel=channel)
        if call.args.get("thread_ts")
    ]


def starting(slack: SlackStandIn, text: str, channel: str = CHANNEL) -> list[str]:
    """The thread's lines that start with `text`."""
    return [line for line in thread_lines(slack, channel) if line.startswith(text)]


def wait_for_line(
    slack: SlackStandIn, text: str, timeout: float = 30, channel: str = CHANNEL
) -> None:
    """Until a line of the thread starts with `text`."""
    deadline = time.monotonic() + timeout
    while not starting(slack, text, channel):
        assert time.monotonic() < deadline, f"{text!r} not in {thread_lines(slack, channel)}"
        time.sleep(0.05)


def pages(pdf: Path) -> int:
    with pymupdf.open(pdf) as document:
        return document.page_count


def expected_pages(bot: Bot, kind: PaperKind, out: Path) -> int:
    with bot.sessions() as session:
        release_id = session.scalars(select(Release.id)).one()
    [path] = render_release_papers(bot.services.runtime.papers, release_id, [kind], out)
    return pages(path)


def test_a_release_prints_each_paper_at_its_queue_and_says_so_in_the_thread(
    printing_bot: Bot, slack: SlackStandIn, printer: PdfPrinter, laser: PdfPrinter, tmp_path: Path
) -> None:
    view = confirmation_for(printing_bot, slack, ["P000001"], papers=["job_card", "picking_list"])
    assert offered(view) == ([printer.name, laser.name], [printer.name, laser.name])

    confirm(printing_bot, view, [printer.name, laser.name])

    [job_cards] = printer.wait_for_files(1)
    [picking] = laser.wait_for_files(1)
    assert pages(job_cards) == expected_pages(printing_bot, PaperKind.JOB_CARD, tmp_path / "j")
    assert pages(picking) == expected_pages(printing_bot, PaperKind.PICKING_LIST, tmp_path / "p")
    wait_for_line(slack, f"Job cards: printed on {printer.name}")
    wait_for_line(slack, f"Picking lists: printed on {laser.name}")
    with printing_bot.sessions() as session:
        assert last_printers(session, PLANNER) == [printer.name, laser.name]


def test_the_last_choice_of_printers_is_ticked_next_time(
    printing_bot: Bot, slack: SlackStandIn, printer: PdfPrinter, laser: PdfPrinter
) -> None:
    view = confirmation_for(printing_bot, slack, ["P000001"], papers=["job_card", "picking_list"])
    confirm(printing_bot, view, [printer.name])  # not the picking lists
    printer.wait_for_files(1)

    later = confirmation_for(printing_bot, slack, ["P000002"], papers=["picking_list"])
    elsewhere = confirmation_for(printing_bot, slack, ["P000003"], papers=["picking_list"])

    assert offered(later) == ([laser.name], [])  # offered, but left unticked last time
    # P000003 is of warehouse 21: no queue serves its picking list, nothing is offered
    assert not [b for b in elsewhere["blocks"] if b.get("block_id") == "print_at"]
    assert laser.printed() == []


def test_a_stopped_printer_waits_says_so_once_and_prints_once_when_started(
    printing_bot: Bot, slack: SlackStandIn, printer: PdfPrinter
) -> None:
    printer.stop()
    view = confirmation_for(printing_bot, slack, ["P000001"], papers=["job_card"])
    confirm(printing_bot, view, [printer.name])

    waiting = (
        f"Job cards: printing on {printer.name} is waiting: printer stopped (stopped by the test)"
    )
    wait_for_line(slack, waiting)
    time.sleep(1.5)  # a few more looks at the stopped printer
    assert printer.printed() == []

    printer.start()
    printer.wait_for_files(1)
    wait_for_line(slack, f"Job cards: printed on {printer.name}")
    time.sleep(1)  # a second job would come now
    assert len(printer.printed()) == 1
    assert thread_lines(slack).count(waiting) == 1


def test_the_chat_question_offers_print_at_and_confirm_prints_what_is_ticked(
    printing_bot: Bot, slack: SlackStandIn, printer: PdfPrinter, laser: PdfPrinter
) -> None:
    answer = ask(printing_bot, slack, message_event("release 1 with job card and picking list"))
    [element] = [
        e for b in answer.args["blocks"] if b.get("block_id") == "print_at" for e in b["elements"]
    ]
    assert [o["value"] for o in element["options"]] == [printer.name, laser.name]
    assert [o["value"] for o in element["initial_options"]] == [printer.name, laser.name]

    payload = button(
        "chat_confirm",
        buttons(answer)["chat_confirm"]["value"],
        channel=DM,
        message={"ts": answer.response["ts"], "text": answer.args["text"]},
    )
    ticked = [{"value": laser.name}]  # the person unticked the line printer
    payload["state"] = {"values": {"print_at": {"print_at": {"selected_options": ticked}}}}
    assert printing_bot.interact(payload).status_code == 200

    laser.wait_for_files(1)
    wait_for_line(slack, f"Picking lists: printed on {laser.name}", channel=DM)
    assert printer.printed() == []


def test_a_job_cups_cancels_is_said_once_and_not_sent_again(
    printing_bot: Bot, slack: SlackStandIn, printer: PdfPrinter
) -> None:
    connection = printer.server.connection()
    connection.addPrinterOptionDefault(printer.name, "job-hold-until", "indefinite")
    view = confirmation_for(printing_bot, slack, ["P000001"], papers=["job_card"])
    confirm(printing_bot, view, [printer.name])
    deadline = time.monotonic() + 30
    while not (held := printer.server.connection().getJobs(which_jobs="not-completed")):
        assert time.monotonic() < deadline, "the job did not reach CUPS"
        time.sleep(0.05)

    [job_id] = held
    printer.server.connection().cancelJob(job_id)

    failed = f"Job cards: printing on {printer.name} failed: job canceled"
    wait_for_line(slack, failed)
    time.sleep(1.5)  # a retry would come now
    assert thread_lines(slack).count(failed) == 1
    assert jobs_of(printer.server, printer.name) == 1
    assert printer.printed() == []


def test_a_queue_cups_does_not_have_is_said_once_and_given_up(
    printing_bot: Bot, slack: SlackStandIn, laser: PdfPrinter
) -> None:
    view = confirmation_for(printing_bot, slack, ["P000001"], papers=["picking_list"])
    laser.server.connection().deletePrinter(laser.name)  # an admin removed it meanwhile

    confirm(printing_bot, view, [laser.name])

    failed = f"Picking lists: printing on {laser.name} failed: CUPS has no queue '{laser.name}'"
    wait_for_line(slack, failed)
    time.sleep(1.5)  # a retry would come now
    assert len(starting(slack, failed)) == 1
    with printing_bot.sessions() as session:
        [job] = [m for m in messages_under(session, "release:") if m.kind == "print_job"]
    assert job.status is OutboxStatus.FAILED


def test_an_unreachable_cups_server_waits_says_so_once_and_prints_once_when_back(
    engine, database_url: str, slack: SlackStandIn, printer: PdfPrinter, laser: PdfPrinter
) -> None:
    proxy = IppProxy(printer.server)
    started, served = serve(database_url, slack, printing=printing(proxy, printer, laser))
    try:
        plant(started)
        view = confirmation_for(started, slack, ["P000001"], papers=["job_card"])
        proxy.down()

        confirm(started, view, [printer.name])

        waiting = f"Job cards: printing on {printer.name} is waiting: printer unreachable"
        wait_for_line(slack, waiting)
        time.sleep(1)  # a few more tries at the server that is down
        proxy.up()
        printer.wait_for_files(1)
        wait_for_line(slack, f"Job cards: printed on {printer.name}")
        time.sleep(1)  # a second job would come now
    finally:
        served.stop()
        proxy.close()
        started.services.runtime.engine.dispose()
    assert len(starting(slack, waiting)) == 1
    assert len(printer.printed()) == 1
