"""CI runs exactly what the README tells a developer to run, checks included."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _test_command() -> str:
    readme = (ROOT / "README.md").read_text()
    after = readme.split("Set up and run the tests", 1)[1]
    return after.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()


def test_ci_runs_the_readme_test_command_with_its_checks() -> None:
    command = _test_command()
    ci = [line for line in (ROOT / ".ci/run").read_text().splitlines() if line.strip()]

    assert ci[-1] == command
    for check in ("ruff check .", "ruff format --check .", "mypy", "lint-imports", "pytest"):
        assert f".venv/bin/{check}" in command
