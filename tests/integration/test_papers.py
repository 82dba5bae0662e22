"""Production papers as real PDFs: pages, text, barcodes that scan, and a page to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bench.papers import DEMO_PAPER_TARGET_KB, PAGE_TARGET_KB, demo_papers, orders
from domain.clock import utc_now
from domain.sample_data import demo
from domain.services.papers import PaperRefused, Papers
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel
from reports.render import render_paper
from reports.service import render_release_papers, reprint
from tests.builders import Plant, detail

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian: zbar-tools / poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must decode barcodes: {reason}")
        pytest.skip(reason)
    return path


def decoded_barcodes(pdf: Path, page: int, workdir: Path) -> set[str]:
    """Render one page at 200 dpi with pdftoppm and read every barcode with zbarimg."""
    prefix = workdir / f"{pdf.stem}-p{page}"
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            "200",
            "-gray",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    result = subprocess.run(
        [_tool("zbarimg"), "-q", "--raw", f"{prefix}.png"], capture_output=True, text=True
    )
    return set(result.stdout.split())


@pytest.fixture
def released(sessions: sessionmaker[Session]) -> int:
    """Two released orders: one job-scheduled (2 operations, 4 jobs), one at operation level."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12")
        plant.stock("RM-1", "11", "A-01", 5)
        plant.stock("RM-1", "11", "A-02", 20)
        plant.stock("RM-2", "12", "B-01", 8)
        plant.order([("RM-1", 22), ("RM-2", 8, "12")], number="P000001", quantity=12)
        plant.order([("RM-1", 2)], number="P000002", level=SchedulingLevel.OPERATION)
        plant.order([], number="P000003")
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(order_numbers=["P000001", "P000002"], requested_by="ann")
    )
    assert report.all_released
    return report.release_id


def _text(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as document:
        return [page.get_text() for page in document]


def test_job_cards_one_page_per_job_with_scannable_barcodes(
    sessions, released, tmp_path: Path
) -> None:
    with sessions() as session:
        order = detail(session, "P000001")
    jobs = [job for operation in order.route for job in operation.jobs]

    pdf = render_paper(PaperKind.JOB_CARD, [order], "R000001", tmp_path)

    assert pdf.name == "job-cards-R000001.pdf"
    pages = _text(pdf)
    assert len(pages) == len(jobs) == 4
    for page, job in zip(pages, jobs, strict=True):
        assert job.number in page and "P000001" in page and "FG-1" in page
        assert "12 pcs" in page and "Operator" in page and "Signature" in page
        assert "page" in page and "of 4" in page
    assert "Operation 20" in pages[3]
    assert decoded_barcodes(pdf, 1, tmp_path) == {"P000001", jobs[0].number}
    assert decoded_barcodes(pdf, 4, tmp_path) == {"P000001", jobs[3].number}
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            "100",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "job-card-page-1"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "job-card-page-1.png").stat().st_size > 10_000


def test_release_papers_group_orders_and_refuse_nothing_they_cannot_print(
    sessions, released, tmp_path: Path
) -> None:
    paths = render_release_papers(
        Papers(sessions), released, [PaperKind.ROUTE_CARD, PaperKind.PICKING_LIST], tmp_path
    )

    route_cards, picking_lists = paths
    assert route_cards.name == "route-cards-R000001.pdf"
    cards = _text(route_cards)
    assert len(cards) == 2
    assert "P000001" in cards[0] and "Operation 10" in cards[0] and "Operation 20" in cards[0]
    assert "P000002" in cards[1]
    lists = _text(picking_lists)
    assert len(lists) == 3  # P000001 picks in two warehouses, P000002 in one
    assert "A-01" in lists[0] and "A-02" in lists[0] and "PROD-IN" in lists[0]
    assert "20 pcs" in lists[0] and "2 pcs" in lists[0]
    with sessions() as session:
        works = detail(session, "P000001").works
    assert decoded_barcodes(picking_lists, 1, tmp_path) == {"P000001", works[0].number}


def test_route_job_puts_all_jobs_on_one_page(sessions, released, tmp_path: Path) -> None:
    with sessions() as session:
        order = detail(session, "P000001")

    [page] = _text(render_paper(PaperKind.ROUTE_JOB, [order], "R000001", tmp_path))

    assert all(job.number in page for op in order.route for job in op.jobs)


