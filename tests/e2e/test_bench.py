"""Each benchmark part at a tiny size, so that `python -m bench all` cannot rot.

The figures themselves are not judged here (speed is the benchmarks' business); that
each part runs end to end and measures something is.
"""

from __future__ import annotations

import pytest

from bench.__main__ import PARTS, run_parts

TINY = {
    "ack": ["--orders", "30", "--requests", "20"],
    "load": ["--orders", "30", "--clients", "2", "--seconds", "0.5"],
    "throughput": ["--orders", "5", "--databases", "sqlite,postgresql", "--rounds", "1"],
    "queries": ["--orders", "30", "--runs", "2"],
    "papers": ["--pages", "10", "--rounds", "1"],
}


def test_every_part_has_a_tiny_size() -> None:
    assert set(TINY) == set(PARTS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One generated database for the parts that need one."""
    return str(tmp_path_factory.mktemp("bench-cache"))


@pytest.mark.parametrize("part", PARTS)
def test_bench_part_runs_at_a_tiny_size(part: str, cache: str, postgres_server: str) -> None:
    figures = run_parts((part,), [*TINY[part], "--cache", cache])

    assert figures and {figure.part for figure in figures} == {part}
    for figure in figures:
        if figure.what.endswith("errors"):
            assert figure.value == 0, figure
        else:
            assert figure.value > 0 and (figure.floor is None or figure.floor > 0), figure
    assert any(figure.met is not None for figure in figures)
