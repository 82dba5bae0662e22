"""Releasing through the ERP port against calling Tryton's module directly.

A real trytond (the test fixture's template database on the test PostgreSQL, copied for
the run) holds 2 x N planned productions of one material in stock. N of them are released
by releasebot's release service with TrytonErp (the read copy synced first, releasebot's
part of the decision, the release record, the copy corrected from each answer); the other
N by posting `production.releasebot_release` straight to the server over one keep-alive
connection, the least any caller can do. Target: through the port <= 1.3 x direct.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

from bench.report import Figure
from domain.clock import utc_now
from domain.db import make_engine, make_session_factory, upgrade
from domain.erp.sync import sync_orders
from domain.erp.tryton import TrytonErp
from domain.services.release import ReleaseRequest, ReleaseService
from tests.tryton import TrytonServer, tryton_server, tryton_unavailable

TARGET = 1.3
POSTGRES_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=100, help="orders released on each side")


def planned_productions(erp: TrytonErp, count: int) -> list[str]:
    """`count` planned productions needing 1 of one material, with stock for all of them."""
    rpc = erp._rpc
    (unit,) = rpc.call("model.product.uom.search", [("symbol", "=", "u")], 0, 1, None)
    (company,) = rpc.call("model.company.company.search", [], 0, 1, None)
    (currency,) = rpc.call("model.currency.currency.search", [], 0, 1, None)
    locations = {
        row["code"]: row["id"]
        for row in rpc.call("model.stock.location.search_read", [], 0, None, None, ["code"])
    }
    stamp = f"{time.time_ns()}"

    def product(code: str, producible: bool) -> int:
        (template,) = rpc.call(
            "model.product.template.create",
            [{"name": code, "code": code, "type": "goods", "default_uom": unit,
              "producible": producible, "products": [("create", [{}])]}],
        )  # fmt: skip
        (found,) = rpc.call("model.product.product.search", [("template", "=", template)], 0, 1,
                            None)  # fmt: skip
        return int(found)

    material, finished = product(f"RM-{stamp}", False), product(f"FG-{stamp}", True)
    (move,) = rpc.call(
        "model.stock.move.create",
        [{"product": material, "unit": unit, "quantity": count, "company": company,
          "from_location": locations["SUP"], "to_location": locations["STO"],
          "unit_price": {"__class__": "Decimal", "decimal": "1"}, "currency": currency}],
    )  # fmt: skip
    rpc.call("model.stock.move.do", [move])
    start = date.today() + timedelta(days=1)
    ids = rpc.call(
        "model.production.create",
        [
            {"company": company, "warehouse": locations["WH"], "location": locations["PROD"],
             "product": finished, "quantity": 1, "unit": unit, "planned_start_date": start,
             "planned_date": start,
             "inputs": [("create", [{"product": material, "unit": unit, "quantity": 1,
                                     "company": company, "from_location": locations["STO"],
                                     "to_location": locations["PROD"]}])]}
            for _ in range(count)
        ],
    )  # fmt: skip
    rows = rpc.call("model.production.read", ids, ["number"])
    return [row["number"] for row in rows]


def _direct(server: TrytonServer, erp: TrytonErp, numbers: list[str]) -> float:
    """The module called with nothing around it: one POST per order, one connection."""
    auth = erp._rpc._auth
    assert auth is not None
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    started = time.perf_counter()
    for index, number in enumerate(numbers):
        body = json.dumps(
            {"id": index, "method": "model.production.releasebot_release",
             "params": [number, f"direct-{index}", "bench", "bench", "require_full", None, False,
                        {}]}
        )  # fmt: skip
        connection.request(
            "POST", f"/{server.database}/rpc/", body,
            {"Content-Type": "application/json", "Authorization": auth},
        )  # fmt: skip
        answer = json.loads(connection.getresponse().read())
        assert answer["result"]["released"], answer
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _through_the_port(erp: TrytonErp, numbers: list[str], directory: Path) -> float:
    engine = make_engine(f"sqlite:///{directory / 'releasebot.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    sync_orders(sessions, erp)
    service = ReleaseService(sessions, clock=utc_now, erp=erp)
    started = time.perf_counter()
    report = service.release(ReleaseRequest(numbers, requested_by="bench", source="bench"))
    elapsed = time.perf_counter() - started
    engine.dispose()
    refused = [result.reason for result in report.results if not result.released]
    assert not refused, refused[:3]
    return elapsed


def run(args: argparse.Namespace) -> list[Figure]:
    reason = tryton_unavailable(POSTGRES_URL)
    if reason:
        raise SystemExit(f"bench erp: {reason}")
    with tryton_server(POSTGRES_URL) as server, tempfile.TemporaryDirectory() as directory:
        erp = TrytonErp(server.url, server.database, server.user, SecretStr(server.password))
        numbers = planned_productions(erp, 2 * args.orders)
        ours = _through_the_port(erp, numbers[: args.orders], Path(directory))
        floor = _direct(server, erp, numbers[args.orders :])
    ratio = ours / floor
    return [
        Figure(
            "erp",
            f"release {args.orders} orders in Tryton through the port vs the module directly",
            ours * 1000,
            "ms",
            floor * 1000,
            f"<= {TARGET}x",
            ratio <= TARGET,
        ),
        Figure("erp", "per order through the port", ours * 1000 / args.orders, "ms"),
    ]
