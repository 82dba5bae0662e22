"""`releasebot demo` and `releasebot demo-data`, run as the README says: in an empty directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from domain.db import make_engine, make_session_factory
from domain.model import ProductionOrder, WarehouseWork
from domain.sample_data import demo
from domain.statuses import OrderStatus, WorkStatus

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))


def run_in(directory: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The console script with no settings but `settings` (none: the embedded default
    database)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SHORTAGE_POLICY", "RELEASEBOT_CONFIG"}
    }
    result = subprocess.run(
        [RELEASEBOT, *args],
        cwd=directory,
        env=environment | {"COLUMNS": "200"} | settings,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def statuses(directory: Path) -> dict[str, OrderStatus]:
    engine = make_engine(f"sqlite:///{directory / 'releasebot.db'}")
    try:
        with make_session_factory(engine)() as session:
            rows = session.execute(select(ProductionOrder.number, ProductionOrder.status))
            return {number: status for number, status in rows}
    finally:
        engine.dispose()


def test_demo_tour_in_an_empty_directory_releases_and_explains(tmp_path: Path) -> None:
    result = run_in(tmp_path, "demo")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "40 demo orders added" in out
    assert f"released {demo.TOUR_JOB_ORDER}: work W" in out
    assert "-> PROD-IN" in out
    assert "papers: papers/job-cards-R000002.pdf" in out
    assert (tmp_path / "papers" / "job-cards-R000002.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "papers" / "route-cards-R000003.pdf").exists()
    assert f"refused  {demo.TOUR_SHORT} is short of material" in out
    assert f"refused  {demo.TOUR_CREATED} is created: estimate and schedule it first" in out
    assert f"{demo.TOUR_JOB_ORDER} was already released by ann.planner" in out
    assert f"reset {demo.TOUR_TWO_WAREHOUSES}: cancelled work W" in out
    after = statuses(tmp_path)
    assert after[demo.TOUR_JOB_ORDER] is OrderStatus.RELEASED
    assert after[demo.TOUR_SPLIT] is OrderStatus.RELEASED
    assert after[demo.TOUR_SHORT] is OrderStatus.SCHEDULED
    assert after[demo.TOUR_TWO_WAREHOUSES] is OrderStatus.SCHEDULED


def test_demo_tour_runs_again_in_the_same_directory(tmp_path: Path) -> None:
    assert run_in(tmp_path, "demo").returncode == 0

    again = run_in(tmp_path, "demo")

    assert again.returncode == 0, again.stderr
    assert "demo company already loaded" in again.stdout
    assert f"released {demo.TOUR_JOB_ORDER}: work W" in again.stdout
    engine = make_engine(f"sqlite:///{tmp_path / 'releasebot.db'}")
    with make_session_factory(engine)() as session:
        open_works = session.scalar(
            select(func.count(WarehouseWork.id))
            .join(ProductionOrder)
            .where(
                ProductionOrder.number == demo.TOUR_JOB_ORDER,
                WarehouseWork.status == WorkStatus.OPEN,
            )
        )
    engine.dispose()
    assert open_works == 1


def test_demo_data_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    first = run_in(tmp_path, "demo-data")
    second = run_in(tmp_path, "demo-data")

    assert first.returncode == second.returncode == 0
    assert "40 orders added" in first.stdout
    assert "0 orders added" in second.stdout
    assert len(statuses(tmp_path)) == 40


def test_demo_data_generates_orders_with_a_progress_bar(tmp_path: Path) -> None:
    result = run_in(tmp_path, "demo-data", "--orders", "25")

    assert result.returncode == 0, result.stderr
    assert "generating orders" in result.stdout
    assert "25 generated orders added" in result.stdout
    assert len(statuses(tmp_path)) == 65


def test_demo_data_refuses_a_negative_count(tmp_path: Path) -> None:
    result = run_in(tmp_path, "demo-data", "--orders", "-5")

    assert result.returncode == 2
    assert "--orders" in result.stderr
    assert not (tmp_path / "releasebot.db").exists()
