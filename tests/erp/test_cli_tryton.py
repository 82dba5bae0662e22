"""The command line against a real Tryton (RELEASEBOT_ERP=tryton), run as a user runs it:
check, sync, list, release, release again, reset, show, papers; Tryton is asked what
happened, and `show` and the papers ask Tryton for the order as it is now."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pymupdf
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


def _text(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as document:
        return [line for page in document for line in page.get_text().splitlines()]


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())


def test_the_route_card_of_a_tryton_order_lists_its_works_at_their_work_centre(
    cli, tryton: TrytonServer, tmp_path: Path
) -> None:
    world = TrytonWorld(tryton)
    number, _ = world.routed_order()
    assert cli("erp", "sync").returncode == 0

    released = cli("release", number, "--route-card", "--out", "papers")
    job_cards = cli("papers", number, "--kind", "job-card", "--out", "papers")

    assert released.returncode == 0, released.stdout + released.stderr
    card = tmp_path / "papers" / "route-cards-R000001.pdf"
    lines = _text(card)
    assert f"Route card {number}" in lines
    details = world.erp.details(number)
    assert details is not None
    item = details.order.item
    assert f"{item} Item {item}" in " ".join(lines)  # the product's code and name
    route = lines[lines.index("Oper.") :]
    assert route[7:21] == ["1", "Cut", "Line 1", "-", "-", "-", "-",
                           "2", "Assemble", "Line 1", "-", "-", "-", "-"]  # fmt: skip
    print(f"route card of a Tryton order: {card.stat().st_size} bytes")
    assert job_cards.returncode == 2
    assert job_cards.stderr.strip() == (
        f"error: {number} has no scheduled jobs: a job card needs job scheduling"
    )


def test_show_asks_tryton_and_shows_a_change_made_there_since_the_sync(
    cli, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number, production = world.routed_order()
    assert cli("erp", "sync").returncode == 0
    details = world.erp.details(number)
    assert details is not None
    item = details.order.item
    listed = cli("orders", "--json")

    # in Tryton directly: the product renamed, its material needed three times over
    (template,) = world.rpc.call("model.product.template.search", [("code", "=", item)], 0, 1, None)
    world.rpc.call("model.product.template.write", [template], {"name": "Bracket, welded"})
    moves = world.rpc.call(
        "model.stock.move.search", [("production_input", "=", production)], 0, None, None
    )
    world.rpc.call("model.stock.move.write", moves, {"quantity": 6})
    shown = cli("show", number)
    as_json = cli("show", number, "--json")

    [copied] = [order for order in json.loads(listed.stdout) if order["number"] == number]
    assert (copied["item"], copied["item_name"], copied["unit"]) == (item, f"Item {item}", "u")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith(f"{number}  {item} Bracket, welded  1 u  scheduled\n")
    assert "site WH, warehouse WH, scheduled at operation level" in out
    [bom] = [line for line in out.splitlines() if "Item RM-" in line]
    assert "│ 6 u " in bom and "STO" in bom
    route = [line.split("│")[1:4] for line in out.splitlines() if "Line 1" in line]
    assert [[cell.strip() for cell in row] for row in route] == [
        ["1", "Cut", "Line 1"],
        ["2", "Assemble", "Line 1"],
    ]
    detail = json.loads(as_json.stdout)
    assert [(line["item_name"], line["quantity"]) for line in detail["bom"]] == [
        (f"Item {detail['bom'][0]['item']}", "6.0")
    ]


def test_show_and_papers_without_tryton_say_so_in_one_line_and_change_nothing(
    cli, tryton: TrytonServer, tmp_path: Path
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (2, 5)})
    assert cli("erp", "sync").returncode == 0
    assert cli("release", number).returncode == 0
    before = _dump(tmp_path / "releasebot.db")

    away = {"TRYTON_URL": "http://127.0.0.1:1/"}
    shown = cli("show", number, **away)
    papers = cli("papers", number, "--kind", "picking-list", "--out", "again", **away)

    for result in (shown, papers):
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith("error: Tryton at http://127.0.0.1:1/ (database ")
        assert "did not answer" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "again").exists()
    assert _dump(tmp_path / "releasebot.db") == before
    details = world.erp.details(number)
    assert details is not None and details.order.status == "released"
