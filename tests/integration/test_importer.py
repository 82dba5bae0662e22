"""Import of orders from JSON and CSV on both databases: all or nothing, every bad row named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.clock import utc_now
from domain.importer import ImportFileError, ImportRejected, RowError, import_orders
from domain.model import ProductionOrder
from domain.sample_data import demo
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus, SchedulingLevel
from tests.builders import detail

GOOD = {
    "orders": [
        {
            "number": "P900001",
            "item": "FG-1000",
            "quantity": 5,
            "site": "1",
            "warehouse": "11",
            "scheduling_level": "job",
            "scheduled_start": "2026-12-01T07:00:00+01:00",
            "scheduled_end": "2026-12-01T12:00:00",
            "bom": [
                {"item": "RM-100", "quantity": 10},
                {"item": "RM-240", "quantity": 1, "warehouse": "12", "location": "C-01"},
            ],
            "operations": [
                {
                    "operation_number": 10,
                    "name": "Cut",
                    "resource": "CNC-1",
                    "setup_hours": 0.5,
                    "run_hours": 2,
                    "jobs": [
                        {
                            "kind": "setup",
                            "resource": "CNC-1",
                            "scheduled_start": "2026-12-01T06:00:00Z",
                            "scheduled_end": "2026-12-01T06:30:00Z",
                        }
                    ],
                }
            ],
        },
        {"number": "900002", "item": "FG-2000", "quantity": "3", "site": "2", "warehouse": "21"},
    ]
}


PINNED_TO_NOWHERE = {"item": "RM-100", "quantity": 1, "location": "Z-9"}


def _row(number: str, **fields: object) -> str:
    """One order as a line of JSON: the defaults plus `fields`."""
    base = {"number": number, "item": "FG-1000", "quantity": 1, "site": "1", "warehouse": "11"}
    return json.dumps(base | fields)


def _orders(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(ProductionOrder.id)))


@pytest.fixture
def company(sessions):
    demo.load_demo_company(sessions)
    return sessions


def test_valid_json_is_imported_whole_and_releasable(company, tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(GOOD, indent=2))

    assert import_orders(company, path) == 2

    with company() as session:
        first = detail(session, "P900001")
        assert first.scheduling_level is SchedulingLevel.JOB
        assert first.scheduled_start is not None and first.scheduled_end is not None
        assert first.scheduled_start.isoformat() == "2026-12-01T06:00:00+00:00"
        assert first.scheduled_end.isoformat() == "2026-12-01T12:00:00+00:00"  # naive = UTC
        assert [(b.item, b.warehouse, b.location) for b in first.bom] == [
            ("RM-100", "11", None),
            ("RM-240", "12", "C-01"),
        ]
        assert first.jobs == 1 and first.unit == "pcs"
        assert detail(session, "P900002").status is OrderStatus.SCHEDULED
    report = ReleaseService(company, clock=utc_now).release(
        ReleaseRequest(order_numbers=["P900001"], requested_by="ann")
    )
    assert report.all_released and len(report.results[0].work_numbers) == 2


def test_valid_csv_is_imported(company, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "number,item,quantity,site,warehouse,status,scheduling_level,scheduled_start,"
        "scheduled_end,delivery_date,priority\n"
        "P900010,FG-1000,4,1,11,scheduled,operation,2026-12-03T06:00:00Z,"
        "2026-12-03T10:00:00Z,2026-12-05,3\n"
        "P900011,FG-2000,2,2,21,created,job,,,,\n"
    )

    assert import_orders(company, path) == 2

    with company() as session:
        order = detail(session, "P900010")
        assert (order.priority, str(order.delivery_date)) == (3, "2026-12-05")
        assert detail(session, "P900011").status is OrderStatus.CREATED


def test_any_bad_row_rejects_the_file_and_names_every_bad_row(company, tmp_path: Path) -> None:
    before = _orders(company)
    path = tmp_path / "orders.json"
    path.write_text(
        "[\n"
        f"  {_row('P900001')},\n"
        f"  {_row('P900002', quantity=0)},\n"
        f"  {_row('P900003', item='FG-9999', bom=[PINNED_TO_NOWHERE])[:-1]},\n"
        '   "priority": 2},\n'
        f"  {_row('P000001')},\n"
        f"  {_row('P900001', status='released')},\n"
        f"  {_row('P900005', scheduled_start='2026-12-02T06:00Z')[:-1]},\n"
        '   "scheduled_end": "2026-12-01T06:00Z"}\n'
        "]\n"
    )

    with pytest.raises(ImportRejected) as rejected:
        import_orders(company, path)

    errors = sorted((error.line, error.field) for error in rejected.value.errors)
    assert errors == [
        (3, "quantity"),
        (4, "bom[0].location"),
        (4, "item"),
        (6, "number"),
        (7, "status"),
        (8, "(row)"),
    ]
    messages = {str(error) for error in rejected.value.errors}
    assert "line 6, field number: P000001 already exists" in messages
    assert "line 4, field item: unknown item 'FG-9999'" in messages
    assert "line 8, field (row): scheduled_end is before scheduled_start" in messages
    assert _orders(company) == before


def test_a_number_twice_in_the_file_is_an_error(company, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "number,item,quantity,site,warehouse\nP900020,FG-1000,1,1,11\np900020,FG-1000,2,1,11\n"
    )

    with pytest.raises(ImportRejected) as rejected:
        import_orders(company, path)

    assert rejected.value.errors == [RowError(3, "number", "P900020 appears twice in the file")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", "{", "not JSON"),
        ("scalar.json", "42", "expected a list of orders"),
        ("orders.txt", "number\n", "use a .json or .csv file"),
        ("noheader.csv", "", "header row"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    company, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)

    with pytest.raises(ImportFileError, match=message):
        import_orders(company, path)
    with pytest.raises(ImportFileError, match="cannot read it"):
        import_orders(company, tmp_path / "missing.json")
