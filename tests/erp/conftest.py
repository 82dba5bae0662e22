"""The ERP worlds the contract suite runs in: releasebot's own database (LocalErp, on
SQLite and PostgreSQL) and a real Tryton 8.2 (TrytonErp, a trytond started here).

A world builds what a test needs in its ERP (materials, stock, a scheduled order) and
does what the shop floor would (start the work), through that ERP's own means.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, Protocol

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.erp import Erp
from domain.erp.local import LocalErp
from domain.erp.tryton import TrytonErp
from domain.model import ProductionOrder, WarehouseWork
from domain.statuses import WorkStatus
from tests.builders import Plant
from tests.tryton import TrytonServer, tryton_server, tryton_unavailable

_numbers = itertools.count(1)


class World(Protocol):
    erp: Erp

    def new_erp(self) -> Erp: ...

    def order(self, needs: dict[str, tuple[int, int]]) -> str:
        """A scheduled order needing {material: (quantity needed, quantity in stock)}."""
        ...

    def start(self, number: str) -> None:
        """The shop floor starts on a released order (consumes material / starts work)."""
        ...


class LocalWorld:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.erp: Erp = LocalErp(sessions, clock=utc_now)

    def new_erp(self) -> Erp:
        return LocalErp(self.sessions, clock=utc_now)

    def order(self, needs: dict[str, tuple[int, int]]) -> str:
        serial = next(_numbers)
        number = f"P{serial:06d}"
        with self.sessions.begin() as session:
            plant = Plant.resume(session)
            for material, (_, have) in needs.items():
                if have:
                    plant.stock(f"{material}-{serial}", "11", f"A-{serial}", have)
            plant.order(
                [(f"{material}-{serial}", need) for material, (need, _) in needs.items()],
                number=number,
            )
        return number

    def start(self, number: str) -> None:
        with self.sessions.begin() as session:
            order_id = session.scalar(
                select(ProductionOrder.id).where(ProductionOrder.number == number)
            )
            session.execute(
                update(WarehouseWork)
                .where(WarehouseWork.order_id == order_id)
                .values(status=WorkStatus.IN_PROGRESS)
            )


class TrytonWorld:
    """Builds through Tryton's own RPC: products, stock moves done from the supplier,
    productions as a planner makes them (draft, planned dates, input moves)."""

    STORAGE, SUPPLIER, PRODUCTION, WAREHOUSE = "STO", "SUP", "PROD", "WH"

    def __init__(self, server: TrytonServer) -> None:
        self.server = server
        self.erp: Erp = self.new_erp()
        self.rpc = self.erp._rpc
        self.locations = {
            row["code"]: row["id"]
            for row in self.rpc.call(
                "model.stock.location.search_read", [], 0, None, None, ["code"]
            )
            if row["code"]
        }
        (self.unit,) = self.rpc.call("model.product.uom.search", [("symbol", "=", "u")], 0, 1, None)
        (self.company,) = self.rpc.call("model.company.company.search", [], 0, 1, None)

    def new_erp(self) -> TrytonErp:
        return TrytonErp(
            self.server.url,
            self.server.database,
            self.server.user,
            SecretStr(self.server.password),
            timeout=30,
            settle_seconds=60,
        )

    def create(self, model: str, values: dict[str, Any]) -> int:
        (record,) = self.rpc.call(f"model.{model}.create", [values])
        return record

    def product(self, code: str, producible: bool = False) -> int:
        template = self.create(
            "product.template",
            {
                "name": f"Item {code}",
                "type": "goods",
                "default_uom": self.unit,
                "code": code,
                "producible": producible,
                "products": [("create", [{}])],
            },
        )
        (product,) = self.rpc.call(
            "model.product.product.search", [("template", "=", template)], 0, 1, None
        )
        return product

    def stock(self, product: int, quantity: int) -> None:
        move = self.create(
            "stock.move",
            {
                "product": product,
                "unit": self.unit,
                "quantity": quantity,
                "from_location": self.locations[self.SUPPLIER],
                "to_location": self.locations[self.STORAGE],
                "company": self.company,
                "unit_price": {"__class__": "Decimal", "decimal": "1"},
                "currency": self._currency(),
            },
        )
        self.rpc.call("model.stock.move.do", [move])

    def _currency(self) -> int:
        (currency,) = self.rpc.call("model.currency.currency.search", [], 0, 1, None)
        return currency

    def order(self, needs: dict[str, tuple[int, int]]) -> str:
        serial = next(_numbers)
        inputs = []
        for material, (need, have) in needs.items():
            product = self.product(f"{material}-{serial}")
            if have:
                self.stock(product, have)
            inputs.append(
                {
                    "product": product,
                    "unit": self.unit,
                    "quantity": need,
                    "from_location": self.locations[self.STORAGE],
                    "to_location": self.locations[self.PRODUCTION],
                    "company": self.company,
                }
            )
        start = date.today() + timedelta(days=1)
        production = self.create(
            "production",
            {
                "company": self.company,
                "warehouse": self.locations[self.WAREHOUSE],
                "location": self.locations[self.PRODUCTION],
                "product": self.product(f"FG-{serial}", producible=True),
                "quantity": 10,
                "unit": self.unit,
                "planned_start_date": start,
                "planned_date": start,
                "inputs": [("create", inputs)],
            },
        )
        (row,) = self.rpc.call("model.production.read", [production], ["number"])
        return row["number"]

    def routed_order(self) -> tuple[str, int]:
        """A production with a BOM, a two-step routing (Cut, Assemble) and a work centre
        (Line 1); (its number, its id)."""
        serial = next(_numbers)
        material = self.product(f"RM-{serial}")
        finished = self.product(f"FG-{serial}", producible=True)
        self.stock(material, 10)
        bom = self.create(
            "production.bom",
            {"name": f"Routed {serial}",
             "inputs": [("create", [{"product": material, "quantity": 2, "unit": self.unit}])],
             "outputs": [("create", [{"product": finished, "quantity": 1, "unit": self.unit}])]},
        )  # fmt: skip
        operations = [self.create("production.routing.operation", {"name": name})
                      for name in ("Cut", "Assemble")]  # fmt: skip
        routing = self.create(
            "production.routing",
            {"name": f"Routed {serial}", "boms": [("add", [bom])],
             "steps": [("create", [{"operation": op} for op in operations])]},
        )  # fmt: skip
        centre = self.create(
            "production.work.center",
            {"name": "Line 1", "company": self.company,
             "warehouse": self.locations[self.WAREHOUSE]},
        )  # fmt: skip
        start = date.today() + timedelta(days=1)
        production = self.create(
            "production",
            {"company": self.company, "warehouse": self.locations[self.WAREHOUSE],
             "location": self.locations[self.PRODUCTION], "product": finished, "quantity": 1,
             "unit": self.unit, "bom": bom, "routing": routing, "work_center": centre,
             "planned_start_date": start, "planned_date": start,
             "inputs": [("create", [{"product": material, "unit": self.unit, "quantity": 2,
                                     "from_location": self.locations[self.STORAGE],
                                     "to_location": self.locations[self.PRODUCTION],
                                     "company": self.company}])]},
        )  # fmt: skip
        (row,) = self.rpc.call("model.production.read", [production], ["number"])
        return row["number"], production

    def start(self, number: str) -> None:
        (production,) = self.rpc.call(
            "model.production.search", [("number", "=", number)], 0, 1, None
        )
        moves = self.rpc.call(
            "model.stock.move.search",
            [("production_input", "=", production), ("state", "=", "assigned")],
            0,
            1,
            None,
        )
        self.rpc.call("model.stock.move.do", moves)


@pytest.fixture(scope="session")
def tryton(postgres_server: str) -> Iterator[TrytonServer]:
    """One trytond for the session on a copy of the template database; skipped with the
    reason where it cannot run, failed instead in CI (CI=true), which must run it."""
    reason = tryton_unavailable(postgres_server)
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Tryton tests: {reason}")
        pytest.skip(reason)
    with tryton_server(postgres_server) as server:
        yield server


@pytest.fixture(
    params=[
        "local-sqlite",
        pytest.param("local-postgresql", marks=pytest.mark.postgres),
        pytest.param("tryton", marks=[pytest.mark.tryton, pytest.mark.postgres]),
    ]
)
def world(request: pytest.FixtureRequest) -> World:
    if request.param == "tryton":
        return TrytonWorld(request.getfixturevalue("tryton"))
    return LocalWorld(request.getfixturevalue(f"{request.param.split('-')[1]}_world_sessions"))


@pytest.fixture
def sqlite_world_sessions(sqlite_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    return sqlite_sessions


@pytest.fixture
def postgresql_world_sessions(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    from domain.db import make_engine, make_session_factory, upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()
