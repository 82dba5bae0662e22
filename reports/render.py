"""Rendering papers to PDF with markdown-pdf: one file per paper kind per release.

markdown-pdf traps handled here: a fresh `meta` dict per document (it is class-level and
leaks titles), a fresh instance per document (sections added after `save()` are lost),
and one compressing save at the end (its own `optimize` save would be a second one).

Where the time goes (1,000 job-card pages): each markdown-pdf section is a new MuPDF Story
(its CSS parsed, its images looked up), so a section holds up to `SECTION_PAGES` pages
split by CSS page breaks, not one page, and its images come from an archive in memory, not
a directory listed again for every section; a Story lays out everything after the place
it has reached each time it fills a page, so much longer sections cost more, not less.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

import pymupdf
from markdown_pdf import MarkdownPdf, Section

from domain.queries import OrderDetail
from domain.statuses import PaperKind
from reports.barcodes import code128_png, image_name
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
CSS = """
body { font-size: 10pt; }
h2 { font-size: 15pt; margin-bottom: 4pt; }
h3 { font-size: 12pt; margin-top: 10pt; }
table { border-collapse: collapse; width: 100%; margin-top: 6pt; }
th, td { border: 1px solid #333; padding: 4pt; text-align: left; }
th { background-color: #e8e8e8; }
small { font-size: 8pt; }
.feedback td { height: 24pt; }
.tick { display: inline-block; width: 10pt; height: 10pt; border: 1px solid #000; }
"""
# below this many pages a second process costs more than it saves
PARALLEL_FROM_PAGES = 200
SECTION_PAGES = 10
PAGE_BREAK = '<div style="page-break-before: always"></div>\n'


@dataclass
class _Part:
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

    Raises `reports.pages.PaperRefused` for an order that cannot have this paper.
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
        with pymupdf.open() as document:
            for file in done:
                with pymupdf.open(file) as part:
                    document.insert_pdf(part)
            _save(document, path, title)
    return path


def render_papers(
    kinds: Sequence[PaperKind],
    orders: Sequence[OrderDetail],
    release_number: str,
    out_dir: Path,
    paper_size: str = "A4",
) -> list[Path]:
    return [render_paper(kind, orders, release_number, out_dir, paper_size) for kind in kinds]


def _parts(kind: PaperKind, orders: Sequence[OrderDetail]) -> list[_Part]:
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
    parts = [_Part()]
    for pages, barcodes in sections:
        if parts[-1].pages >= share:
            parts.append(_Part())
        parts[-1].sections.append(PAGE_BREAK.join(pages))
        parts[-1].barcodes |= barcodes
        parts[-1].pages += len(pages)
    return parts


def _lay_out(part: _Part, file: Path, paper_size: str) -> int:
    """The part's pages laid out by markdown-pdf into `file` (uncompressed: it is compressed
    once, when finished); its barcodes are drawn here, in the process that lays them out.
    Returns the number of pages, which may be more than the part's (a long table)."""
    images = pymupdf.Archive()
    for name, value in part.barcodes.items():
        images.add((code128_png(value), name))
    pdf = MarkdownPdf(toc_level=0)
    pdf.meta = {"creator": "releasebot"}
    for text in part.sections:
        # markdown-pdf hands `root` to MuPDF's Story, which takes an archive as well as a folder
        section = Section(text, toc=False, root=images, paper_size=paper_size)  # type: ignore[arg-type]
        pdf.add_section(section, user_css=CSS)
    pdf.save(file)
    return pdf.page_num


def _finish(file: Path, path: Path, first: int, total: int, label: str, title: str) -> None:
    """Page numbers (this file's pages follow `first` others of `total`), fonts cut down
    to the glyphs used, compressed: from `file` to `path`."""
    with pymupdf.open(file) as document:
        _number_pages(document, label, first, total)
        # the layout embeds every font whole (a one-page paper was 133 KB)
        document.subset_fonts()
        _save(document, path, title)


def _save(document: pymupdf.Document, path: Path, title: str) -> None:
    document.set_metadata({"title": title, "creator": "releasebot", "author": "releasebot"})
    # garbage=1 drops the fonts the subsets replaced; 3 would also merge equal objects,
    # which saves nothing here and took a second at 1,000 pages
    document.save(path, garbage=1, deflate=True, use_objstms=1)


def _number_pages(document: pymupdf.Document, label: str, first: int, total: int) -> None:
    """'page i of n' in each footer: markdown-pdf has no page numbers of its own."""
    font = pymupdf.Font("helv")
    for index, page in enumerate(document, start=first + 1):
        writer = pymupdf.TextWriter(page.rect)
        where = pymupdf.Point(36, page.rect.height - 20)
        writer.append(where, f"{label} - page {index} of {total}", font=font, fontsize=8)
        # beneath the page's own content, which leaves its flipped coordinates in force
        writer.write_text(page, overlay=False)
