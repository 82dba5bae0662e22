"""`releasebot release --out` and `releasebot papers` on the demo company."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from domain.sample_data import demo
from tests.e2e.test_demo_cli import run_in


def _pages(pdf: Path) -> int:
    with pymupdf.open(pdf) as document:
        return document.page_count


def test_release_writes_the_chosen_papers_and_prints_their_paths(tmp_path: Path) -> None:
    run_in(tmp_path, "demo-data")

    result = run_in(
        tmp_path, "release", demo.TOUR_JOB_ORDER, "--job-card", "--picking-list", "--out", "out"
    )

    assert result.returncode == 0, result.stderr
    assert "papers: out/job-cards-R000002.pdf" in result.stdout
    assert "papers: out/picking-lists-R000002.pdf" in result.stdout
    assert _pages(tmp_path / "out" / "job-cards-R000002.pdf") == 6  # 3 operations x 2 jobs
    assert _pages(tmp_path / "out" / "picking-lists-R000002.pdf") == 1


def test_refused_orders_get_no_papers(tmp_path: Path) -> None:
    run_in(tmp_path, "demo-data")

    result = run_in(tmp_path, "release", demo.TOUR_SHORT, "--route-card", "--out", "out")

    assert result.returncode == 1
    assert "is short of material" in result.stderr
    assert not (tmp_path / "out").exists()


def test_papers_reprints_and_refuses_unreleased_orders_in_one_line(tmp_path: Path) -> None:
    run_in(tmp_path, "demo-data")
    run_in(tmp_path, "release", demo.TOUR_JOB_ORDER)

    reprinted = run_in(tmp_path, "papers", demo.TOUR_JOB_ORDER, "--kind", "route-job")
    refused = run_in(tmp_path, "papers", demo.TOUR_SHORT, "--kind", "route-card")

    assert reprinted.returncode == 0, reprinted.stderr
    assert (tmp_path / "papers" / f"route-jobs-{demo.TOUR_JOB_ORDER}.pdf").exists()
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"error: {demo.TOUR_SHORT} is scheduled: papers are printed for released orders only"
    )
