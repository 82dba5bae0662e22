"""The command line against a real Tryton (RELEASEBOT_ERP=tryton), run as a user runs it:
check, sync, list, release, release again, reset; Tryton is asked what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.erp.conftest import TrytonWorld
from tests.tryton import TrytonServer

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))

pytestmark = [pytest.mark.tryton, pytest.mark.postgres]


@pytest.fixture
def cli(tryton: TrytonServer, tmp_path: Path):
    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("TRYTON_", "RELEASEBOT_"))
        }
        environment |= {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'releasebot.db'}",
            "RELEASEBOT_ERP": "tryton",
            "TRYTON_URL": tryton.url,
            "TRYTON_DATABASE": tryton.database,
            "TRYTON_USER": tryton.user,
            "TRYTON_PASSWORD": tryton.password,
            "COLUMNS": "200",
            **env,
        }
        return subprocess.run(
            [RELEASEBOT, *args], cwd=tmp_path, env=environment, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip

    return run


def test_check_says_tryton_is_reachable_with_the_module_and_never_shows_the_password(
    cli, tryton: TrytonServer
) -> None:
    result = cli("erp", "check")

    assert result.returncode == 0, result.stderr
    assert "reachable: yes" in result.stdout
    assert "module active: yes" in result.stdout
    assert "releasebot_tryton: 8.2" in result.stdout
    assert "trytond: 8.2" in result.stdout
    assert tryton.password not in result.stdout + result.stderr


def test_check_of_a_tryton_that_does_not_answer_says_so_in_one_line(cli) -> None:
    result = cli("erp", "check", TRYTON_URL="http://127.0.0.1:1/")

    assert result.returncode == 1
    assert "reachable: no" in result.stdout
    assert "Traceback" not in result.stderr


def test_sync_list_release_and_reset_an_order_that_lives_in_tryton(
    cli, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (7, 10)})

    synced = cli("erp", "sync")
    checked = cli("check", number)
    listed = cli("orders", "--json")
    released = cli("release", number, "--out", "papers")
    again = cli("release", number)

    assert synced.returncode == 0, synced.stderr
    assert "Synced from the ERP:" in synced.stdout and " new, " in synced.stdout
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{number}: all material available" in checked.stdout
    assert number in {order["number"] for order in json.loads(listed.stdout)}
    assert released.returncode == 0, released.stdout + released.stderr
    assert f"{number}/WH" in released.stdout  # Tryton's picking work for the warehouse
    details = world.erp.details(number)
    assert details is not None and details.order.status == "released"
    assert [(h.action, h.source) for h in details.history] == [("release", "cli")]
    assert again.returncode == 1
    assert f"{number} was already released by" in again.stdout + again.stderr

    reset = cli("reset", number)

    assert reset.returncode == 0, reset.stdout + reset.stderr
    details = world.erp.details(number)
    assert details is not None and details.order.status == "scheduled"


def test_check_tells_what_tryton_would_be_short_of(cli, tryton: TrytonServer) -> None:
    number = TrytonWorld(tryton).order({"RM": (7, 4)})

    result = cli("check", number)

    assert result.returncode == 1
    assert f"{number} is short:" in result.stdout
    assert "RM-" in result.stdout and ": 3 u short" in result.stdout


@pytest.mark.parametrize("erp", ["local"])
def test_sync_without_an_erp_changes_nothing_and_says_why(cli, erp: str) -> None:
    result = cli("erp", "sync", RELEASEBOT_ERP=erp)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "The orders are releasebot's own (RELEASEBOT_ERP=local): nothing to sync."
    )
