"""A release as recorded: who, when, which papers, and per order released or refused.

Read back from the database after the fact, so that whoever reports a release (a
chat message, a paper's header) tells what was committed, not what was hoped for.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.decision import ShortageLine
from domain.model import (
    BomLine,
    OrderShortage,
    ProductionOrder,
    Release,
    ReleaseResult,
    WarehouseWork,
)
from domain.statuses import PaperKind, ReleaseOutcome


class ReleasedOrder(BaseModel):
    number: str
    site: str
    item: str
    item_name: str
    quantity: Decimal
    unit: str
    work_numbers: list[str]
    shortages: list[str]


class RefusedOrder(BaseModel):
    number: str
    reason: str


class ReleaseRecord(BaseModel):
    number: str
    requested_by: str
    # the chat user ID of who asked (a Slack user ID); None from the command line
    requester_id: str | None = None
    requested_at: datetime
    source: str
    papers: list[PaperKind]
    released: list[ReleasedOrder]
    refused: list[RefusedOrder]

    def has_result_for(self, numbers: list[str]) -> bool:
        """Every one of these orders has its outcome recorded: the release is over."""
        done = {order.number for order in self.released} | {order.number for order in self.refused}
        return set(numbers) <= done


def release_record(session: Session, release_id: int) -> ReleaseRecord | None:
    release = session.get(Release, release_id)
    if release is None:
        return None
    results = session.scalars(
        select(ReleaseResult)
        .where(ReleaseResult.release_id == release_id)
        .order_by(ReleaseResult.id)
    ).all()
    released_ids = [r.order_id for r in results if r.outcome is ReleaseOutcome.RELEASED]
    orders = {
        order.id: order
        for order in session.scalars(
            select(ProductionOrder)
            .where(ProductionOrder.id.in_(released_ids))
            .options(
                selectinload(ProductionOrder.item),
                selectinload(ProductionOrder.site),
                selectinload(ProductionOrder.shortages)
                .selectinload(OrderShortage.bom_line)
                .selectinload(BomLine.item),
            )
        )
    }
    works: dict[int, list[str]] = {}
    for work in session.scalars(
        select(WarehouseWork)
        .where(WarehouseWork.release_id == release_id)
        .order_by(WarehouseWork.id)
    ):
        works.setdefault(work.order_id, []).append(work.number)
    return ReleaseRecord(
        number=release.number,
        requested_by=release.requested_by,
        requester_id=release.requester_id,
        requested_at=release.requested_at,
        source=release.source,
        papers=[PaperKind(paper) for paper in release.options.get("papers", [])],
        released=[
            _released(orders[result.order_id], works.get(result.order_id, []), result.erp_answer)
            for result in results
            if result.outcome is ReleaseOutcome.RELEASED and result.order_id in orders
        ],
        refused=[
            RefusedOrder(number=result.order_number, reason=result.reason or "refused")
            for result in results
            if result.outcome is ReleaseOutcome.REFUSED
        ],
    )


def _released(
    order: ProductionOrder, work_numbers: list[str], erp_answer: dict[str, Any] | None
) -> ReleasedOrder:
    """The order as released; released by an ERP, with the works and shortages it answered."""
    if erp_answer is not None:
        work_numbers = [work["number"] for work in erp_answer.get("works", [])]
        shortages = list(erp_answer.get("shortages", []))
    else:
        shortages = [
            ShortageLine(
                line_number=shortage.bom_line.line_number,
                item_number=shortage.bom_line.item.number,
                item_name=shortage.bom_line.item.name,
                warehouse=shortage.bom_line.warehouse.code,
                unit=shortage.bom_line.item.unit,
                required=shortage.bom_line.quantity,
                short=shortage.quantity_short,
            ).describe()
            for shortage in order.shortages
        ]
    return ReleasedOrder(
        number=order.number,
        site=order.site.code,
        item=order.item.number,
        item_name=order.item.name,
        quantity=order.quantity,
        unit=order.unit,
        work_numbers=work_numbers,
        shortages=shortages,
    )
