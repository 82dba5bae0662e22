"""The `releasebot` console script, run as a user runs it: a subprocess on a SQLite file.

Data comes from the test Plant builder written straight into the same file; the
commands are judged by their exit code, stdout, stderr and what is in the database
afterwards.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from domain.db import make_engine, make_session_factory, upgrade
from domain.model import OnHand, ProductionOrder
from domain.statuses import OrderStatus, SchedulingLevel
from tests.builders import MONDAY, Plant

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))
SETTINGS = ("DATABASE_URL", "SHORTAGE_POLICY", "RELEASEBOT_CONFIG")
CLOSED_POSTGRES_PORT = "postgresql://postgres@127.0.0.1:1/releasebot"


class Cli:
    """Runs `releasebot` in a directory of its own with DATABASE_URL set to one SQLite file."""

    def __init__(self, workdir: Path, database: Path) -> None:
        self.workdir = workdir
        self.database = database
        self.url = f"sqlite:///{database}"

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        environment |= {"DATABASE_URL": self.url, "COLUMNS": "200", "USER": "tester"}
        environment |= env
        result = subprocess.run(
            [RELEASEBOT, *args],
            cwd=self.workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result

    def dump(self) -> list[str]:
        """Every row of every table, to prove that a command changed nothing."""
        with sqlite3.connect(self.database) as connection:
            return list(connection.iterdump())

    def files(self) -> list[str]:
        return sorted(path.name for path in self.workdir.iterdir())


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """Bad input: a non-zero exit and exactly one line on stderr, which is returned."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    workdir = tmp_path / "work"
    workdir.mkdir()
    return Cli(workdir, tmp_path / "plant.db")


