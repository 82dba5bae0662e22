"""The private cupsd itself: a PDF sent to its cups-pdf queue comes out as a PDF with the
same pages, and a stopped queue holds its jobs until it is started."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf

from tests.cups import PdfPrinter


def _pdf(path: Path, pages: int) -> Path:
    document = pymupdf.open()
    for number in range(pages):
        document.new_page().insert_text((72, 72), f"page {number + 1}")
    document.save(path)
    return path


def test_a_pdf_sent_to_the_cups_pdf_queue_comes_out_with_its_pages(
    printer: PdfPrinter, tmp_path: Path
) -> None:
    connection = printer.server.connection()
    connection.printFile(printer.name, str(_pdf(tmp_path / "three.pdf", 3)), "three", {})

    [printed] = printer.wait_for_files(1)
    with pymupdf.open(printed) as document:
        assert document.page_count == 3
        assert "page 3" in document[2].get_text()


def test_a_stopped_queue_holds_the_job_until_it_is_started(
    printer: PdfPrinter, tmp_path: Path
) -> None:
    printer.stop()
    connection = printer.server.connection()
    connection.printFile(printer.name, str(_pdf(tmp_path / "one.pdf", 1)), "one", {})
    time.sleep(1)
    assert printer.printed() == []
    assert connection.getPrinterAttributes(printer.name)["printer-state"] == 5  # stopped

    printer.start()
    assert len(printer.wait_for_files(1)) == 1
