"""Opening the release modal, from the command or from a button of `/release list`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from slack_sdk import WebClient
from sqlalchemy import select

from bot.services import BotServices
from bot.views.release_modal import MAX_ORDERS, ModalChoices, release_modal
from domain.model import PrintPreference
from domain.queries import order_summaries, site_and_warehouse_codes
from domain.rules import normalize_order_number
from domain.statuses import PaperKind


def open_release_modal(
    client: WebClient,
    services: BotServices,
    trigger_id: str,
    user_id: str,
    channel: str | None,
    numbers: Sequence[str] = (),
    papers: Collection[PaperKind] | None = None,
    site: str | None = None,
    start_to: date | None = None,
    note: str | None = None,
) -> None:
    """The modal with these orders chosen, or with these filters set; `papers` None: the
    person's last choice is checked; `note` is said above the fields."""
    wanted = list(dict.fromkeys(normalize_order_number(n) for n in numbers))
    with services.runtime.sessions() as session:
        sites, warehouses = site_and_warehouse_codes(session)
        chosen = order_summaries(session, wanted)
        last = session.scalar(
            select(PrintPreference.papers).where(PrintPreference.user_id == user_id)
        )
    found = {order.number for order in chosen}
    choices = ModalChoices(
        sites=sites,
        warehouses=warehouses,
        chosen=chosen[:MAX_ORDERS],
        papers=frozenset(PaperKind(paper) for paper in last or [])
        if papers is None
        else frozenset(papers),
        channel=channel,
        not_found=[number for number in wanted if number not in found],
        left_out=[order.number for order in chosen[MAX_ORDERS:]],
        site=site,
        start_to=start_to,
        note=note,
    )
    client.views_open(trigger_id=trigger_id, view=release_modal(choices))
