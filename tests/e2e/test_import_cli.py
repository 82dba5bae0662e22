"""`releasebot import FILE` as a user runs it: counts, every bad row, one-line file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_demo_cli import run_in, statuses

HEADER = "number,item,quantity,site,warehouse,status,scheduling_level\n"


@pytest.fixture
def plant(tmp_path: Path) -> Path:
    assert run_in(tmp_path, "demo-data").returncode == 0
    return tmp_path


def test_import_of_a_good_csv_says_how_many(plant: Path) -> None:
    (plant / "orders.csv").write_text(HEADER + "P900001,FG-1000,4,1,11,scheduled,operation\n")

    result = run_in(plant, "import", "orders.csv")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 1 orders from orders.csv"
    assert statuses(plant)["P900001"].value == "scheduled"


def test_bad_rows_are_each_named_and_nothing_is_imported(plant: Path) -> None:
    (plant / "orders.csv").write_text(
        HEADER + "P900001,FG-1000,4,1,11,scheduled,operation\n"
        "P900002,FG-1000,-4,1,11,scheduled,operation\n"
        "P900003,FG-1000,4,7,11,started,operation\n"
    )

    result = run_in(plant, "import", "orders.csv")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "line 3, field quantity: Input should be greater than 0"
    assert lines[1].startswith("line 4, field status: started cannot be imported")
    assert lines[-1] == "2 errors, nothing imported"
    assert "P900001" not in statuses(plant)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", '[{"number": ', "error: broken.json: not JSON: Expecting value at line 1"),
        ("missing.json", None, "error: missing.json: cannot read it (FileNotFoundError)"),
        ("folder.csv", "", "error: folder.csv: cannot read it (IsADirectoryError)"),
    ],
)
def test_unreadable_files_are_one_line_and_exit_2(
    plant: Path, name: str, content: str | None, message: str
) -> None:
    if name == "folder.csv":
        (plant / name).mkdir()
    elif content is not None:
        (plant / name).write_text(content)

    result = run_in(plant, "import", name)

    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert len(statuses(plant)) == 40
