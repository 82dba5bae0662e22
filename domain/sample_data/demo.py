"""The demo company: two sites, their warehouses, items, stock, resources and ~40 orders.

Loading is idempotent: everything is found by its natural key (codes, item and order
numbers) and only what is missing is added. Dates are relative to the day of loading,
so the waiting orders look like this week's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock, utc_now
from domain.model import (
    BomLine,
    Item,
    Job,
    Location,
    OnHand,
    OrderEvent,
    ProductionOrder,
    Resource,
    RouteOperation,
    Site,
    Warehouse,
)
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import JobKind, OrderStatus, SchedulingLevel, WorkStatus

DEMO_USER = "demo-planner"
_Row = TypeVar("_Row")

SITES = {"1": "Seattle assembly plant", "2": "Portland electronics plant"}
# warehouse code: (site, name, stock locations); each also gets PROD-IN, its production input
WAREHOUSES = {
    "11": ("1", "Seattle raw materials", ("A-01", "A-02", "A-03", "B-01")),
    "12": ("1", "Seattle components", ("C-01", "C-02")),
    "21": ("2", "Portland main", ("D-01", "D-02", "D-03")),
}
INPUT_LOCATION = "PROD-IN"
# item number: (name, unit, warehouse-managed)
ITEMS = {
    "FG-1000": ("Speaker cabinet", "pcs", True),
    "FG-2000": ("Stereo amplifier", "pcs", True),
    "FG-3000": ("Subwoofer", "pcs", True),
    "FG-4000": ("Mixing desk", "pcs", True),
    "RM-100": ("MDF panel 18 mm", "pcs", True),
    "RM-110": ("Oak veneer sheet", "m2", True),
    "RM-120": ("Wood screws 4x30", "box", True),
    "RM-130": ("Wood glue", "l", False),
    "RM-140": ("Lacquer", "l", False),
    "RM-200": ("Amplifier circuit board", "pcs", True),
    "RM-210": ("Toroidal transformer", "pcs", True),
    "RM-220": ("Aluminium knob", "pcs", True),
    "RM-230": ("Speaker cable", "m", True),
    "RM-240": ("Speaker driver 10 inch", "pcs", True),
    "RM-250": ("Steel chassis", "pcs", True),
    "RM-260": ("Solder paste", "g", False),
}
# (item, warehouse, location, quantity on hand)
STOCK = [
    ("RM-100", "11", "A-01", 60),
    ("RM-100", "11", "A-02", 45),
    ("RM-100", "11", "B-01", 30),
    ("RM-110", "11", "A-03", 120),
    ("RM-120", "11", "B-01", 200),
    ("RM-230", "11", "B-01", 500),
    ("RM-240", "12", "C-01", 6),
    ("RM-220", "12", "C-02", 400),
    ("RM-230", "12", "C-02", 300),
    ("RM-200", "21", "D-01", 150),
    ("RM-210", "21", "D-02", 80),
    ("RM-220", "21", "D-03", 600),
    ("RM-250", "21", "D-03", 90),
]
# resource code: (site, name)
RESOURCES = {
    "CNC-1": ("1", "CNC router"),
    "ASSY-1": ("1", "Assembly line 1"),
    "PAINT-1": ("1", "Paint booth"),
    "SMT-2": ("2", "SMT line"),
    "ASSY-2": ("2", "Assembly line 2"),
    "TEST-2": ("2", "Test bench"),
}
# a product's route: (operation name, resource, setup hours, run hours per operation)
ROUTES = {
    "FG-1000": [
        ("Cut panels", "CNC-1", "0.5", "2"),
        ("Assemble cabinet", "ASSY-1", "0.25", "3"),
        ("Lacquer", "PAINT-1", "0.5", "1.5"),
    ],
    "FG-3000": [("Cut panels", "CNC-1", "0.5", "1.5"), ("Assemble", "ASSY-1", "0.25", "2.5")],
    "FG-2000": [
        ("Populate boards", "SMT-2", "1", "2"),
        ("Assemble amplifier", "ASSY-2", "0.5", "3"),
        ("Burn-in test", "TEST-2", "0.25", "4"),
    ],
    "FG-4000": [("Populate boards", "SMT-2", "1", "3"), ("Assemble desk", "ASSY-2", "0.5", "4")],
}
# a product's BOM per unit produced: (item, quantity per unit, warehouse or None = order's)
BOMS: dict[str, list[tuple[str, str, str | None]]] = {
    "FG-1000": [
        ("RM-100", "2", None),
        ("RM-110", "1.5", None),
        ("RM-120", "0.1", None),
        ("RM-130", "0.2", None),
    ],
    "FG-3000": [
        ("RM-100", "3", None),
        ("RM-240", "1", "12"),
        ("RM-230", "2", "12"),
        ("RM-140", "0.3", None),
    ],
    "FG-2000": [
        ("RM-200", "1", None),
        ("RM-210", "1", None),
        ("RM-220", "4", None),
        ("RM-250", "1", None),
        ("RM-260", "5", None),
    ],
    "FG-4000": [("RM-200", "2", None), ("RM-220", "12", None), ("RM-250", "1", None)],
}


@dataclass(frozen=True)
class DemoOrder:
    number: str
    item: str
    quantity: int
    warehouse: str
    status: OrderStatus
    level: SchedulingLevel
    start_in_days: int
    priority: int = 5


def _orders() -> list[DemoOrder]:
    job, op = SchedulingLevel.JOB, SchedulingLevel.OPERATION
    s = OrderStatus
    specs = [
        # the scheduled ones, waiting for release (the tour uses the first five)
        ("FG-1000", 10, "11", s.SCHEDULED, job, 0, 2),  # P000001 job-scheduled, all in stock
        ("FG-3000", 4, "11", s.SCHEDULED, op, 0, 3),  # P000002 BOM lines in 11 and 12
        ("FG-3000", 20, "11", s.SCHEDULED, job, 1, 4),  # P000003 short of speaker drivers
        ("FG-1000", 25, "11", s.SCHEDULED, job, 1, 5),  # P000004 MDF split over
        ("FG-2000", 8, "21", s.SCHEDULED, op, -1, 1),  # P000005 overdue, operation level
        ("FG-2000", 12, "21", s.SCHEDULED, job, 2, 5),
        ("FG-4000", 3, "21", s.SCHEDULED, job, 2, 3),
        ("FG-1000", 6, "11", s.SCHEDULED, op, 3, 5),
        ("FG-4000", 5, "21", s.SCHEDULED, op, 3, 6),
        ("FG-2000", 4, "21", s.SCHEDULED, job, 4, 5),
        ("FG-1000", 8, "11", s.SCHEDULED, job, 5, 7),
        ("FG-4000", 2, "21", s.SCHEDULED, job, 6, 5),
        ("FG-2000", 6, "21", s.SCHEDULED, op, 7, 5),
        ("FG-1000", 4, "11", s.SCHEDULED, op, 8, 8),
        # earlier in the lifecycle
        ("FG-1000", 12, "11", s.CREATED, job, 10, 5),
        ("FG-2000", 10, "21", s.CREATED, job, 11, 5),
        ("FG-3000", 5, "11", s.CREATED, op, 12, 5),
        ("FG-4000", 4, "21", s.CREATED, op, 12, 5),
        ("FG-1000", 7, "11", s.ESTIMATED, job, 9, 5),
        ("FG-2000", 9, "21", s.ESTIMATED, op, 9, 5),
        ("FG-3000", 3, "11", s.ESTIMATED, job, 10, 5),
        ("FG-4000", 2, "21", s.ESTIMATED, job, 11, 5),
        # later in the lifecycle: released with their work, then moved on
        ("FG-1000", 5, "11", s.RELEASED, job, 0, 4),
        ("FG-2000", 5, "21", s.RELEASED, job, 0, 4),
        ("FG-4000", 1, "21", s.RELEASED, op, 1, 5),
        ("FG-1000", 3, "11", s.RELEASED, op, 1, 5),
        ("FG-2000", 3, "21", s.STARTED, job, -1, 3),
        ("FG-1000", 4, "11", s.STARTED, job, -1, 3),
        ("FG-4000", 1, "21", s.STARTED, op, -2, 4),
        ("FG-2000", 2, "21", s.STARTED, op, 0, 4),
        ("FG-1000", 2, "11", s.REPORTED_FINISHED, job, -3, 5),
        ("FG-2000", 2, "21", s.REPORTED_FINISHED, job, -3, 5),
        ("FG-4000", 1, "21", s.REPORTED_FINISHED, op, -4, 5),
        ("FG-1000", 3, "11", s.REPORTED_FINISHED, op, -4, 5),
        ("FG-2000", 4, "21", s.ENDED, job, -8, 5),
        ("FG-1000", 6, "11", s.ENDED, job, -9, 5),
        ("FG-4000", 2, "21", s.ENDED, op, -10, 5),
        ("FG-1000", 2, "11", s.ENDED, op, -12, 5),
        ("FG-2000", 1, "21", s.ENDED, op, -14, 5),
        ("FG-4000", 1, "21", s.ENDED, job, -15, 5),
    ]
    return [
        DemoOrder(f"P{index:06d}", item, quantity, warehouse, status, level, days, priority)
        for index, (item, quantity, warehouse, status, level, days, priority) in enumerate(
            specs, start=1
        )
    ]


DEMO_ORDERS = _orders()
# what the tour releases and shows, by role
TOUR_JOB_ORDER, TOUR_TWO_WAREHOUSES, TOUR_SHORT, TOUR_SPLIT, TOUR_OPERATION = (
    order.number for order in DEMO_ORDERS[:5]
)
TOUR_CREATED = next(o.number for o in DEMO_ORDERS if o.status is OrderStatus.CREATED)


def shift_start(day: datetime, start_in_days: int) -> datetime:
    """Orders start at 06:00 UTC, the early shift, `start_in_days` from `day`."""
    return datetime.combine(day.date(), time(6), tzinfo=UTC) + timedelta(days=start_in_days)


def scheduled_route(
    item: str, start: datetime, level: SchedulingLevel, resources: dict[str, int]
) -> list[dict[str, Any]]:
    """The product's route as row values, scheduled back to back from `start`.

    Each operation carries its `jobs` (setup, process) at job level. Plain values, so
    the demo loader (ORM) and the bulk generator (Core) build the same orders.
    """
    operations = []
    cursor = start
    for index, (name, resource, setup, run) in enumerate(ROUTES[item], start=1):
        setup_hours, run_hours = Decimal(setup), Decimal(run)
        setup_end = cursor + timedelta(hours=float(setup_hours))
        end = setup_end + timedelta(hours=float(run_hours))
        resource_id = resources[resource]
        jobs = (
            [
                {
                    "kind": JobKind.SETUP,
                    "resource_id": resource_id,
                    "scheduled_start": cursor,
                    "scheduled_end": setup_end,
                },
                {
                    "kind": JobKind.PROCESS,
                    "resource_id": resource_id,
                    "scheduled_start": setup_end,
                    "scheduled_end": end,
                },
            ]
            if level is SchedulingLevel.JOB
            else []
        )
        operations.append(
            {
                "operation_number": 10 * index,
                "name": name,
                "resource_id": resource_id,
                "setup_hours": setup_hours,
                "run_hours": run_hours,
                "scheduled_start": cursor,
                "scheduled_end": end,
                "jobs": jobs,
            }
        )
        cursor = end
    return operations


def bom_values(
    item: str, quantity: int, home_warehouse: str, master: MasterData
) -> list[dict[str, Any]]:
    """The product's BOM for `quantity` units as row values."""
    return [
        {
            "line_number": index,
            "item_id": master.items[material],
            "quantity": Decimal(per_unit) * quantity,
            "warehouse_id": master.warehouses[warehouse or home_warehouse],
        }
        for index, (material, per_unit, warehouse) in enumerate(BOMS[item], start=1)
    ]


