"""What a release would do, order by order, before anyone confirms it. Changes nothing.

The verdicts are the release's own (`domain.decision.decide`, in turn, on the same facts);
the release decides again under its locks at confirmation, from the stock there is then.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, selectinload

from config import ShortagePolicy
from domain.decision import Ask, Because, Go
from domain.erp import Erp, ErpUnavailable
from domain.model import ProductionOrder
from domain.services.materials import Decided, decisions
from domain.statuses import PaperKind
from domain.types import written_quantity


@dataclass(frozen=True)
class OrderPreview:
    number: str
    releasable: bool
    # what will happen (work per warehouse, shortages) or why it cannot be released
    notes: tuple[str, ...]
    # set when the chosen papers do not suit this order (a field error, not a refusal)
    paper_problem: str | None = None
    item: str = ""
    quantity: str = ""


def preview_release(
    session: Session,
    numbers: Sequence[str],
    papers: Collection[PaperKind],
    allowed_sites: Collection[str] | None,
    policy: ShortagePolicy,
    erp: Erp | None = None,
) -> list[OrderPreview]:
    """With `erp` (the orders live in an ERP), what releasebot decides (site, papers) is
    decided here and the rest asked of the ERP: the same call as the release, dry."""
    ask = Ask(
        frozenset(papers), None if allowed_sites is None else frozenset(allowed_sites), policy
    )
    decided = decisions(session, numbers, ask, also=(selectinload(ProductionOrder.item),))
    previews = [_told(one) for one in decided]
    if erp is None:
        return previews
    return [_asked(erp, preview, policy) if preview.releasable else preview for preview in previews]


def _asked(erp: Erp, preview: OrderPreview, policy: ShortagePolicy) -> OrderPreview:
    """The ERP's verdict on an order releasebot would let go."""
    try:
        answer = erp.availability(preview.number, policy)
    except ErpUnavailable as error:
        return replace(preview, releasable=False, notes=(f"{error}; nothing can be released now",))
    if not answer.released:
        return replace(preview, releasable=False, notes=(answer.reason or "refused by the ERP",))
    notes = tuple(
        f"picking work in warehouse {work.warehouse}: "
        f"{len(work.lines)} line{'s' if len(work.lines) != 1 else ''}"
        for work in answer.works
    ) or ("no picking work (nothing to pick)",)
    notes += tuple(f"released short: {shortage.describe()}" for shortage in answer.shortages)
    return replace(preview, notes=notes)


def _told(decided: Decided) -> OrderPreview:
    order, decision = decided.order, decided.decision
    described = (
        {
            "item": f"{order.item.number} {order.item.name}",
            "quantity": written_quantity(order.quantity, order.unit),
        }
        if order is not None
        else {}
    )
    if not isinstance(decision, Go):
        paper_problem = decision.reason if decision.because is Because.PAPERS else None
        return OrderPreview(decided.number, False, (decision.reason,), paper_problem, **described)
    codes = {line.warehouse_id: line.warehouse.code for line in order.bom_lines} if order else {}
    notes = tuple(
        f"picking work in warehouse {codes[warehouse_id]}: "
        f"{len(picks)} line{'s' if len(picks) != 1 else ''}"
        for warehouse_id, picks in decision.plan.picks_by_warehouse().items()
    ) or ("no picking work (nothing warehouse-managed)",)
    notes += tuple(f"released short: {line.describe()}" for line in decision.shortages)
    return OrderPreview(decided.number, True, notes, **described)