def test_job_papers_refuse_an_order_without_jobs(sessions, released, tmp_path: Path) -> None:
    with sessions() as session:
        order = detail(session, "P000002")

    with pytest.raises(PaperRefused, match="P000002 has no scheduled jobs"):
        render_paper(PaperKind.JOB_CARD, [order], "R000001", tmp_path)
    assert not list(tmp_path.glob("*.pdf"))


def test_letter_size_by_setting(sessions, released, tmp_path: Path) -> None:
    with sessions() as session:
        order = detail(session, "P000002")

    pdf = render_paper(PaperKind.ROUTE_CARD, [order], "R000001", tmp_path, paper_size="Letter")

    with pymupdf.open(pdf) as document:
        assert (round(document[0].rect.width), round(document[0].rect.height)) == (612, 792)


def test_reprint_only_for_released_orders(sessions, released, tmp_path: Path) -> None:
    path = reprint(Papers(sessions), ["p1"], PaperKind.PICKING_LIST, tmp_path)
    assert path.name == "picking-lists-P000001.pdf"
    with pytest.raises(PaperRefused, match="P000003 is scheduled: papers are printed for released"):
        reprint(Papers(sessions), ["P000003"], PaperKind.ROUTE_CARD, tmp_path)
    with sessions() as session:
        assert detail(session, "P000003").status is OrderStatus.SCHEDULED


def test_the_demo_papers_are_small_and_still_read_and_scan(sessions, tmp_path: Path) -> None:
    """Subset fonts and a drawn tick box: a one-page paper was 133 KB, a picking list 436 KB."""
    papers = demo_papers(sessions, tmp_path)
    with sessions() as session:
        order = detail(session, demo.TOUR_JOB_ORDER)
    [work] = order.works
    first_job = order.route[0].jobs[0]

    for kind, path in papers.items():
        assert path.stat().st_size <= DEMO_PAPER_TARGET_KB * 1024, (kind, path.stat().st_size)
    pages = {kind: _text(path) for kind, path in papers.items()}
    assert [len(pages[kind]) for kind in PaperKind] == [
        sum(len(op.jobs) for op in order.route) if kind is PaperKind.JOB_CARD else 1
        for kind in PaperKind
    ]
    for kind_pages in pages.values():
        assert order.number in kind_pages[0] and "FG-1000 Speaker" in kind_pages[0]
    assert first_job.number in pages[PaperKind.JOB_CARD][0]
    assert all(job.number in pages[PaperKind.ROUTE_JOB][0] for op in order.route for job in op.jobs)
    assert all(op.name in pages[PaperKind.ROUTE_CARD][0] for op in order.route)
    # a picker reads the item's name beside its code
    picking = pages[PaperKind.PICKING_LIST][0]
    for line in work.lines:
        assert f"{line.item} {line.item_name}" in " ".join(picking.split()), line
    assert "RM-100 MDF panel 18 mm" in " ".join(picking.split())
    expected = {
        PaperKind.JOB_CARD: {order.number, first_job.number},
        PaperKind.ROUTE_JOB: {order.number},
        PaperKind.ROUTE_CARD: {order.number},
        PaperKind.PICKING_LIST: {order.number, work.number},
    }
    for kind, path in papers.items():
        assert decoded_barcodes(path, 1, tmp_path) == expected[kind], kind


def test_many_job_cards_stay_small_a_page(tmp_path: Path) -> None:
    """Laid out in two processes and merged (200 pages or more): fonts are shared, not repeated."""
    pdf = render_paper(PaperKind.JOB_CARD, orders(300), "R000001", tmp_path)

    pages = _text(pdf)
    assert len(pages) == 300
    assert pdf.stat().st_size / len(pages) <= PAGE_TARGET_KB * 1024
    assert "J000300" in pages[-1] and "page 300 of 300" in pages[-1]
    assert decoded_barcodes(pdf, 300, tmp_path) == {"P000030", "J000300"}


def test_a_route_job_longer_than_a_page_is_numbered_by_its_real_pages(tmp_path: Path) -> None:
    """Pages are counted after layout: a table that runs over gets 'page 2 of 2', not '1 of 1'."""
    first, second = orders(20)
    long = first.model_copy(update={"route": first.route * 8})  # 80 jobs

    pages = _text(render_paper(PaperKind.ROUTE_JOB, [long, second], "R000001", tmp_path))

    total = len(pages)
    assert total >= 3
    assert [f"page {index} of {total}" in page for index, page in enumerate(pages, 1)] == [
        True
    ] * total
    assert "Route job P000001" in pages[0] and "Route job P000002" in pages[-1]
    assert "J000010" in pages[-2] and "P000002" not in pages[-2]
