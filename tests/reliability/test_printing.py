"""Printing exactly once: two `releasebot serve` replicas sending the same outbox, and a
replica killed (kill -9) after CUPS took a job but before the bot heard so."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from domain.db import make_engine, make_session_factory, upgrade
from tests.cups import IppProxy, PdfPrinter, jobs_of, printing_toml
from tests.e2e.slack.conftest import CHANNEL, Endpoint
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.process import CONFIG, ServerProcess, slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.reliability.orders import plant_orders

pytestmark = pytest.mark.cups
FAST_TAKEOVER = {"OUTBOX_LEASE_SECONDS": "1", "RELEASE_INTERRUPTED_AFTER_SECONDS": "2"}


def print_env(
    tmp_path: Path, slack: SlackStandIn, database_url: str, server: str, printer: PdfPrinter
) -> dict[str, str]:
    """`serve`'s environment with job cards of site 1 printed at `printer` via `server`."""
    env = slack_env(tmp_path, slack, database_url, **FAST_TAKEOVER)
    printing = printing_toml(server, printer.name, ["job_card"], ["1"])
    Path(env["RELEASEBOT_CONFIG"]).write_text(CONFIG + printing)
    return env


def confirm_printing(endpoint: Endpoint, slack: SlackStandIn, numbers: list[str], queue: str):
    view = confirmation_for(endpoint, slack, numbers, papers=["job_card"])
    values = {"print_at": {"print_at": {"selected_options": [{"value": queue}]}}}
    assert endpoint.interact(view_submission(view, values)).status_code == 200


def printed_lines(slack: SlackStandIn, queue: str) -> list[str]:
    return [
        call.args["text"]
        for call in slack.ok_calls("chat.postMessage", channel=CHANNEL)
        if call.args.get("thread_ts") and call.args["text"] == f"Job cards: printed on {queue}"
    ]


def wait_printed(slack: SlackStandIn, queue: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not printed_lines(slack, queue):
        assert time.monotonic() < deadline, "no 'printed' in the thread"
        time.sleep(0.1)


@pytest.mark.postgres
def test_two_replicas_print_a_release_once(
    postgres_url: str, slack: SlackStandIn, printer: PdfPrinter, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)
    numbers = plant_orders(make_session_factory(engine), 3)
    env = print_env(tmp_path, slack, postgres_url, printer.server.address, printer)
    replicas = [start_server(env, tmp_path) for _ in range(2)]
    try:
        confirm_printing(Endpoint(replicas[0].url), slack, numbers, printer.name)
        printer.wait_for_files(1)
        wait_printed(slack, printer.name)
        time.sleep(2)  # leases of 1 s ran out: a second job or line would come now
    finally:
        outputs = [replica.stop() for replica in replicas]
    engine.dispose()
    assert all("Traceback" not in output for output in outputs), outputs
    assert len(printer.printed()) == 1
    assert jobs_of(printer.server, printer.name) == 1
    assert len(printed_lines(slack, printer.name)) == 1


def test_kill_9_after_cups_took_the_job_but_before_the_bot_heard(
    database_url: str, sessions, slack: SlackStandIn, printer: PdfPrinter, tmp_path: Path
) -> None:
    numbers = plant_orders(sessions, 2)
    servers: list[ServerProcess] = []
    proxy = IppProxy(printer.server, lambda: servers[-1].kill())
    env = print_env(tmp_path, slack, database_url, proxy.address, printer)
    servers.append(start_server(env, tmp_path))
    try:
        confirm_printing(Endpoint(servers[0].url), slack, numbers, printer.name)
        servers[0].process.wait(60)
        assert proxy.fired and servers[0].process.returncode == -9

        servers.append(start_server(env, tmp_path))
        printer.wait_for_files(1)
        wait_printed(slack, printer.name)
        time.sleep(2)  # a second submission would come now
    finally:
        servers[-1].stop()
        proxy.close()
    assert len(printer.printed()) == 1
    assert jobs_of(printer.server, printer.name) == 1
    assert len(printed_lines(slack, printer.name)) == 1
