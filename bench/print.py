"""Printing: time from Confirm to the jobs accepted by CUPS, for a 10-order release.

A `releasebot serve` process (SQLite, the Slack stand-in) and a private cupsd with a
cups-pdf queue. Each round confirms a release of fresh orders with job cards and
picking lists printed at that queue, and times from the Confirm request until CUPS
lists both jobs. The floor renders the same two papers in this process and submits
them straight to CUPS (no release, no outbox). Fastest of the rounds on each side.
Needs cupsd, cups-pdf and root, as the printing tests do.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from bench.report import Figure
from domain.db import make_engine, make_session_factory, upgrade
from domain.model import Release
from domain.services.papers import Papers
from domain.statuses import PaperKind
from reports.service import render_release_papers
from tests.cups import (
    CupsServer,
    cups_unavailable,
    jobs_of,
    pdf_printer,
    printing_toml,
    start_cupsd,
)
from tests.e2e.slack.conftest import Endpoint
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.process import CONFIG, slack_env, start_server
from tests.e2e.slack.standin import running_standin
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.reliability.orders import plant_orders

PART = "print"
PAPERS = ["job_card", "picking_list"]
TARGET_S = 2.0  # Confirm to accepted, on top of the floor's own rendering and submitting
TIMEOUT_S = 120


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=10, help="orders per release")
    parser.add_argument("--rounds", type=int, default=3, help="releases on each side")


def _wait_for_jobs(server: CupsServer, queue: str, count: int) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while jobs_of(server, queue) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"CUPS did not get {count} jobs for {queue}: {server.log()[-2000:]}")
        time.sleep(0.005)


def run(args: argparse.Namespace) -> list[Figure]:
    reason = cups_unavailable()
    if reason:
        raise SystemExit(f"bench print: {reason}")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    cups = start_cupsd()
    ours: list[float] = []
    floor: list[float] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="bench-print-") as workdir,
            pdf_printer(cups, Path(workdir) / "printed") as printer,
            running_standin() as slack,
        ):
            work = Path(workdir)
            url = f"sqlite:///{work / 'print.db'}"
            engine = make_engine(url)
            upgrade(engine)
            sessions = make_session_factory(engine)
            env = slack_env(work, slack, url)
            printing = printing_toml(cups.address, printer.name, PAPERS, ["1"])
            Path(env["RELEASEBOT_CONFIG"]).write_text(CONFIG + printing)
            server = start_server(env, work)
            try:
                endpoint = Endpoint(server.url)
                submitted = 0
                planted = plant_orders(sessions, args.orders * args.rounds)
                for round_number in range(args.rounds):
                    first = round_number * args.orders
                    numbers = planted[first : first + args.orders]
                    view = confirmation_for(endpoint, slack, numbers, papers=PAPERS)
                    ticked = [{"value": printer.name}]
                    values = {"print_at": {"print_at": {"selected_options": ticked}}}
                    confirm = view_submission(view, values, view_id=f"VBENCH{round_number}")
                    started = time.perf_counter()
                    endpoint.interact(confirm).raise_for_status()
                    submitted += len(PAPERS)
                    _wait_for_jobs(cups, printer.name, submitted)
                    ours.append(time.perf_counter() - started)

                    started = time.perf_counter()
                    with sessions() as session:
                        release_id = max(session.query(Release.id).all())[0]
                    kinds = [PaperKind(paper) for paper in PAPERS]
                    paths = render_release_papers(
                        Papers(sessions), release_id, kinds, work / "floor"
                    )
                    connection = cups.connection()
                    for path in paths:
                        connection.printFile(printer.name, str(path), path.name, {})
                    submitted += len(paths)
                    _wait_for_jobs(cups, printer.name, submitted)
                    floor.append(time.perf_counter() - started)
            finally:
                server.stop()
                engine.dispose()
    finally:
        cups.stop()
    best, bare = min(ours), min(floor)
    return [
        Figure(
            PART,
            f"Confirm to {len(PAPERS)} jobs accepted by CUPS, {args.orders}-order release",
            best * 1000,
            "ms",
            bare * 1000,
            f"<= floor + {TARGET_S:g} s",
            best <= bare + TARGET_S,
        )
    ]
