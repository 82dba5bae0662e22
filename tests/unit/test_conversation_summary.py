"""The question the bot asks before it acts on chat or speech."""

from __future__ import annotations

import pytest

from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    Horizon,
    ListWaiting,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.question import confirmation
from domain.statuses import PaperKind


@pytest.mark.parametrize(
    ("command", "question"),
    [
        (
            ReleaseOrders(("P000123",), frozenset({PaperKind.ROUTE_CARD})),
            "Release P000123 with Route card?",
        ),
        (
            ReleaseOrders(
                ("P000123", "P000124", "P000125"),
                frozenset({PaperKind.PICKING_LIST, PaperKind.JOB_CARD}),
            ),
            "Release P000123, P000124 and P000125 with Job card and Picking list?",
        ),
        (ReleaseOrders(("P000123",)), "Release P000123 without papers?"),
        (
            ListWaiting("2", Horizon.TODAY),
            "List the orders waiting for release at site 2 due by today?",
        ),
        (ListWaiting(), "List the orders waiting for release?"),
        (ShowOrder("P000123"), "Show P000123?"),
        (Undo(), "Undo your last release?"),
        (Help(), "Show what I can do?"),
        (Digest("daily 07:00"), "Post the orders waiting for release here every day at 07:00?"),
        (
            Digest("weekdays 06:30"),
            "Post the orders waiting for release here every weekday at 06:30?",
        ),
        (Digest("off"), "Stop the digest in this conversation?"),
    ],
)
def test_confirmation_questions(command: Command, question: str) -> None:
    assert confirmation(command) == question
