"""A small plant for tests: sites, warehouses, items, stock and orders in a few lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.model import (
    BomLine,
    Item,
    Job,
    Location,
    OnHand,
    ProductionOrder,
    Resource,
    RouteOperation,
    Site,
    Warehouse,
)
from domain.queries import OrderDetail, order_detail
from domain.statuses import JobKind, OrderStatus, SchedulingLevel

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def detail(session: Session, number: str) -> OrderDetail:
    """The detail of an order the test made: one that is missing fails here, by its number."""
    found = order_detail(session, number)
    assert found is not None, f"no order {number}"
    return found


@dataclass
class Plant:
    """Builds rows in an open session; every builder returns what it made."""

    session: Session
    _order_seq: int = 0
    sites: dict[str, Site] = field(default_factory=dict)
    warehouses: dict[str, Warehouse] = field(default_factory=dict)
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)

    @classmethod
    def resume(cls, session: Session) -> Plant:
        """A plant over the rows already there (for a test that builds in several
        transactions)."""
        return cls(
            session,
            sites={site.code: site for site in session.scalars(select(Site))},
            warehouses={w.code: w for w in session.scalars(select(Warehouse))},
            locations={(s.warehouse.code, s.code): s for s in session.scalars(select(Location))},
            items={item.number: item for item in session.scalars(select(Item))},
        )

    def site(self, code: str = "1") -> Site:
        if code not in self.sites:
            self.sites[code] = Site(code=code, name=f"Site {code}")
            self.session.add(self.sites[code])
        return self.sites[code]

    def warehouse(
        self, code: str = "11", site: str = "1", input_location: str = "PROD-IN"
    ) -> Warehouse:
        if code not in self.warehouses:
            warehouse = Warehouse(code=code, name=f"Warehouse {code}", site=self.site(site))
            self.session.add(warehouse)
            self.warehouses[code] = warehouse
            if input_location:
                self.location(code, input_location, production_input=True)
        return self.warehouses[code]

    def location(self, warehouse: str, code: str, production_input: bool = False) -> Location:
        key = (warehouse, code)
        if key not in self.locations:
            location = Location(
                warehouse=self.warehouse(warehouse), code=code, is_production_input=production_input
            )
            self.session.add(location)
            self.locations[key] = location
        return self.locations[key]

    def item(self, number: str, managed: bool = True, unit: str = "pcs") -> Item:
        if number not in self.items:
            self.items[number] = Item(
                number=number, name=f"Item {number}", unit=unit, warehouse_managed=managed
            )
            self.session.add(self.items[number])
        return self.items[number]

    def stock(self, item: str, warehouse: str, location: str, quantity: int | str) -> OnHand:
        on_hand = OnHand(
            item=self.item(item),
            location=self.location(warehouse, location),
            quantity=Decimal(quantity),
            reserved=Decimal(0),
        )
        self.session.add(on_hand)
        return on_hand

    def resource(self, code: str = "CNC-1", site: str = "1") -> Resource:
        resource = self.session.query(Resource).filter_by(code=code).one_or_none()
        if resource is None:
            resource = Resource(code=code, name=f"Resource {code}", site_id=self.site(site).id)
            self.session.add(resource)
            self.session.flush()
        return resource

    def order(
        self,
        bom: Sequence[tuple[str, int | str] | tuple[str, int | str, str]] = (),
        *,
        number: str | None = None,
        status: OrderStatus = OrderStatus.SCHEDULED,
        level: SchedulingLevel = SchedulingLevel.JOB,
        warehouse: str = "11",
        operations: int = 2,
        item: str = "FG-1",
        quantity: int = 10,
    ) -> ProductionOrder:
        """An order; BOM entries are (item, quantity) or (item, quantity, warehouse)."""
        self._order_seq += 1
        self.site()
        home = self.warehouse(warehouse)
        self.session.flush()
        order = ProductionOrder(
            number=number or f"P{self._order_seq:06d}",
            item=self.item(item),
            quantity=Decimal(quantity),
            unit="pcs",
            site=home.site,
            warehouse=home,
            status=status,
            scheduling_level=level,
            scheduled_start=MONDAY,
            scheduled_end=MONDAY + timedelta(hours=8),
            priority=5,
        )
        for index, entry in enumerate(bom, start=1):
            material, amount, *where = entry
            order.bom_lines.append(
                BomLine(
                    line_number=index,
                    item=self.item(material),
                    quantity=Decimal(amount),
                    warehouse=self.warehouse(where[0] if where else warehouse),
                )
            )
        resource = self.resource()
        for index in range(1, operations + 1):
            start = MONDAY + timedelta(hours=2 * (index - 1))
            operation = RouteOperation(
                operation_number=10 * index,
                name=f"Operation {10 * index}",
                resource=resource,
                setup_hours=Decimal("0.5"),
                run_hours=Decimal("1.5"),
                scheduled_start=start,
                scheduled_end=start + timedelta(hours=2),
            )
            if level is SchedulingLevel.JOB:
                operation.jobs = [
                    Job(
                        kind=JobKind.SETUP,
                        resource=resource,
                        scheduled_start=start,
                        scheduled_end=start + timedelta(minutes=30),
                    ),
                    Job(
                        kind=JobKind.PROCESS,
                        resource=resource,
                        scheduled_start=start + timedelta(minutes=30),
                        scheduled_end=start + timedelta(hours=2),
                    ),
                ]
            order.operations.append(operation)
        self.session.add(order)
        self.session.flush()
        return order