@pytest.fixture
def cli_sessions(cli: Cli) -> Iterator[sessionmaker[Session]]:
    """Sessions on the CLI's SQLite file, migrated as `releasebot db upgrade` would."""
    engine = make_engine(cli.url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def plant(cli_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Two sites; scheduled orders at job and operation level, one short, one in two
    warehouses; a created one; one starting later in the week."""
    with cli_sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("11", site="1")
        plant.warehouse("21", site="2")
        plant.warehouse("12", site="1")
        plant.stock("RM-1", "11", "A-01", 10)
        plant.stock("RM-2", "21", "C-01", 6)
        plant.stock("RM-3", "11", "A-02", 2)
        plant.stock("RM-4", "12", "B-01", 5)
        plant.item("OIL", managed=False)
        plant.order([("RM-1", 4), ("OIL", 1)], number="P000001")
        plant.order(
            [("RM-2", 3)], number="P000002", warehouse="21", level=SchedulingLevel.OPERATION
        )
        plant.order([("RM-1", 1)], number="P000003", status=OrderStatus.CREATED)
        plant.order([("RM-3", 5)], number="P000004")
        later = plant.order([("RM-1", 2), ("RM-4", 5, "12")], number="P000005")
        later.scheduled_start = MONDAY + timedelta(days=3)
        later.scheduled_end = later.scheduled_start + timedelta(hours=8)
    return cli_sessions


def _status(sessions: sessionmaker[Session], number: str) -> OrderStatus:
    with sessions() as session:
        return session.scalars(
            select(ProductionOrder.status).where(ProductionOrder.number == number)
        ).one()


# --- listing and looking ---------------------------------------------------------------


def test_orders_prints_a_table_most_urgent_first(cli: Cli, plant: object) -> None:
    result = cli("orders")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "5 production orders" in lines[0]
    for column in ("Order", "Status", "Site", "Whs", "Item", "Qty", "Level", "Start", "Jobs"):
        assert column in result.stdout
    rows = [line for line in lines if line.startswith("│ P")]
    assert [row.split()[1] for row in rows] == [
        "P000001",
        "P000002",
        "P000003",
        "P000004",
        "P000005",
    ]
    assert [cell.strip() for cell in rows[1].split("│")[1:10]] == [
        "P000002",
        "scheduled",
        "2",
        "21",
        "FG-1 Item FG-1",
        "10 pcs",
        "operation",
        "2026-11-30 06:00",
        "0",
    ]


def test_orders_json_has_the_fields_scripts_rely_on(cli: Cli, plant: object) -> None:
    result = cli("orders", "--json")

    assert result.returncode == 0, result.stderr
    orders = json.loads(result.stdout)
    assert [order["number"] for order in orders] == [f"P00000{i}" for i in range(1, 6)]
    assert (
        orders[0].items()
        >= {
            "number": "P000001",
            "status": "scheduled",
            "site": "1",
            "warehouse": "11",
            "item": "FG-1",
            "quantity": "10.000",
            "scheduling_level": "job",
            "scheduled_start": "2026-11-30T06:00:00Z",
            "jobs": 4,
        }.items()
    )
    assert orders[1]["jobs"] == 0 and orders[1]["scheduling_level"] == "operation"


@pytest.mark.parametrize(
    ("filters", "numbers"),
    [
        (["--status", "scheduled"], ["P000001", "P000002", "P000004", "P000005"]),
        (["--status", "CREATED"], ["P000003"]),
        (["--site", "2"], ["P000002"]),
        (["--warehouse", "11", "--status", "scheduled"], ["P000001", "P000004", "P000005"]),
        (["--from", "2026-12-01"], ["P000005"]),
        (["--to", "2026-11-30"], ["P000001", "P000002", "P000003", "P000004"]),
        (["--from", "2026-12-03", "--to", "2026-12-03"], ["P000005"]),
        (["--site", "9"], []),
    ],
)
def test_orders_filters(cli: Cli, plant: object, filters: list[str], numbers: list[str]) -> None:
    result = cli("orders", *filters, "--json")

    assert result.returncode == 0, result.stderr
    assert [order["number"] for order in json.loads(result.stdout)] == numbers


def test_show_prints_bom_route_jobs_work_and_history(cli: Cli, plant: object) -> None:
    assert cli("release", "P000001", "--as", "ann").returncode == 0

    result = cli("show", "p1")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("P000001  FG-1 Item FG-1  10 pcs  released\n")
    assert "released by ann at " in out and " from cli" in out
    for title in ("BOM", "Route", "Jobs"):
        assert f" {title} " in out
    assert "RM-1 Item RM-1 │ 4 pcs │ 11  │ -        │ warehouse work" in out
    assert "OIL Item OIL   │ 1 pcs │ 11  │ -        │ not warehouse-managed" in out
    assert "│ 10    │ Operation 10 │ CNC-1    │ 0.5     │ 1.5   │ 2026-11-30 06:00 │" in out
    assert "│ J000001 │ 10    │ setup   │ CNC-1    │ 2026-11-30 06:00 │ 2026-11-30 06:30 │" in out
    assert "work W000001 (open) in 11:\n  1. RM-1 4 pcs A-01 -> PROD-IN\n" in out
    assert "scheduled -> released by ann (cli): release R000001" in out


def test_show_json_holds_the_whole_order(cli: Cli, plant: object) -> None:
    cli("release", "P000005", "--as", "ann")

    result = cli("show", "5", "--json")

    assert result.returncode == 0, result.stderr
    detail = json.loads(result.stdout)
    assert (detail["number"], detail["status"], detail["released_by"]) == (
        "P000005",
        "released",
        "ann",
    )
    assert [(line["item"], line["warehouse"]) for line in detail["bom"]] == [
        ("RM-1", "11"),
        ("RM-4", "12"),
    ]
    assert [op["operation_number"] for op in detail["route"]] == [10, 20]
    assert [job["kind"] for job in detail["route"][0]["jobs"]] == ["setup", "process"]
    assert [(work["warehouse"], work["status"]) for work in detail["works"]] == [
        ("11", "open"),
        ("12", "open"),
    ]
    assert detail["works"][1]["lines"][0] | {"line_number": 0} == {
        "line_number": 0,
        "item": "RM-4",
        "item_name": "Item RM-4",
        "quantity": "5.000",
        "unit": "pcs",
        "from_location": "B-01",
        "to_location": "PROD-IN",
    }
    assert [(event["from_status"], event["to_status"]) for event in detail["history"]] == [
        ("scheduled", "released")
    ]


def test_check_lists_shortages_and_exits_1_when_any(cli: Cli, plant: object) -> None:
    before = cli.dump()

    short = cli("check", "P000001", "P000004")
    fine = cli("check", "P000001", "2")

    assert short.returncode == 1
    assert short.stdout.splitlines() == [
        "P000001 (scheduled): all material available",
        "P000004 (scheduled) is short:",
        "  line 1: RM-3 Item RM-3: short 3 of 5 pcs in 11",
    ]
    assert fine.returncode == 0, fine.stderr
    assert fine.stdout.splitlines()[1] == "P000002 (scheduled): all material available"
    assert cli.dump() == before


# --- changing ---------------------------------------------------------------------------


def test_release_of_every_order_exits_0_with_their_work(
    cli: Cli, plant: sessionmaker[Session]
) -> None:
    result = cli("release", "P000001", "p5", "--picking-list", "--route-card", "--as", "ann")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "release R000001 by ann",
        "released P000001: work W000001",
        "released P000005: work W000002, W000003",
        "papers: papers/route-cards-R000001.pdf",
        "papers: papers/picking-lists-R000001.pdf",
    ]
    assert (cli.workdir / "papers" / "picking-lists-R000001.pdf").read_bytes().startswith(b"%PDF")
    assert result.stderr == ""
    assert _status(plant, "P000001") is OrderStatus.RELEASED
    assert _status(plant, "P000005") is OrderStatus.RELEASED


def test_release_defaults_to_the_user_running_it(cli: Cli, plant: sessionmaker[Session]) -> None:
    result = cli("release", "P000002")

    assert result.stdout.splitlines()[0] == "release R000001 by tester"
    with plant() as session:
        assert (
            session.scalar(
                select(ProductionOrder.released_by).where(ProductionOrder.number == "P000002")
            )
            == "tester"
        )


def test_release_with_refusals_exits_1_with_one_line_per_refused_order(
    cli: Cli, plant: sessionmaker[Session]
) -> None:
    cli("release", "P000005", "--as", "bob")

    result = cli("release", "P000001", "P000003", "P000004", "P000005", "P000099", "--as", "ann")

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "release R000002 by ann",
        "released P000001: work W000003",
    ]
    refusals = result.stderr.splitlines()
    assert [line.split()[:2] for line in refusals] == [
        ["refused", "P000003"],
        ["refused", "P000004"],
        ["refused", "P000005"],
        ["refused", "P000099:"],
    ]
    assert "is created: estimate and schedule it first" in refusals[0]
    assert "is short of material: RM-3 Item RM-3: short 3 of 5 pcs in 11" in refusals[1]
    assert "was already released by bob at " in refusals[2]
    assert refusals[3] == "refused  P000099: no such production order"
    assert _status(plant, "P000004") is OrderStatus.SCHEDULED


@pytest.mark.parametrize("paper", ["--job-card", "--route-job"])
def test_job_papers_for_an_operation_scheduled_order_are_refused(
    cli: Cli, plant: sessionmaker[Session], paper: str
) -> None:
    result = cli("release", "P000002", paper)

    assert result.returncode == 1
    label = paper.removeprefix("--").replace("-", " ").capitalize()
    assert result.stderr.splitlines() == [
        f"refused  P000002 is scheduled at operation level: {label} needs job scheduling; "
        "choose Route card instead"
    ]
    assert _status(plant, "P000002") is OrderStatus.SCHEDULED


def test_a_failure_inside_the_database_is_one_line_per_order_and_changes_nothing(
    cli: Cli, plant: sessionmaker[Session]
) -> None:
    engine: Engine = plant.kw["bind"]
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER fail_p4 BEFORE INSERT ON warehouse_works "
                "WHEN NEW.order_id = (SELECT id FROM production_orders WHERE number = 'P000002') "
                "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            )
        )

    result = cli("release", "P000001", "P000002", "--as", "ann")

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "release R000001 by ann",
        "released P000001: work W000001",
    ]
    assert result.stderr.splitlines() == [
        "error: release of P000002 failed; its transaction was rolled back: disk on fire",
        "refused  P000002 could not be released because of an internal error; "
        "nothing was changed, try again",
    ]
    assert _status(plant, "P000002") is OrderStatus.SCHEDULED
    with plant() as session:
        assert {row.location.code: row.reserved for row in session.scalars(select(OnHand))}[
            "C-01"
        ] == 0


def test_reset_undoes_a_release_and_refuses_what_is_not_released(
    cli: Cli, plant: sessionmaker[Session]
) -> None:
    cli("release", "P000005", "--as", "ann")

    result = cli("reset", "P5", "P000003", "--as", "ann")

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "reset P000005 to scheduled; cancelled work: W000001, W000002"
    ]
    assert result.stderr.splitlines() == [
        "refused  P000003 is created: only a released order can be reset to scheduled"
    ]
    assert _status(plant, "P000005") is OrderStatus.SCHEDULED
    again = cli("release", "P000005")
    assert again.returncode == 0 and "work W000003, W000004" in again.stdout


def test_db_upgrade_creates_the_schema_and_is_idempotent(cli: Cli) -> None:
    first = cli("db", "upgrade")
    second = cli("db", "upgrade")

    assert (first.returncode, first.stdout) == (0, "database schema is up to date\n")
    assert (second.returncode, second.stdout) == (0, "database schema is up to date\n")
    assert json.loads(cli("orders", "--json").stdout) == []


@pytest.mark.postgres
def test_db_upgrade_on_postgresql(cli: Cli, postgres_url: str) -> None:
    not_yet = cli("orders", DATABASE_URL=postgres_url)
    upgraded = cli("db", "upgrade", DATABASE_URL=postgres_url)
    listed = cli("orders", "--json", DATABASE_URL=postgres_url)

    assert one_error_line(not_yet) == (
        "error: the database schema is not up to date: run `releasebot db upgrade`"
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert json.loads(listed.stdout) == []


def test_a_fresh_sqlite_file_is_created_by_any_command(cli: Cli) -> None:
    result = cli("orders", "--json", DATABASE_URL="sqlite:///fresh.db")

    assert (result.returncode, json.loads(result.stdout)) == (0, [])
    assert "fresh.db" in cli.files()


# --- bad input: one line on stderr, a non-zero exit, nothing changed ------------------

BAD_INPUT = [
    pytest.param(
        ["show", "P000099"], {}, "error: P000099: no such production order", id="show unknown"
    ),
    pytest.param(
        ["show", "P000099", "--json"],
        {},
        "error: P000099: no such production order",
        id="show unknown json",
    ),
    pytest.param(["check", "P000099"], {}, "P000099: no such production order", id="check unknown"),
    pytest.param(
        ["reset", "P000099"], {}, "refused  P000099: no such production order", id="reset unknown"
    ),
    pytest.param(
        ["orders", "--from", "2026-13-45"],
        {},
        "error: --from '2026-13-45' is not a date: use YYYY-MM-DD, for example 2026-11-25",
        id="bad from date",
    ),
    pytest.param(
        ["orders", "--to", "tomorrow"],
        {},
        "error: --to 'tomorrow' is not a date: use YYYY-MM-DD, for example 2026-11-25",
        id="bad to date",
    ),
    pytest.param(
        ["orders", "--status", "waiting"],
        {},
        "error: --status 'waiting' is not a status: use one of created, estimated, scheduled, "
        "released, started, reported_finished, ended",
        id="bad status",
    ),
]

BAD_SETTINGS = [
    pytest.param(
        {"DATABASE_URL": "not a url"},
        "error: invalid setting - DATABASE_URL: not a database URL: 'not a url'",
        id="unparseable url",
    ),
    pytest.param(
        {"DATABASE_URL": "mysql://root@localhost/plant"},
        "error: invalid setting - DATABASE_URL: use sqlite:/// or "
        "postgresql+psycopg://, not 'mysql'",
        id="unsupported scheme",
    ),
    pytest.param(
        {"DATABASE_URL": CLOSED_POSTGRES_PORT},
        "error: cannot use the database at DATABASE_URL: connection failed: connection to "
        'server at "127.0.0.1", port 1 failed: Connection refused',
        id="unreachable postgresql",
    ),
    pytest.param(
        {"DATABASE_URL": "sqlite:////no/such/directory/plant.db"},
        "error: cannot use the database at DATABASE_URL: unable to open database file",
        id="sqlite in a missing directory",
    ),
    pytest.param(
        {"SHORTAGE_POLICY": "warn"},
        "error: invalid setting - SHORTAGE_POLICY: Input should be 'require_full' or "
        "'allow_partial'",
        id="bad shortage policy",
    ),
    pytest.param(
        {"RELEASEBOT_CONFIG": "missing.toml"},
        "error: RELEASEBOT_CONFIG=missing.toml: no such file",
        id="missing toml",
    ),
    pytest.param(
        {"RELEASEBOT_CONFIG": "broken.toml"},
        "error: RELEASEBOT_CONFIG=broken.toml: Invalid value (at line 1, column 18)",
        id="malformed toml",
    ),
    pytest.param(
        {"RELEASEBOT_CONFIG": "wrong.toml"},
        "error: invalid setting - SHORTAGE_POLICY: Input should be 'require_full' or "
        "'allow_partial'",
        id="wrong value in toml",
    ),
]


@pytest.mark.parametrize(("args", "env", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, plant: object, args: list[str], env: dict[str, str], message: str
) -> None:
    before, files = cli.dump(), cli.files()

    result = cli(*args, **env)

    assert one_error_line(result) == message
    assert cli.dump() == before and cli.files() == files


@pytest.mark.parametrize("command", [["release", "P000001"], ["db", "upgrade"]])
@pytest.mark.parametrize(("env", "message"), BAD_SETTINGS)
def test_bad_settings_stop_every_command_with_one_line(
    cli: Cli, plant: object, command: list[str], env: dict[str, str], message: str
) -> None:
    (cli.workdir / "broken.toml").write_text("shortage_policy =\n")
    (cli.workdir / "wrong.toml").write_text('shortage_policy = "sometimes"\n')
    before, files = cli.dump(), cli.files()

    result = cli(*command, **env)

    assert one_error_line(result) == message
    assert result.stdout == ""
    assert cli.dump() == before and cli.files() == files


def test_a_bad_setting_in_dotenv_stops_start_up(cli: Cli, plant: object) -> None:
    (cli.workdir / ".env").write_text("SHORTAGE_POLICY=lenient\n")
    before = cli.dump()

    result = cli("release", "P000001")

    assert one_error_line(result).startswith("error: invalid setting - SHORTAGE_POLICY: ")
    assert cli.dump() == before


def test_a_file_that_is_not_a_database_is_one_line(cli: Cli) -> None:
    (cli.workdir / "notes.db").write_text("shopping list\n" * 100)

    result = cli("orders", DATABASE_URL="sqlite:///notes.db")

    assert one_error_line(result) == (
        "error: database error: (sqlite3.DatabaseError) file is not a database"
    )


def test_a_release_without_orders_is_a_usage_error(cli: Cli) -> None:
    result = cli("release")

    assert result.returncode == 2
    assert "Missing argument 'ORDER'." in result.stderr


def test_digest_prints_the_waiting_orders_with_their_marks(cli: Cli, plant: object) -> None:
    result = cli("digest", "--horizon", "60d")

    assert result.returncode == 0, result.stderr
    assert "4 orders waiting for release, starting before" in result.stdout
    rows = [line for line in result.stdout.splitlines() if " P0000" in line]
    assert [row.split()[1] for row in rows] == ["P000001", "P000002", "P000004", "P000005"]
    assert "short: RM-3 Item RM-3: short 3 of 5 pcs in 11" in rows[2]

    site_2 = json.loads(cli("digest", "--horizon", "60d", "--site", "2", "--json").stdout)
    assert [(d["total"], [w["order"]["number"] for w in d["orders"]]) for d in site_2] == [
        (1, ["P000002"])
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--post"], "error: --post needs --channel: the channel to post in"),
        (["--horizon", "soon"], "error: --horizon `soon` is not a horizon such as 2d or 12h"),
        (
            ["--channel", "CNONE"],
            "error: CNONE has no digests: `/release digest daily 07:00` there",
        ),
    ],
)
def test_digest_bad_input_is_one_line(cli: Cli, plant: object, args: list[str], error: str) -> None:
    assert one_error_line(cli("digest", *args)) == error
