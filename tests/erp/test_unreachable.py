"""Tryton not there: a release says so in one line per order, asks once, changes nothing."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.erp import ErpRelease
from domain.erp.tryton import TrytonErp
from domain.services.release import ReleaseRequest, ReleaseService
from tests.builders import Plant


class CountingTryton(TrytonErp):
    """The real client, counting the releases it was asked for."""

    asked = 0

    def release(self, number: str, **kwargs: Any) -> ErpRelease:
        self.asked += 1
        return super().release(number, **kwargs)


def test_a_tryton_that_refuses_connections_is_asked_once_and_each_order_told(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    with sqlite_sessions.begin() as session:
        plant = Plant(session)
        for number in ("P000001", "P000002", "P000003"):
            plant.order([("RM-1", 1)], number=number)
    erp = CountingTryton("http://127.0.0.1:1/", "plant", "admin", SecretStr("x"))

    report = ReleaseService(sqlite_sessions, clock=utc_now, erp=erp).release(
        ReleaseRequest(["P000001", "P000002", "P000003"], requested_by="alice")
    )

    assert erp.asked == 1
    assert [r.cause for r in report.results] == ["erp_unavailable"] * 3
    first, *rest = report.results
    assert first.reason is not None and first.reason.startswith(
        "P000001 was not released: Tryton at http://127.0.0.1:1/ (database plant) did not answer"
    )
    assert first.reason.endswith("; nothing was changed")
    assert [r.reason for r in rest] == [
        "P000002 was not released: the ERP did not answer (see P000001)",
        "P000003 was not released: the ERP did not answer (see P000001)",
    ]
