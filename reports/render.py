"""Rendering papers to PDF with markdown-pdf: one file per paper kind per release.

Here the pages are written and handed out; `reports.layout` lays them out.

Where the time went (1,000 job-card pages, profiled with pyinstrument): every page was a
markdown-pdf section, a new MuPDF Story with its CSS parsed and the barcode folder listed
again (layout and drawing 40%, the Story and its archive 10%, markdown-it 6%); each barcode
drawn module by module and written as a PNG file (24%); page numbers in a second pass over
the file, which also re-saved it (17%). Now a section holds up to `SECTION_PAGES` pages of
one order split by CSS page breaks (a Story lays out all of what follows its place each
time it fills a page, so much longer sections cost more, not less), pages are HTML blocks
that markdown-it passes through, barcodes come from an archive in memory, drawn by the
process that lays them out, and each process numbers, subsets and compresses its own pages
once the total is known; what is left is mostly MuPDF's layout.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from domain.queries import OrderDetail
from domain.statuses import PaperKind
from reports.barcodes import image_name
from reports.pages import (
    Barcode,
    job_card_pages,
    picking_list_pages,
    route_card_page,
    route_job_page,
)

FILE_NAMES = {
    PaperKind.JOB_CARD: "job-cards",
    PaperKind.ROUTE_CARD: "route-cards",
    PaperKind.ROUTE_JOB: "route-jobs",
    PaperKind.PICKING_LIST: "picking-lists",
}
PAGES: dict[PaperKind, Callable[[OrderDetail, Barcode], list[str]]] = {
    PaperKind.JOB_CARD: job_card_pages,
    PaperKind.ROUTE_JOB: lambda order, barcode: [route_job_page(order, barcode)],
    PaperKind.ROUTE_CARD: lambda order, barcode: [route_card_page(order, barcode)],
    PaperKind.PICKING_LIST: picking_list_pages,
}
# below this many pages a second process costs more than it saves
PARALLEL_FROM_PAGES = 200
SECTION_PAGES = 10
PAGE_BREAK = '<div style="page-break-before: always"></div>\n'


@dataclass
class Part:
    """Pages one process lays out: sections of a few pages, and the barcodes they show."""

    sections: list[str] = field(default_factory=list)
    barcodes: dict[str, str] = field(default_factory=dict)  # image name -> value
    pages: int = 0


def paper_path(out_dir: Path, kind: PaperKind, release_number: str) -> Path:
    return out_dir / f"{FILE_NAMES[kind]}-{release_number}.pdf"


def render_paper(
    kind: PaperKind,
    orders: Sequence[OrderDetail],
    release_number: str,
    out_dir: Path,
    paper_size: str = "A4",
) -> Path:
    """One PDF of this kind for all the orders, grouped by order; returns its path.

    Raises `domain.services.papers.PaperRefused` for an order that cannot have this paper.
    """
    parts = _parts(kind, orders)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = paper_path(out_dir, kind, release_number)
    title = f"{FILE_NAMES[kind]} {release_number}"
    finish = partial(_finish, label=f"{release_number} {kind.label}", title=title)
    with TemporaryDirectory(prefix="releasebot-papers-") as workdir:
        files = [Path(workdir) / f"part{index}.pdf" for index in range(len(parts))]
        if len(parts) == 1:
            total = _lay_out(parts[0], files[0], paper_size)
            finish(files[0], path, 0, total)
            return path
        # each process lays out its pages, then (once the total is known) numbers them
        with ProcessPoolExecutor(max_workers=len(parts)) as pool:
            counts = list(pool.map(_lay_out, parts, files, [paper_size] * len(parts)))
            firsts = [sum(counts[:index]) for index in range(len(parts))]
            done = [file.with_suffix(".done.pdf") for file in files]
            list(pool.map(finish, files, done, firsts, [sum(counts)] * len(parts)))
            pool.submit(_merge, done, path, title).result()
    return path


def render_papers(
    kinds: Sequence[PaperKind],
    orders: Sequence[OrderDetail],
    release_number: str,
    out_dir: Path,
    paper_size: str = "A4",
) -> list[Path]:
    return [render_paper(kind, orders, release_number, out_dir, paper_size) for kind in kinds]


def _parts(kind: PaperKind, orders: Sequence[OrderDetail]) -> list[Part]:
    """The orders' pages in sections of an order's pages (at most `SECTION_PAGES`), split
    over two processes when there are many (small documents stay in this process)."""
    sections: list[tuple[list[str], dict[str, str]]] = []
    for order in orders:
        barcodes: dict[str, str] = {}

        def barcode(value: str, barcodes: dict[str, str] = barcodes) -> str:
            barcodes[image_name(value)] = value
            return image_name(value)

        pages = PAGES[kind](order, barcode)
        for start in range(0, len(pages), SECTION_PAGES):
            sections.append((pages[start : start + SECTION_PAGES], barcodes))
    total = sum(len(pages) for pages, _ in sections)
    workers = min(os.cpu_count() or 1, 2) if total >= PARALLEL_FROM_PAGES else 1
    share = -(-total // workers)
    parts = [Part()]
    for pages, barcodes in sections:
        if parts[-1].pages >= share:
            parts.append(Part())
        parts[-1].sections.append(PAGE_BREAK.join(pages))
        parts[-1].barcodes |= barcodes
        parts[-1].pages += len(pages)
    return parts


# The steps of reports.layout, importing it on first use: a release of 200 pages or more
# is laid out by two worker processes, and the process that hands them the pages (the
# CLI, `serve`) then never loads MuPDF and markdown-pdf; the merge runs in a worker too.


def _lay_out(part: Part, file: Path, paper_size: str) -> int:
    from reports import layout

    return layout.lay_out(part, file, paper_size)


def _finish(file: Path, path: Path, first: int, total: int, label: str, title: str) -> None:
    from reports import layout

    layout.finish(file, path, first, total, label, title)


def _merge(files: list[Path], path: Path, title: str) -> None:
    from reports import layout

    layout.merge(files, path, title)
