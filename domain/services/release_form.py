"""Before a release: what the release form (Slack's modal) opens with, and the review of
the orders chosen (the modal's Review, chat's question) before anyone confirms. Each reads
in one session of its own and changes nothing; the release itself is `ReleaseService`'s."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from config import ShortagePolicy
from config.settings import PrintQueue
from domain.erp import Erp
from domain.preferences import last_papers
from domain.printing import offer
from domain.queries import OrderSummary, order_summaries
from domain.queries import site_and_warehouse_codes as codes
from domain.rules import normalize_order_number
from domain.services.preview import OrderPreview, preview_release
from domain.statuses import PaperKind


@dataclass(frozen=True)
class FormStart:
    """What the form opens with for some order numbers and a person."""

    sites: list[str]
    warehouses: list[str]
    chosen: list[OrderSummary]  # those of the numbers that exist, most urgent first
    not_found: list[str]  # the numbers (normalised) of no order
    last_papers: frozenset[PaperKind]  # the person's last choice; none if never released


@dataclass(frozen=True)
class Review:
    """The form's orders as a release would take them, and the print queues to offer."""

    previews: list[OrderPreview]
    printers: list[str]  # the queues that serve the papers of the releasable orders
    checked: list[str]  # those of them checked at first


class ReleaseForm:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: ShortagePolicy,
        queues: Mapping[str, PrintQueue],
        erp: Erp | None = None,
    ) -> None:
        """`erp`: the ERP the review asks too; None when the orders are releasebot's own."""
        self._sessions = sessions
        self._policy = policy
        self._queues = queues
        self._erp = erp

    def start(self, numbers: Sequence[str], user_id: str) -> FormStart:
        wanted = list(dict.fromkeys(normalize_order_number(number) for number in numbers))
        with self._sessions() as session:
            sites, warehouses = codes(session)
            chosen = order_summaries(session, wanted)
            papers = last_papers(session, user_id) or []
        found = {order.number for order in chosen}
        return FormStart(
            sites=sites,
            warehouses=warehouses,
            chosen=chosen,
            not_found=[number for number in wanted if number not in found],
            last_papers=frozenset(PaperKind(paper) for paper in papers),
        )

    def review(
        self,
        numbers: Sequence[str],
        papers: Collection[PaperKind],
        sites: Collection[str] | None,
        user_id: str,
    ) -> Review:
        """`sites`: those the person may release for, None for all."""
        with self._sessions() as session:
            previews = preview_release(session, numbers, papers, sites, self._policy, self._erp)
            releasable = [preview.number for preview in previews if preview.releasable]
            printers, checked = offer(session, self._queues, papers, releasable, user_id)
        return Review(previews, printers, checked)
