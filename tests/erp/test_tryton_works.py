"""Tryton's works (production_work): a routed production gets its works at release, its
route shows in the details (the routing's steps, then its works, at their work centres),
and a reset is refused once a work has a cycle (Tryton's own `draft` does not check)."""

from __future__ import annotations

import pytest

from config import ShortagePolicy
from tests.erp.conftest import TrytonWorld
from tests.tryton import TrytonServer

pytestmark = [pytest.mark.tryton, pytest.mark.postgres]


def test_a_reset_is_refused_once_a_work_has_a_cycle(tryton: TrytonServer) -> None:
    world = TrytonWorld(tryton)
    number, production = world.routed_order()
    planned = world.erp.details(number)

    released = world.erp.release(
        number, key="k-1", actor="alice", source="cli", policy=ShortagePolicy.REQUIRE_FULL
    )

    assert released.released, released.reason
    details = world.erp.details(number)
    assert details is not None
    route = [(1, "Cut", "Line 1"), (2, "Assemble", "Line 1")]
    assert planned is not None  # the routing's steps, at the production's work centre
    assert [(op.sequence, op.name, op.work_center) for op in planned.operations] == route
    # the works Tryton made at the release, at the centre it picked
    assert [(op.sequence, op.name, op.work_center) for op in details.operations] == route

    works = world.rpc.call(
        "model.production.work.search", [("production", "=", production)], 0, None, None
    )
    world.rpc.call("model.production.work.cycle.create", [{"work": works[0]}])
    reset = world.erp.reset(number, actor="alice", source="cli")

    assert not reset.reset and reset.cause == "started"
    assert reset.reason is not None and "has started; it cannot be reset" in reset.reason
    details = world.erp.details(number)
    assert details is not None and details.order.status == "released"
