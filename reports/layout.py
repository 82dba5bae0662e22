"""Laying pages out with markdown-pdf (MuPDF's Story) and finishing the PDF with PyMuPDF.

Imported only by the processes that lay pages out (see `reports.render`): MuPDF and
markdown-pdf, with the plantuml and requests its plugins import, are about 45 MB.

markdown-pdf traps handled here: a fresh `meta` dict per document (it is class-level and
leaks titles), a fresh instance per document (sections added after `save()` are lost),
and one compressing save at the end (its own `optimize` save would be a second one).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
from markdown_pdf import MarkdownPdf, Section

from reports.barcodes import code128_png

if TYPE_CHECKING:
    from reports.render import Part

CSS = """
body { font-size: 10pt; }
h2 { font-size: 15pt; margin-bottom: 4pt; }
h3 { font-size: 12pt; margin-top: 10pt; }
table { border-collapse: collapse; width: 100%; margin-top: 6pt; }
th, td { border: 1px solid #333; padding: 4pt; text-align: left; }
th { background-color: #e8e8e8; }
small { font-size: 8pt; display: block; margin-top: 3pt; }
.feedback td { height: 24pt; }
.tick { display: inline-block; width: 10pt; height: 10pt; border: 1px solid #000; }
"""


def lay_out(part: Part, file: Path, paper_size: str) -> int:
    """The part's pages laid out by markdown-pdf into `file` (uncompressed: it is compressed
    once, when finished); its barcodes are drawn here, in the process that lays them out.
    Returns the number of pages, which may be more than the part's (a long table)."""
    images = pymupdf.Archive()
    for name, value in part.barcodes.items():
        images.add((code128_png(value), name))
    pdf = _markdown_pdf()
    for text in part.sections:
        # markdown-pdf hands `root` to MuPDF's Story, which takes an archive as well as a folder
        section = Section(text, toc=False, root=images, paper_size=paper_size)  # type: ignore[arg-type]
        pdf.add_section(section, user_css=CSS)
    pdf.save(file)
    return pdf.page_num


def _markdown_pdf() -> MarkdownPdf:
    """A markdown-pdf converter whose writer compresses: the writer holds the whole file in
    memory until it is saved, and uncompressed (its default) that was a 10 MB higher peak
    in each layout process. Its own writer is closed unused (dropped open, MuPDF warns)."""
    pdf = MarkdownPdf(toc_level=0)
    pdf.writer.close()
    pdf.out_file = io.BytesIO()
    pdf.writer = pymupdf.DocumentWriter(pdf.out_file, "compress")
    pdf.meta = {"creator": "releasebot"}
    return pdf


def finish(file: Path, path: Path, first: int, total: int, label: str, title: str) -> None:
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
    for index, page in enumerate(document.pages(), start=first + 1):
        writer = pymupdf.TextWriter(page.rect)
        where = pymupdf.Point(36, page.rect.height - 20)
        writer.append(where, f"{label} - page {index} of {total}", font=font, fontsize=8)
        # beneath the page's own content, which leaves its flipped coordinates in force
        writer.write_text(page, overlay=False)


def merge(files: list[Path], path: Path, title: str) -> None:
    """The finished parts, in order, as one PDF."""
    with pymupdf.open() as document:
        for file in files:
            with pymupdf.open(file) as part:
                document.insert_pdf(part)
        _save(document, path, title)