@dataclass
class MasterData:
    """Ids of the demo company's master data by natural key."""

    sites: dict[str, int]
    warehouses: dict[str, int]
    items: dict[str, int]
    resources: dict[str, int]


def load_demo_company(sessions: sessionmaker[Session], now: Clock = utc_now) -> int:
    """Add what is missing of the demo company; returns how many orders were added."""
    with sessions.begin() as session:
        master = master_data(session)
        existing = set(session.scalars(select(ProductionOrder.number)))
        missing = [order for order in DEMO_ORDERS if order.number not in existing]
        today = now()
        for spec in missing:
            session.add(_order(spec, master, today))
    _bring_to_status(sessions, missing, now)
    return len(missing)


def _get_or_add(
    session: Session, model: type[_Row], key: dict[str, object], **values: object
) -> _Row:
    """The row with this natural key, added with `values` when it is not there yet."""
    row = session.scalars(select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **values)
        session.add(row)
        session.flush()
    return row


def master_data(session: Session) -> MasterData:
    """The demo company's master data, added where missing."""
    sites = {
        code: _get_or_add(session, Site, {"code": code}, name=name).id
        for code, name in SITES.items()
    }
    warehouses: dict[str, int] = {}
    for code, (site, name, bins) in WAREHOUSES.items():
        warehouse = _get_or_add(session, Warehouse, {"code": code}, name=name, site_id=sites[site])
        warehouses[code] = warehouse.id
        _get_or_add(
            session,
            Location,
            {"warehouse_id": warehouse.id, "code": INPUT_LOCATION},
            is_production_input=True,
        )
        for bin_code in bins:
            _get_or_add(
                session,
                Location,
                {"warehouse_id": warehouse.id, "code": bin_code},
                is_production_input=False,
            )
    items = {
        number: _get_or_add(
            session, Item, {"number": number}, name=name, unit=unit, warehouse_managed=managed
        ).id
        for number, (name, unit, managed) in ITEMS.items()
    }
    for item, stocked_in, location, quantity in STOCK:
        location_id = session.scalars(
            select(Location.id).filter_by(warehouse_id=warehouses[stocked_in], code=location)
        ).one()
        _get_or_add(
            session,
            OnHand,
            {"item_id": items[item], "location_id": location_id},
            quantity=Decimal(quantity),
            reserved=Decimal(0),
        )
    resources = {
        code: _get_or_add(session, Resource, {"code": code}, name=name, site_id=sites[site]).id
        for code, (site, name) in RESOURCES.items()
    }
    return MasterData(sites, warehouses, items, resources)


