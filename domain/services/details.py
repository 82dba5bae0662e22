"""An order's details as `show` and the papers print them: BOM, route, picking work, history.

They belong to the ERP: releasebot's own database answers for its own orders, and an
order that lives in another ERP (Tryton) is asked of it at each call, so a change made
there shows at once and a paper prints what the shop floor's system has now. Searching,
listing and the digests read the synced copy instead (fast at a million orders).

Raises `domain.erp.ErpUnavailable` when the ERP does not answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from domain.erp import Erp, ErpEvent, ErpOrderDetails
from domain.erp.sync import PRIORITY, copied_status, planned
from domain.queries import (
    BomLineView,
    EventView,
    OperationView,
    OrderDetail,
    WorkLineView,
    WorkView,
    order_detail,
)
from domain.rules import normalize_order_number
from domain.statuses import OrderStatus, SchedulingLevel

# a release or reset in the ERP's history as the status change it made
_CHANGES = {
    "release": (OrderStatus.SCHEDULED, OrderStatus.RELEASED),
    "reset": (OrderStatus.RELEASED, OrderStatus.SCHEDULED),
}


class OrderDetails:
    """`erp`: the ERP to ask, None when the orders are releasebot's own."""

    def __init__(self, sessions: sessionmaker[Session], erp: Erp | None = None) -> None:
        self._sessions = sessions
        self._erp = erp

    def detail(self, number: str) -> OrderDetail | None:
        """The order now, None when there is no such order."""
        if self._erp is None:
            with self._sessions() as session:
                return order_detail(session, number)
        found = self._erp.details(normalize_order_number(number))
        return None if found is None else erp_detail(found)

    def of(self, numbers: Iterable[str]) -> list[OrderDetail]:
        """These orders (those that exist), in the order given, each once."""
        wanted = dict.fromkeys(normalize_order_number(number) for number in numbers)
        if self._erp is None:
            with self._sessions() as session:
                return [found for n in wanted if (found := order_detail(session, n))]
        return [found for n in wanted if (found := self.detail(n))]


def erp_detail(details: ErpOrderDetails) -> OrderDetail:
    """An ERP's order in releasebot's words (docs/erp.md has the mapping): its warehouse is
    its site, it is planned at operation level, with no jobs and no hours per operation."""
    order = details.order
    start, end = planned(order)
    status = copied_status(order.status)
    releases = [event for event in details.history if event.action == "release"]
    last = releases[-1] if releases and status is OrderStatus.RELEASED else None
    return OrderDetail(
        number=order.number,
        status=status,
        site=order.warehouse,
        warehouse=order.warehouse,
        item=order.item,
        item_name=order.item_name or order.item,
        quantity=_decimal(order.quantity),
        unit=order.unit or "pcs",
        scheduling_level=SchedulingLevel.OPERATION,
        scheduled_start=start,
        scheduled_end=end,
        delivery_date=None,
        priority=PRIORITY,
        jobs=0,
        released_by=last.by if last else None,
        released_at=last.at if last else None,
        released_from=last.source if last else None,
        bom=[
            BomLineView(
                line_number=index,
                item=line.item,
                item_name=line.name,
                quantity=_decimal(line.quantity),
                unit=line.unit,
                warehouse=order.warehouse,
                location=line.location,
                warehouse_managed=True,
            )
            for index, line in enumerate(details.inputs, start=1)
        ],
        route=[
            OperationView(
                operation_number=operation.sequence,
                name=operation.name,
                resource=operation.work_center or "-",
                setup_hours=None,
                run_hours=None,
                scheduled_start=None,
                scheduled_end=None,
                jobs=[],
            )
            for operation in details.operations
        ],
        works=[
            WorkView(
                number=work.number,
                warehouse=work.warehouse,
                status="open",
                created_at=last.at if last else None,
                lines=[
                    WorkLineView(
                        line_number=index,
                        item=line.item,
                        item_name=line.name,
                        quantity=_decimal(line.quantity),
                        unit=line.unit,
                        from_location=line.from_location,
                        to_location=line.to_location,
                    )
                    for index, line in enumerate(work.lines, start=1)
                ],
            )
            for work in details.picking
        ],
        history=[_event(event) for event in details.history],
    )


def _event(event: ErpEvent) -> EventView:
    before, after = _CHANGES[event.action]
    return EventView(
        at=event.at,
        actor=event.by,
        source=event.source,
        from_status=before,
        to_status=after,
        note=None,
    )


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))
