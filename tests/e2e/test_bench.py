"""Each benchmark part at a tiny size, so that `python -m bench all` cannot rot.

The figures themselves are not judged here (speed is the benchmarks' business); that
each part runs end to end and measures something is.
"""

from __future__ import annotations

import os
import re

import pytest

from bench import voice
from bench.__main__ import PARTS, run_parts
from tests.tryton import tryton_unavailable
from tests.voice_clips import require_espeak

TINY = {
    "ack": ["--orders", "30", "--requests", "20"],
    "load": ["--orders", "30", "--clients", "2", "--seconds", "0.5"],
    "throughput": ["--orders", "5", "--databases", "sqlite,postgresql", "--rounds", "1"],
    "queries": ["--orders", "30", "--runs", "2"],
    "papers": ["--pages", "10", "--rounds", "1"],
    "print": ["--orders", "2", "--rounds", "1"],
    "erp": ["--orders", "3"],
    "erpsync": [
        "--orders",
        "30",
        "--changed",
        "5",
        "--tryton-orders",
        "2",
        "--runs",
        "2",
        "--databases",
        "sqlite",
    ],
}


def test_every_part_has_a_tiny_size() -> None:
    assert set(TINY) == set(PARTS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One generated database for the parts that need one."""
    return str(tmp_path_factory.mktemp("bench-cache"))


@pytest.mark.parametrize("part", PARTS)
def test_bench_part_runs_at_a_tiny_size(
    part: str, cache: str, postgres_server: str, request: pytest.FixtureRequest
) -> None:
    if part == "print":  # skipped without cupsd as the printing tests are, failed in CI
        request.getfixturevalue("cups_server")
    if part in {
        "erp",
        "erpsync",
    }:  # skipped without trytond as the ERP contract tests are, failed in CI
        reason = tryton_unavailable(postgres_server)
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the Tryton benchmark: {reason}")
            pytest.skip(reason)
    figures = run_parts((part,), [*TINY[part], "--cache", cache])

    assert figures and {figure.part for figure in figures} == {part}
    for figure in figures:
        if figure.what.endswith("errors"):
            assert figure.value == 0, figure
        else:
            assert figure.value > 0 and (figure.floor is None or figure.floor > 0), figure
    assert any(figure.met is not None for figure in figures)


def test_voice_bench_runs_at_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    """The voice part keeps its own report: every figure line is printed, per part of the
    set and per synthesiser, family and reading."""
    require_espeak()

    assert voice.main(["--commands", "3", "--other", "2", "--synthesisers", "espeak-ng"]) == 0

    report = capsys.readouterr().out
    assert "clips: 3 commands + 2 out-of-command" in report
    assert re.search(r"real-time factor: +\d\.\d{3} wall, \d\.\d{3} CPU", report), report
    assert "exact commands:" in report and "out-of-command rejected:" in report
    assert "wrong commands:" in report and "model load:" in report
    assert re.search(r"asked, offering the command said: \d+/\d+ of the questions", report)
    assert re.search(r"synthesiser: espeak-ng +\d+/3 ", report), report
    assert "family: floor talk" in report and "reading: pairs" in report