def order_values(
    spec: DemoOrder, route: list[dict[str, Any]], master: MasterData, status: OrderStatus
) -> dict[str, Any]:
    """An order's header as row values, its dates taken from its scheduled route."""
    start = route[0]["scheduled_start"]
    return {
        "number": spec.number,
        "item_id": master.items[spec.item],
        "quantity": Decimal(spec.quantity),
        "unit": ITEMS[spec.item][1],
        "site_id": master.sites[WAREHOUSES[spec.warehouse][0]],
        "warehouse_id": master.warehouses[spec.warehouse],
        "status": status,
        "scheduling_level": spec.level,
        "scheduled_start": start,
        "scheduled_end": route[-1]["scheduled_end"],
        "delivery_date": (start + timedelta(days=2)).date(),
        "priority": spec.priority,
    }


def _order(spec: DemoOrder, master: MasterData, today: datetime) -> ProductionOrder:
    route = scheduled_route(
        spec.item, shift_start(today, spec.start_in_days), spec.level, master.resources
    )
    # later statuses are reached by a real release in _bring_to_status
    status = OrderStatus.SCHEDULED if spec.status.is_after_release else spec.status
    return ProductionOrder(
        **order_values(spec, route, master, status),
        bom_lines=[
            BomLine(**values)
            for values in bom_values(spec.item, spec.quantity, spec.warehouse, master)
        ],
        operations=[
            RouteOperation(**{**values, "jobs": [Job(**job) for job in values["jobs"]]})
            for values in route
        ],
    )


