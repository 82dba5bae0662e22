"""`releasebot release --print / --printer`, `releasebot papers --print` and
`releasebot printers` against a real cupsd with cups-pdf queues."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from domain.sample_data import demo
from tests.cups import CupsServer, PdfPrinter, pdf_printer
from tests.e2e.test_demo_cli import run_in
from tests.integration.test_papers import decoded_barcodes

pytestmark = pytest.mark.cups


def pages(pdf: Path) -> int:
    with pymupdf.open(pdf) as document:
        return document.page_count


@pytest.fixture
def laser(cups_server: CupsServer, tmp_path: Path) -> Iterator[PdfPrinter]:
    """A second queue: warehouse 11's picking lists."""
    with pdf_printer(cups_server, tmp_path / "laser") as queue:
        yield queue


def configure(directory: Path, server: str, queues: dict[str, str]) -> Path:
    lines = [f'[printing]\nserver = "{server}"\nretry_seconds = 0.5\n']
    lines += [f"[printing.queues.{name}]\n{rule}\n" for name, rule in queues.items()]
    config = directory / "releasebot.toml"
    config.write_text("\n".join(lines))
    return config


def releasebot(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in(directory, *args, RELEASEBOT_CONFIG="releasebot.toml")


@pytest.fixture
def shop(tmp_path: Path, printer: PdfPrinter, laser: PdfPrinter) -> Path:
    """The demo company; job cards of site 1 at `printer`, picking lists of warehouse 11
    at `laser`."""
    configure(
        tmp_path,
        printer.server.address,
        {
            printer.name: 'papers = ["job-card", "route-card"]\nsites = ["1"]',
            laser.name: 'papers = ["picking-list"]\nwarehouses = ["11"]',
        },
    )
    assert releasebot(tmp_path, "demo-data").returncode == 0
    return tmp_path


def test_release_print_sends_each_paper_to_the_queue_configured_for_it(
    shop: Path, printer: PdfPrinter, laser: PdfPrinter
) -> None:
    result = releasebot(
        shop, "release", demo.TOUR_TWO_WAREHOUSES, "--route-card", "--picking-list", "--print"
    )

    assert result.returncode == 0, result.stderr
    assert f"Route cards: sent to {printer.name} (CUPS job" in result.stdout
    assert f"Picking lists: sent to {laser.name} (CUPS job" in result.stdout
    [route_cards] = printer.wait_for_files(1)
    [picking] = laser.wait_for_files(1)
    rendered = {path.name: pages(path) for path in (shop / "papers").glob("*.pdf")}
    assert pages(route_cards) == rendered["route-cards-R000002.pdf"]
    # warehouse 11's work only: the full picking list also has warehouse 12's page
    assert pages(picking) == rendered["picking-lists-R000002.pdf"] - 1
    # and it is that work's page: its barcodes read the order and warehouse 11's work
    shown = json.loads(releasebot(shop, "show", demo.TOUR_TWO_WAREHOUSES, "--json").stdout)
    [work] = [work["number"] for work in shown["works"] if work["warehouse"] == "11"]
    assert {demo.TOUR_TWO_WAREHOUSES, work} <= decoded_barcodes(picking, 1, shop)


def test_printer_sends_every_paper_to_that_queue(shop: Path, laser: PdfPrinter) -> None:
    result = releasebot(
        shop, "release", demo.TOUR_JOB_ORDER, "--route-job", "--picking-list",
        "--printer", laser.name,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert sorted(pages(path) for path in laser.wait_for_files(2)) == [1, 1]


def test_an_unknown_printer_is_refused_before_anything_is_released(shop: Path) -> None:
    result = releasebot(shop, "release", demo.TOUR_JOB_ORDER, "--job-card", "--printer", "nope")

    assert result.returncode == 2
    assert "--printer nope: CUPS at" in result.stderr and "has no such queue" in result.stderr
    assert "released" not in result.stdout


def test_a_stopped_printer_leaves_the_job_waiting_in_the_outbox(
    shop: Path, printer: PdfPrinter
) -> None:
    printer.stop()

    result = releasebot(shop, "release", demo.TOUR_JOB_ORDER, "--job-card", "--print")

    assert result.returncode == 1
    assert f"released {demo.TOUR_JOB_ORDER}" in result.stdout
    assert f"Job cards: printing on {printer.name} is waiting: printer stopped" in result.stderr
    assert "`releasebot serve` prints it" in result.stderr
    assert printer.printed() == []


def test_papers_print_reprints_at_the_configured_queue(shop: Path, printer: PdfPrinter) -> None:
    assert releasebot(shop, "release", demo.TOUR_JOB_ORDER).returncode == 0

    result = releasebot(shop, "papers", demo.TOUR_JOB_ORDER, "--kind", "job-card", "--print")

    assert result.returncode == 0, result.stderr
    [printed] = printer.wait_for_files(1)
    assert pages(printed) == pages(shop / "papers" / f"job-cards-{demo.TOUR_JOB_ORDER}.pdf")


def test_printers_lists_the_queues_with_their_state(
    shop: Path, printer: PdfPrinter, laser: PdfPrinter
) -> None:
    laser.stop()
    with (shop / "releasebot.toml").open("a") as config:
        config.write('\n[printing.queues.gone]\npapers = ["route-card"]\n')

    result = releasebot(shop, "printers")

    assert result.returncode == 0, result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "idle" in lines[printer.name] and "Job card" in lines[printer.name]
    assert "stopped" in lines[laser.name] and "11" in lines[laser.name]
    assert "unreachable no such queue" in lines["gone"]


def test_printers_says_unreachable_when_cups_does_not_answer(tmp_path: Path) -> None:
    configure(tmp_path, "127.0.0.1:1", {"wh11-laser": 'papers = ["picking-list"]'})

    result = releasebot(tmp_path, "printers", "--json")

    assert result.returncode == 0, result.stderr
    [line] = json.loads(result.stdout)
    assert line["queue"] == "wh11-laser" and line["state"] == "unreachable"
    assert "127.0.0.1:1" in line["message"]
