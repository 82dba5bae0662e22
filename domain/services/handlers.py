"""What follows each event of the domain, in the transaction that raised it: the outbox
rows it queues and the choices it remembers. `HANDLERS` is the whole of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from domain import release_messages
from domain.events import Event, ReleaseOpened, ReleaseOver, ReleaseUndone
from domain.outbox import due_now, enqueue
from domain.preferences import remember_papers


def queue_result_message(session: Session, event: ReleaseOpened) -> None:
    """A release asked in the chat says there what it did, once it is over."""
    if event.report_in is None or event.requester_id is None:
        return
    message = release_messages.summary(
        event.release_id, event.report_in, event.requester_id, list(event.orders), event.workspace
    )
    enqueue(session, [message], event.at)


def queue_printing(session: Session, event: ReleaseOpened) -> None:
    """The papers chosen go to the printers chosen, once the release is over."""
    if event.print_at is None or not event.print_at.prints:
        return
    at = event.print_at
    plan = release_messages.print_plan(
        event.release_id,
        list(event.orders),
        event.report_in,
        None if at.queues is None else list(at.queues),
        at.printer,
        event.workspace,
    )
    enqueue(session, [plan], event.at)


def remember_choice(session: Session, event: ReleaseOpened) -> None:
    """The papers (and the queues, when some were offered) are offered again next time."""
    if not event.remember_choice or event.requester_id is None:
        return
    at = event.print_at
    printers = None if at is None or at.queues is None else list(at.queues)
    papers = sorted(paper.value for paper in event.papers)
    remember_papers(session, event.requester_id, papers, event.at, printers)


def hurry_its_messages(session: Session, event: ReleaseOver) -> None:
    """What waited for the release to be over (its result, its printing) is due now, not
    after its wait."""
    due_now(session, release_messages.of_release(event.release_id), event.at)


def queue_result_update(session: Session, event: ReleaseUndone) -> None:
    """The release's result message says it was undone (and loses its button)."""
    message = release_messages.undone(event.release_id, event.undone_by, event.workspace)
    enqueue(session, [message], event.at)


Handler = Callable[[Session, Any], None]  # takes the event it is listed under

HANDLERS: Mapping[type[Event], Sequence[Handler]] = {
    ReleaseOpened: [queue_result_message, queue_printing, remember_choice],
    ReleaseOver: [hurry_its_messages],
    ReleaseUndone: [queue_result_update],
}


def handle(session: Session, event: Event) -> None:
    """Run the event's handlers in the caller's transaction: they commit with it or not."""
    for handler in HANDLERS[type(event)]:
        handler(session, event)
