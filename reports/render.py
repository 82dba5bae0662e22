"""Rendering papers to PDF with markdown-pdf: one file per paper kind per release.

markdown-pdf traps handled here: a fresh `meta` dict per document (it is class-level and
leaks titles), a fresh instance per document (sections added after `save()` are lost),
and one compressing save at the end (its own `optimize` save would be a second one).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

import pymupdf
from markdown_pdf import MarkdownPdf, Section

from domain.queries import OrderDetail
from domain.statuses import PaperKind
from reports.barcodes import code128_png
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
    out_dir.mkdir(parents=True, exist_ok=True)
    path = paper_path(out_dir, kind, release_number)
    title = f"{FILE_NAMES[kind]} {release_number}"
    with TemporaryDirectory(prefix="releasebot-barcodes-") as images:
        barcode = partial(code128_png, directory=Path(images))
        pages = [page for order in orders for page in PAGES[kind](order, barcode)]
        chunks = _chunks(pages)
        if len(chunks) == 1:
            parts = [_render_pages(pages, images, paper_size)]
        else:
            with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
                parts = list(
                    pool.map(partial(_render_pages, images=images, paper_size=paper_size), chunks)
                )
    with pymupdf.open() as document:
        for part in parts:
            with pymupdf.open("pdf", part) as laid_out:
                document.insert_pdf(laid_out)
        _number_pages(document, f"{release_number} {kind.label}")
        # the layout embeds every font whole (a one-page paper was 133 KB): keep the glyphs used
        document.subset_fonts()
        document.set_metadata({"title": title, "creator": "releasebot", "author": "releasebot"})
        document.save(path, garbage=3, deflate=True, use_objstms=1)
    return path


def render_papers(
    kinds: Sequence[PaperKind],
    orders: Sequence[OrderDetail],
    release_number: str,
    out_dir: Path,
    paper_size: str = "A4",
) -> list[Path]:
    return [render_paper(kind, orders, release_number, out_dir, paper_size) for kind in kinds]


def _chunks(pages: list[str]) -> list[list[str]]:
    """Split large documents over the cores; small ones stay in this process."""
    workers = min(os.cpu_count() or 1, 2)
    if len(pages) < PARALLEL_FROM_PAGES or workers < 2:
        return [pages]
    size = -(-len(pages) // workers)
    return [pages[start : start + size] for start in range(0, len(pages), size)]


def _render_pages(pages: list[str], images: str, paper_size: str) -> bytes:
    """The pages laid out by markdown-pdf, as an uncompressed PDF (compressed once, at the end)."""
    pdf = MarkdownPdf(toc_level=0)
    pdf.meta = {"creator": "releasebot"}
    for page in pages:
        pdf.add_section(Section(page, toc=False, root=images, paper_size=paper_size), user_css=CSS)
    buffer = io.BytesIO()
    pdf.save_bytes(buffer)
    return buffer.getvalue()


def _number_pages(document: pymupdf.Document, label: str) -> None:
    """'page i of n' in each footer: markdown-pdf has no page numbers of its own."""
    total = document.page_count
    font = pymupdf.Font("helv")
    for index, page in enumerate(document, start=1):
        writer = pymupdf.TextWriter(page.rect)
        where = pymupdf.Point(36, page.rect.height - 20)
        writer.append(where, f"{label} - page {index} of {total}", font=font, fontsize=8)
        # beneath the page's own content, which leaves its flipped coordinates in force
        writer.write_text(page, overlay=False)
