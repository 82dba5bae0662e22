"""What a digest says: the scheduled orders starting within the horizon, most urgent first.

Overdue orders (start passed, still scheduled) are counted and marked; the orders shown
are checked for material shortages as if released now. Only the shown ones are
checked, so a digest of 5,000 waiting orders costs a count and `limit` checks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.orm import Session

from domain.queries import OrderFilter, OrderSummary, count_orders, search_orders
from domain.services.materials import check_availability
from domain.statuses import OrderStatus

SHOWN = 20


class WaitingOrder(BaseModel):
    order: OrderSummary
    overdue: bool
    shortages: list[str]


class Digest(BaseModel):
    at: datetime
    horizon_end: datetime
    site: str | None
    total: int
    overdue: int
    orders: list[WaitingOrder]  # the most urgent `limit` of `total`

    @property
    def more(self) -> int:
        return self.total - len(self.orders)

    def order_filter(self) -> OrderFilter:
        """The release modal's filter that finds the digest's orders."""
        return OrderFilter(
            status=OrderStatus.SCHEDULED, site=self.site, start_to=self.horizon_end.date()
        )


def waiting_digest(
    session: Session,
    now: datetime,
    horizon: timedelta,
    site: str | None = None,
    limit: int = SHOWN,
    sites: frozenset[str] | None = None,
) -> Digest:
    """The digest at `now`; `sites` narrows it to the sites a person may release for."""
    end = now + horizon
    wanted = OrderFilter(status=OrderStatus.SCHEDULED, site=site, sites=sites, start_before=end)
    shown, total = search_orders(session, wanted, "", limit, exact=True)
    overdue = count_orders(session, wanted.model_copy(update={"start_before": now}))
    checks = {
        report.order_number: [line.describe() for line in report.shortages]
        for report in check_availability(session, [order.number for order in shown])
    }
    return Digest(
        at=now,
        horizon_end=end,
        site=site,
        total=total,
        overdue=overdue,
        orders=[
            WaitingOrder(
                order=order,
                overdue=order.scheduled_start is not None and order.scheduled_start < now,
                shortages=checks.get(order.number, []),
            )
            for order in shown
        ],
    )
