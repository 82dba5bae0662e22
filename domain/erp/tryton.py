"""TrytonErp: a Tryton 8.2 server over JSON-RPC, with the releasebot_tryton module.

The calls go to `<TRYTON_URL>/<database>/rpc/` with a session from `common.db.login`;
one persistent HTTP connection per thread. A release is one call to the module's
`production.releasebot_release` (one transaction, the production's row locked). When
the answer is lost (timeout, connection cut, server restarted), the same call with
the same key is made again until the server answers: the module answers a repeated
key with what it did the first time, so the order is released once, never twice.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from config import ShortagePolicy
from domain.erp import (
    ErpEvent,
    ErpInput,
    ErpOperation,
    ErpOrder,
    ErpOrderDetails,
    ErpRelease,
    ErpReset,
    ErpStatus,
    ErpUnavailable,
    PickLine,
    PickWork,
    Shortage,
)
from domain.rules import normalize_order_number

log = logging.getLogger(__name__)

MODULE = "releasebot_tryton"
# Tryton's states in releasebot's words (draft with planned dates = scheduled)
STATUS = {
    "request": "created",
    "draft": "scheduled",
    "waiting": "released",
    "assigned": "released",
    "running": "started",
    "done": "ended",
    "cancelled": "cancelled",
}
_ORDER_FIELDS = [
    "number", "state", "product.code", "product.name", "quantity", "unit.symbol",
    "warehouse.code", "planned_start_date", "planned_date", "write_date", "create_date",
]  # fmt: skip


class TrytonError(Exception):
    """Tryton answered with an error (a bug or a refusal of ours it could not phrase)."""


class _Rpc:
    """JSON-RPC to one Tryton database; a session per client, a connection per thread."""

    def __init__(
        self, url: str, database: str, user: str, password: SecretStr, timeout: float
    ) -> None:
        parts = urlsplit(url)
        self._host, self._port = parts.hostname or "localhost", parts.port or 8000
        self._https = parts.scheme == "https"
        self._path = f"{parts.path.rstrip('/')}/{database}/rpc/"
        self._root = f"{parts.path.rstrip('/')}/rpc/"
        self._user, self._password, self._timeout = user, password, timeout
        self._local = threading.local()
        self._auth: str | None = None
        self._lock = threading.Lock()
        self.where = f"Tryton at {url} (database {database})"

    def call(self, method: str, *params: Any, timeout: float | None = None) -> Any:
        if self._auth is None:
            self._login()
        return self._post(method, [*params, {}], self._auth, timeout)

    def server_version(self) -> str:
        """trytond's version, asked at the server's own endpoint (no database, no login)."""
        return str(self._post("common.server.version", [], None, None, path=self._root))

    def _login(self) -> None:
        with self._lock:
            if self._auth is None:
                user_id, session, *_ = self._post(
                    "common.db.login",
                    [self._user, {"password": self._password.get_secret_value()}, "en"],
                    None,
                    None,
                )
                token = f"{self._user}:{user_id}:{session}".encode()
                self._auth = "Session " + base64.b64encode(token).decode()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            connection = kind(self._host, self._port, timeout=timeout)
            self._local.connection = connection
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _post(
        self,
        method: str,
        params: list[Any],
        auth: str | None,
        timeout: float | None,
        path: str | None = None,
    ) -> Any:
        body = json.dumps({"id": 1, "method": method, "params": params}, default=_encode)
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = auth
        connection = self._connection(timeout or self._timeout)
        try:
            connection.request("POST", path or self._path, body, headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            self._local.connection = None
            refused = isinstance(error, ConnectionRefusedError)  # nothing reached it
            raise ErpUnavailable(
                f"{self.where} did not answer: {error}", sent=not refused
            ) from error
        if response.status == 401:
            self._auth = None
            raise ErpUnavailable(f"{self.where} refused the login of {self._user!r}")
        if response.status == 403:
            raise TrytonError(f"{method}: not allowed for {self._user!r}")
        if response.status != 200:
            raise ErpUnavailable(f"{self.where} answered HTTP {response.status}")
        answer = json.loads(payload, object_hook=_decode)
        if answer.get("error"):
            raise TrytonError(f"{method}: {_error_text(answer['error'])}")
        return answer.get("result")


class TrytonErp:
    """The port over a Tryton server."""

    kind = "tryton"
    page = 1000  # orders listed a call

    def __init__(
        self,
        url: str,
        database: str,
        user: str,
        password: SecretStr,
        timeout: float = 30,
        settle_seconds: float = 60,
    ) -> None:
        self._rpc = _Rpc(url, database, user, password, timeout)
        self._settle_seconds = settle_seconds

    @property
    def where(self) -> str:
        return self._rpc.where

    def orders(self, changed_since: datetime | None = None) -> Iterator[ErpOrder]:
        domain: list[Any] = [("state", "=", "draft"), ("planned_start_date", "!=", None)]
        if changed_since is not None:
            domain = [
                "OR",
                ("write_date", ">=", changed_since),
                ("create_date", ">=", changed_since),
            ]
        # a page after the last id seen, not at an offset: an offset makes the database
        # walk every row before it again, page after page (quadratic at a million orders)
        last, page = 0, self.page
        while True:
            rows = self._rpc.call(
                "model.production.search_read",
                [domain, ("id", ">", last)],
                0,
                page,
                [("id", "ASC")],
                _ORDER_FIELDS,
            )
            for row in rows:
                if row.get("number"):
                    yield _order(row)
            if len(rows) < page:
                return
            last = rows[-1]["id"]

    def details(self, number: str) -> ErpOrderDetails | None:
        row = self._rpc.call("model.production.releasebot_details", _number(number))
        if row is None:
            return None
        order = ErpOrder(
            number=row["number"],
            status=STATUS[row["state"]],
            item=row["product"],
            quantity=row["quantity"] or 0.0,
            warehouse=row["warehouse"],
            planned_start=row["planned_start_date"],
            planned_end=row["planned_date"],
            version=row["write_date"],
            item_name=row["product_name"],
            unit=row["unit"],
        )
        return ErpOrderDetails(
            order,
            inputs=tuple(
                ErpInput(i["product"], i["name"], i["quantity"], i["unit"], i["from"])
                for i in row["inputs"]
            ),
            operations=tuple(
                ErpOperation(o["sequence"], o["operation"], o["work_center"])
                for o in row["operations"]
            ),
            picking=_works(row["picking"]),
            history=tuple(
                ErpEvent(h["action"], h["by"], h["from"] or "", _utc(h["at"]))
                for h in row["history"]
            ),
        )

    def availability(self, number: str, policy: ShortagePolicy) -> ErpRelease:
        answer = self._rpc.call(
            "model.production.releasebot_release",
            _number(number),
            None,
            "releasebot",
            "preview",
            policy.value,
            None,
            True,
        )
        return _release(answer)

    def release(
        self,
        number: str,
        *,
        key: str,
        actor: str,
        source: str,
        policy: ShortagePolicy,
        expected_version: str | None = None,
    ) -> ErpRelease:
        params = (_number(number), key, actor, source, policy.value, expected_version, False)
        return _release(self._settled(f"release of {number}", "releasebot_release", *params))

    def reset(self, number: str, *, actor: str, source: str) -> ErpReset:
        answer = self._rpc.call("model.production.releasebot_reset", _number(number), actor, source)
        return _reset(answer)

    def reset_all(
        self, numbers: Sequence[str], *, key: str, actor: str, source: str
    ) -> tuple[ErpReset, ...]:
        """One call, one Tryton transaction (releasebot_reset_many), settled by its key."""
        numbers = list(dict.fromkeys(_number(number) for number in numbers))
        answers = self._settled(
            f"reset of {', '.join(numbers)}", "releasebot_reset_many", numbers, key, actor, source
        )
        return tuple(_reset(answer) for answer in answers)

    def _settled(self, what: str, method: str, *params: Any) -> Any:
        """Call a keyed method of the module; when the answer is lost (not necessarily the
        change), ask again with the same key until Tryton answers or settle_seconds pass
        (a server that refused the very first call has nothing to settle)."""
        deadline = time.monotonic() + self._settle_seconds
        sent = False
        while True:
            try:
                return self._rpc.call(f"model.production.{method}", *params)
            except ErpUnavailable as error:
                sent = sent or error.sent
                if not sent or time.monotonic() >= deadline:
                    raise
                log.warning("%s: no answer from Tryton; asking again", what)
                time.sleep(0.5)

    def check(self) -> ErpStatus:
        try:
            modules = self._rpc.call(
                "model.ir.module.search_read",
                [("name", "in", [MODULE, "production", "stock"])],
                0,
                None,
                None,
                ["name", "state", "version"],
            )
            version = self._rpc.server_version()
        except (ErpUnavailable, TrytonError) as error:
            return ErpStatus("tryton", reachable=False, module_active=False, problem=str(error))
        states = {row["name"]: row for row in modules}
        active = states.get(MODULE, {}).get("state") == "activated"
        return ErpStatus(
            "tryton",
            reachable=True,
            module_active=active,
            versions={"trytond": version, **{n: r["version"] for n, r in states.items()}},
            problem=None
            if active
            else (
                f"module {MODULE} is not activated: "
                f"trytond-admin -d DATABASE -u {MODULE} --activate-dependencies"
            ),
        )


def _number(number: str) -> str:
    """As a planner types it (`p123`, `123`): Tryton's production sequence numbers P000123
    (prefix P, 6 digits; docs/erp.md), anything else is passed as typed."""
    return normalize_order_number(number)


def _order(row: dict[str, Any]) -> ErpOrder:
    def related(name: str, field: str) -> str:  # search_read's "product.code": {"code": ..}
        return str((row.get(f"{name}.") or {}).get(field) or "")

    changed = row.get("write_date") or row.get("create_date")
    status = STATUS[row["state"]]
    if status == "scheduled" and not row.get("planned_start_date"):
        status = "estimated"  # a draft without planned dates is not scheduled yet
    return ErpOrder(
        number=row["number"],
        status=status,
        item=related("product", "code"),
        item_name=related("product", "name"),
        quantity=float(row["quantity"] or 0),
        unit=related("unit", "symbol"),
        warehouse=related("warehouse", "code"),
        planned_start=_iso(row.get("planned_start_date")),
        planned_end=_iso(row.get("planned_date")),
        version=_iso(changed),
    )


def _reset(answer: dict[str, Any]) -> ErpReset:
    return ErpReset(answer["number"], answer["reset"], answer["cause"], answer["reason"])


def _release(answer: dict[str, Any]) -> ErpRelease:
    return ErpRelease(
        order_number=answer["number"],
        released=answer["released"],
        cause=answer["cause"],
        reason=answer["reason"],
        works=_works(answer.get("picking", ())),
        shortages=tuple(
            Shortage(s["product"], s["name"], s["short"], s["unit"])
            for s in answer.get("shortages", ())
        ),
        released_by=answer.get("released_by"),
        released_from=answer.get("released_from"),
    )


def _works(picking: list[dict[str, Any]]) -> tuple[PickWork, ...]:
    return tuple(
        PickWork(
            work["work"],
            work["warehouse"],
            tuple(
                PickLine(
                    line["product"],
                    line["name"],
                    line["quantity"],
                    line["unit"],
                    line["from"],
                    line["to"],
                )
                for line in work["lines"]
            ),
        )
        for work in picking
    )


def _utc(iso: str) -> datetime:
    """Tryton's timestamps are naive UTC."""
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {
            "__class__": "datetime",
            "year": value.year,
            "month": value.month,
            "day": value.day,
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    raise TypeError(f"cannot send {type(value).__name__} to Tryton")


def _decode(value: dict[str, Any]) -> Any:
    kind = value.get("__class__")
    if kind == "datetime":
        return datetime(
            value["year"],
            value["month"],
            value["day"],
            value["hour"],
            value["minute"],
            value["second"],
            value.get("microsecond", 0),
        )
    if kind == "date":
        return date(value["year"], value["month"], value["day"])
    if kind == "Decimal":
        return float(value["decimal"])
    return value


def _error_text(error: Any) -> str:
    if isinstance(error, list) and len(error) == 2 and isinstance(error[1], list | tuple):
        return " ".join(str(part) for part in error[1] if part)
    return str(error)[:500]
