"""Papers benchmark: 1,000 job-card pages with markdown-pdf against a minimal reportlab floor,
and the size of each of the four papers of the demo's job-scheduled order.

Each renderer runs in a fresh process, so time and peak memory are its own; both run
in the same invocation, side by side, a few times alternating: the fastest run counts.
Targets: at most 3 times the floor's time, at most 200 MB, at most 40 KB a page, and
at most 60 KB for each demo paper (one page each but the job cards, a page per job).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bench.report import Figure
from domain.clock import utc_now
from domain.queries import JobView, OperationView, OrderDetail
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

PART = "papers"
JOBS_PER_ORDER = 10
TIME_TARGET = 3.0  # times the floor
MEMORY_TARGET_MB = 200
PAGE_TARGET_KB = 40  # a page, at 1,000 job cards
DEMO_PAPER_TARGET_KB = 60


def orders(pages: int) -> list[OrderDetail]:
    """Job-scheduled orders with 5 operations of 2 jobs each: one page per job."""
    start = datetime(2026, 11, 30, 6, tzinfo=UTC)
    result = []
    for index in range(-(-pages // JOBS_PER_ORDER)):
        operations = []
        for op in range(5):
            at = start + timedelta(hours=2 * op)
            operations.append(
                OperationView(
                    operation_number=10 * (op + 1),
                    name=f"Operation {10 * (op + 1)}",
                    resource="CNC-1",
                    setup_hours=Decimal("0.5"),
                    run_hours=Decimal("1.5"),
                    scheduled_start=at,
                    scheduled_end=at + timedelta(hours=2),
                    jobs=[
                        JobView(
                            number=f"J{index * 10 + op * 2 + kind + 1:06d}",
                            kind=("setup", "process")[kind],
                            resource="CNC-1",
                            scheduled_start=at,
                            scheduled_end=at + timedelta(hours=1),
                        )
                        for kind in range(2)
                    ],
                )
            )
        result.append(
            OrderDetail(
                number=f"P{index + 1:06d}",
                status=OrderStatus.RELEASED,
                site="1",
                warehouse="11",
                item="FG-1000",
                item_name="Speaker cabinet",
                quantity=Decimal(12),
                unit="pcs",
                scheduling_level=SchedulingLevel.JOB,
                scheduled_start=start,
                scheduled_end=start + timedelta(hours=10),
                delivery_date=None,
                priority=5,
                jobs=JOBS_PER_ORDER,
                released_by="ann.planner",
                released_at=start,
                released_from="bench",
                bom=[],
                route=operations,
                works=[],
                history=[],
            )
        )
    return result


def demo_papers(sessions: sessionmaker[Session], out: Path) -> dict[PaperKind, Path]:
    """The four papers of the demo's job-scheduled order, released as the tour does.

    Imported here, not above: the renderers' processes import this module, and their
    peak memory is measured."""
    from domain.sample_data import demo
    from domain.services.papers import Papers
    from domain.services.release import ReleaseRequest, ReleaseService
    from reports.service import render_release_papers

    demo.load_demo_company(sessions)
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(order_numbers=[demo.TOUR_JOB_ORDER], requested_by="ann.planner")
    )
    if not report.all_released:
        raise RuntimeError(f"the demo's {demo.TOUR_JOB_ORDER} was not released: {report}")
    kinds = list(PaperKind)
    paths = render_release_papers(Papers(sessions), report.release_id, kinds, out)
    return dict(zip(kinds, paths, strict=True))


def _demo_paper_sizes(out: Path) -> dict[PaperKind, tuple[int, int]]:
    """Each demo paper's bytes and pages, rendered from a fresh SQLite demo database."""
    import pymupdf

    from domain.db import make_engine, make_session_factory, upgrade

    engine = make_engine(f"sqlite:///{out / 'demo.db'}")
    upgrade(engine)
    try:
        papers = demo_papers(make_session_factory(engine), out / "demo-papers")
    finally:
        engine.dispose()
    sizes = {}
    for kind, path in papers.items():
        with pymupdf.open(path) as document:
            sizes[kind] = (path.stat().st_size, document.page_count)
    return sizes


def render_markdown_pdf(pages: int, out: Path) -> Path:
    from reports.render import render_paper

    return render_paper(PaperKind.JOB_CARD, orders(pages), "R000001", out)