def _bring_to_status(sessions: sessionmaker[Session], added: list[DemoOrder], now: Clock) -> None:
    """Released and later orders get there the real way: released with their picking work.

    Started and later ones then have their work picked (closed) and the stock consumed.
    """
    later = [spec for spec in added if spec.status.is_after_release]
    if not later:
        return
    ReleaseService(sessions, clock=now).release(
        ReleaseRequest([spec.number for spec in later], requested_by=DEMO_USER, source="demo")
    )
    moved_on = {
        spec.number: spec.status for spec in later if spec.status is not OrderStatus.RELEASED
    }
    with sessions.begin() as session:
        for order in session.scalars(
            select(ProductionOrder).where(ProductionOrder.number.in_(moved_on))
        ):
            for work in order.works:
                work.status = WorkStatus.CLOSED
                for line in work.lines:
                    on_hand = session.scalars(
                        select(OnHand).filter_by(
                            item_id=line.item_id, location_id=line.from_location_id
                        )
                    ).one()
                    on_hand.reserved -= line.quantity
                    on_hand.quantity -= line.quantity
            session.add(
                OrderEvent(
                    order=order,
                    at=order.released_at,
                    actor=DEMO_USER,
                    source="demo",
                    from_status=OrderStatus.RELEASED,
                    to_status=moved_on[order.number],
                    note="demo history",
                )
            )
            order.status = moved_on[order.number]
