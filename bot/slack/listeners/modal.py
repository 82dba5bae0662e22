"""Opening the release modal, from the command, a shortcut or a button."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.slack.blocks.release_modal import MAX_ORDERS, ModalChoices, release_modal
from domain.statuses import PaperKind


def open_release_modal(
    client: WebClient,
    services: BotDependencies,
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
    start = services.runtime.release_form.start(numbers, user_id)
    choices = ModalChoices(
        sites=start.sites,
        warehouses=start.warehouses,
        chosen=start.chosen[:MAX_ORDERS],
        papers=start.last_papers if papers is None else frozenset(papers),
        channel=channel,
        not_found=start.not_found,
        left_out=[order.number for order in start.chosen[MAX_ORDERS:]],
        site=site,
        start_to=start_to,
        note=note,
    )
    client.views_open(trigger_id=trigger_id, view=release_modal(choices))
