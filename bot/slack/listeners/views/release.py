"""The release modal's two steps: review (-> confirmation view) and confirm (-> release)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.bootstrap import BotDependencies
from bot.release_jobs import ReleaseJob
from bot.slack.blocks import confirm, release_modal
from bot.slack.blocks.text import clip
from bot.slack.directory import NO_SITES

ERROR_TEXT_LIMIT = 2000
NO_CHANNEL = "Choose the conversation to post the result in."
NO_ORDERS = "Choose at least one order."


def _paper_error(problems: list[str]) -> str:
    shown = "; ".join(problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return clip(shown + more, ERROR_TEXT_LIMIT)


def review(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: BotDependencies) -> None:
    """Submit of the modal: the confirmation view, or the field that is wrong."""
    chosen = release_modal.read_state(view)
    numbers, papers, channel = chosen.orders, chosen.papers, chosen.channel
    if not numbers:
        ack(response_action="errors", errors={release_modal.ORDERS: NO_ORDERS})
        return
    if not channel:
        ack(response_action="errors", errors={release_modal.CHANNEL: NO_CHANNEL})
        return
    user = body["user"]["id"]
    sites = services.directory.sites(user)
    if sites is not None and not sites:
        ack(response_action="errors", errors={release_modal.ORDERS: NO_SITES})
        return
    reviewed = services.runtime.release_form.review(numbers, papers, sites, user)
    problems = [p.paper_problem for p in reviewed.previews if p.paper_problem]
    if problems:
        ack(response_action="errors", errors={release_modal.PAPERS: _paper_error(problems)})
        return
    confirmation = confirm.confirm_view(
        reviewed.previews, papers, channel, reviewed.printers, reviewed.checked
    )
    ack(response_action="update", view=confirmation)


def confirm_release(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: BotDependencies
) -> None:
    """Submit of the confirmation view: the release, handed to the worker."""
    try:
        choice = confirm.ConfirmedChoice.from_metadata(view.get("private_metadata") or "")
    except ValueError:  # not the metadata the confirmation view wrote: a crafted request
        choice = None
    if choice is None or not choice.orders:  # (no submit button then): crafted too
        ack(response_action="clear")
        return
    ack(
        response_action="update",
        view=confirm.releasing_view(len(choice.orders), choice.channel),
    )
    services.worker.submit(
        ReleaseJob(
            orders=choice.orders,
            papers=frozenset(choice.papers),
            channel=choice.channel,
            user_id=body["user"]["id"],
            idempotency_key=f"slack:view:{view['id']}",
            printers=choice.printers_chosen(view),
        )
    )


def register(app: App) -> None:
    app.view(release_modal.CALLBACK_ID)(review)
    app.view(confirm.CALLBACK_ID)(confirm_release)
