"""Which printer queue prints which paper of which orders: the one routing rule.

The configuration (`printing.queues`) names, per CUPS queue, the papers it prints and
the sites and warehouses it serves. A release's papers are split by it: the picking
lists of warehouse 11's work go to `wh11-laser`, the job cards of site 1 to
`line1-printer`. The Slack dialog offers the same queues, the CLI and the outbox print
through the same plan. Nothing here knows CUPS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from config.settings import PrintQueue
from domain.preferences import last_printers
from domain.queries import OrderDetail, OrderSummary, order_summaries
from domain.statuses import PaperKind


@dataclass(frozen=True)
class OrderPlace:
    """Where an order's papers belong: its site, and the warehouses of its work (its own
    warehouse before the release, when there is no work yet)."""

    number: str
    site: str
    warehouses: frozenset[str]

    @classmethod
    def of(cls, order: OrderSummary) -> OrderPlace:
        works = order.works if isinstance(order, OrderDetail) else []
        warehouses = {work.warehouse for work in works} or {order.warehouse}
        return cls(order.number, order.site, frozenset(warehouses))


@dataclass(frozen=True)
class PrintJob:
    """One paper kind of some orders for one queue; `warehouses` (picking lists) keeps
    only those warehouses' work pages, None keeps every page."""

    queue: str
    kind: PaperKind
    orders: tuple[str, ...]
    warehouses: tuple[str, ...] | None = None


def serves(queue: PrintQueue, kind: PaperKind, place: OrderPlace) -> bool:
    """Whether `queue` prints this kind of paper for this order."""
    return (
        kind.value in queue.papers
        and (not queue.sites or place.site in queue.sites)
        and (not queue.warehouses or bool(place.warehouses & set(queue.warehouses)))
    )


def serving_queues(
    queues: Mapping[str, PrintQueue], papers: Iterable[PaperKind], places: Sequence[OrderPlace]
) -> list[str]:
    """The queues (in configuration order) that print some of these papers of these orders:
    what the dialog offers and, unless the person chose otherwise, where a release prints."""
    papers = list(papers)
    return [
        name
        for name, queue in queues.items()
        if any(serves(queue, kind, place) for kind in papers for place in places)
    ]


def plan(
    queues: Mapping[str, PrintQueue],
    papers: Iterable[PaperKind],
    places: Sequence[OrderPlace],
    chosen: Iterable[str] | None = None,
) -> list[PrintJob]:
    """The print jobs for these papers of these orders at the chosen queues (None: every
    configured queue). A picking list printed for some warehouses only has their pages."""
    wanted = None if chosen is None else set(chosen)
    jobs = []
    for name, queue in queues.items():
        if wanted is not None and name not in wanted:
            continue
        for kind in sorted(set(papers), key=list(PaperKind).index):
            orders = tuple(place.number for place in places if serves(queue, kind, place))
            if orders:
                keep = tuple(queue.warehouses) if kind is PaperKind.PICKING_LIST else ()
                jobs.append(PrintJob(name, kind, orders, keep or None))
    return jobs


def one_queue(
    queue: str, papers: Iterable[PaperKind], places: Sequence[OrderPlace]
) -> list[PrintJob]:
    """Every paper of every order at one queue (`--printer QUEUE`), whatever is configured."""
    numbers = tuple(place.number for place in places)
    if not numbers:
        return []
    return [
        PrintJob(queue, kind, numbers) for kind in sorted(set(papers), key=list(PaperKind).index)
    ]


def print_jobs(
    queues: Mapping[str, PrintQueue],
    papers: Iterable[PaperKind],
    places: Sequence[OrderPlace],
    chosen: Iterable[str] | None = None,
    printer: str | None = None,
) -> list[PrintJob]:
    """What to print where: everything at `printer` when one is named (`--printer`), else
    the configured routing at the `chosen` queues (None: all of them)."""
    if printer:
        return one_queue(printer, papers, places)
    return plan(queues, papers, places, chosen)


def pages_for(order: OrderDetail, warehouses: Sequence[str] | None) -> OrderDetail:
    """The order as a queue prints it: only the named warehouses' work, or all of it."""
    if warehouses is None:
        return order
    return order.model_copy(update={"works": [w for w in order.works if w.warehouse in warehouses]})


def preselected(offered: Sequence[str], last: Sequence[str] | None) -> list[str]:
    """The offered queues checked at first: the person's last choice among them, or all of
    them (the configuration's routing) for someone never asked."""
    return list(offered) if last is None else [queue for queue in offered if queue in last]


def offer(
    session: Session,
    queues: Mapping[str, PrintQueue],
    papers: Iterable[PaperKind],
    numbers: Sequence[str],
    user_id: str,
) -> tuple[list[str], list[str]]:
    """ "Print at …" for a release about to be confirmed: the queues that serve these papers
    of these orders, and those checked at first."""
    papers = list(papers)
    if not queues or not papers or not numbers:
        return [], []
    places = [OrderPlace.of(order) for order in order_summaries(session, numbers)]
    offered = serving_queues(queues, papers, places)
    return offered, preselected(offered, last_printers(session, user_id)) if offered else []