def render_reportlab(pages: int, out: Path) -> Path:
    """The floor: the same content drawn directly, no layout engine."""
    from reportlab.graphics.barcode import code128
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = out / "job-cards-reportlab.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    width, height = A4
    for order in orders(pages):
        for operation in order.route:
            for job in operation.jobs:
                pdf.setFont("Helvetica-Bold", 15)
                pdf.drawString(40, height - 50, f"Job card {job.number}")
                code128.Code128(order.number, barHeight=28, barWidth=0.9).drawOn(
                    pdf, 40, height - 95
                )
                pdf.setFont("Helvetica", 10)
                header = (
                    f"{order.number}  site {order.site}  {order.item} {order.item_name}  "
                    f"{order.quantity} {order.unit}  {order.scheduled_start:%Y-%m-%d %H:%M}"
                    f"  released by {order.released_by}"
                )
                pdf.drawString(40, height - 115, header)
                code128.Code128(job.number, barHeight=28, barWidth=0.9).drawOn(
                    pdf, 40, height - 160
                )
                pdf.drawString(
                    40,
                    height - 180,
                    f"{operation.operation_number} {operation.name}  "
                    f"{job.kind}  {job.resource}  {job.scheduled_start:%Y-%m-%d %H:%M}"
                    f" - {job.scheduled_end:%Y-%m-%d %H:%M}",
                )
                for row, field in enumerate(
                    (
                        "Operator",
                        "Good quantity",
                        "Scrap",
                        "Actual start",
                        "Actual end",
                        "Signature",
                    )
                ):
                    y = height - 230 - row * 40
                    pdf.rect(40, y - 10, width - 80, 36)
                    pdf.drawString(46, y + 12, field)
                pdf.drawString(40, 20, f"page {pdf.getPageNumber()}")
                pdf.showPage()
    pdf.save()
    return path


RENDERERS = {"markdown-pdf": render_markdown_pdf, "reportlab": render_reportlab}


def _own_peak_kb() -> int:
    """This process's peak resident memory. Not ru_maxrss: Linux carries that over from
    the parent at exec, so a child of a big `bench all` would report the parent's size."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(name: str, pages: int, out: str) -> None:
    """In the fresh process: render, then report time and peak memory as JSON."""
    started, cpu = time.perf_counter(), os.times()
    path = RENDERERS[name](pages, Path(out))
    seconds = time.perf_counter() - started
    end = os.times()
    cpu_seconds = sum(end[:4]) - sum(cpu[:4])  # this process and its workers, user + system
    own = _own_peak_kb()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_mb": (own + workers) / 1024,
                "bytes": path.stat().st_size,
            }
        )
    )


def measure(name: str, pages: int, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from bench.papers import _child; _child({name!r}, {pages}, {str(out)!r})",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"PYTHONHASHSEED": "0"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pages", type=int, default=1000, help="job-card pages")
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs here")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating runs of each; the fastest counts"
    )


def run(args: argparse.Namespace) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-papers-") as workdir:
        out = args.out or Path(workdir)
        out.mkdir(parents=True, exist_ok=True)
        floors, ours_runs = [], []
        for _ in range(args.rounds):  # alternating, so both see the same machine
            floors.append(measure("reportlab", args.pages, out))
            ours_runs.append(measure("markdown-pdf", args.pages, out))
        floor = min(floors, key=lambda figures: figures["seconds"])
        ours = min(ours_runs, key=lambda figures: figures["seconds"])
        sizes = _demo_paper_sizes(out)
    label = f"{args.pages:,} job-card pages"
    page_kb = ours["bytes"] / 1024 / args.pages
    figures = [
        Figure(
            PART,
            f"{label}: time",
            ours["seconds"],
            "s",
            floor["seconds"],
            f"<= {TIME_TARGET:g}x reportlab",
            ours["seconds"] <= TIME_TARGET * floor["seconds"],
        ),
        Figure(  # the same run's CPU: on a busy machine the two processes wait for a core
            PART,
            f"{label}: CPU time",
            ours["cpu_seconds"],
            "s",
            floor["cpu_seconds"],
        ),
        Figure(
            PART,
            f"{label}: peak memory",
            ours["peak_mb"],
            "MB",
            floor["peak_mb"],
            f"<= {MEMORY_TARGET_MB} MB",
            ours["peak_mb"] <= MEMORY_TARGET_MB,
        ),
        Figure(
            PART,
            f"{label}: size a page",
            page_kb,
            "KB",
            floor["bytes"] / 1024 / args.pages,
            f"<= {PAGE_TARGET_KB} KB",
            page_kb <= PAGE_TARGET_KB,
        ),
    ]
    for kind, (size, pages) in sizes.items():
        figures.append(
            Figure(
                PART,
                f"demo {kind.label.lower()}, {pages} page{'s' if pages > 1 else ''}: size",
                size / 1024,
                "KB",
                target=f"<= {DEMO_PAPER_TARGET_KB} KB",
                met=size <= DEMO_PAPER_TARGET_KB * 1024,
            )
        )
    return figures
