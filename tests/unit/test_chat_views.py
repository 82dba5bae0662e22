"""The chat answers stay within Block Kit's limits and their buttons carry what they say."""

from __future__ import annotations

import json

import pytest

from bot.conversation.commands import Digest, ReleaseOrders, ShowOrder
from bot.conversation.orders import Ambiguous
from bot.slack.blocks.chat import (
    CONFIRM,
    EDIT,
    PICK_ORDER,
    command_from_value,
    command_value,
    release_question,
    which_order,
    which_reading,
)
from bot.slack.blocks.confirm import ConfirmedChoice
from domain.services.preview import OrderPreview
from domain.statuses import PaperKind


def _actions(message: dict) -> list[dict]:
    return next(b for b in message["blocks"] if b["type"] == "actions")["elements"]


def test_a_question_about_many_orders_stays_within_limits_and_confirms_the_releasable() -> None:
    previews = [
        OrderPreview(f"P{n:06d}", n % 2 == 0, ("picking work in warehouse 11: 3 lines",) * 20)
        for n in range(60)
    ]

    message = release_question("Release 60 orders?", previews, {PaperKind.ROUTE_CARD}, "DANN")

    assert len(message["blocks"]) <= 15
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if "text" in b)
    assert "more orders not shown" in str(message["blocks"])
    confirm, edit, _ = _actions(message)
    assert (confirm["action_id"], edit["action_id"]) == (CONFIRM, EDIT)
    chosen = ConfirmedChoice.from_metadata(confirm["value"])
    assert chosen.orders == [f"P{n:06d}" for n in range(0, 60, 2)]
    assert chosen.papers == [PaperKind.ROUTE_CARD] and chosen.channel == "DANN"
    assert len(ConfirmedChoice.from_metadata(edit["value"]).orders) == 60
    assert all(len(button["value"]) <= 2000 for button in _actions(message))


def test_nothing_releasable_has_no_confirm() -> None:
    message = release_question(
        "Release P000001?", [OrderPreview("P000001", False, ("P000001 is released",))], (), "D1"
    )

    assert [b["action_id"] for b in _actions(message)] == [EDIT, "chat_cancel"]
    assert "None of these orders can be released now." in str(message["blocks"])


def test_which_order_offers_ten_buttons_each_with_the_whole_command() -> None:
    candidates = tuple(f"P{n:03d}123" for n in range(1, 15))
    command = ReleaseOrders(("123", "P000124"), frozenset({PaperKind.PICKING_LIST}))

    message = which_order(Ambiguous("123", candidates), command)

    buttons = _actions(message)
    assert len(buttons) == 10 and {b["action_id"] for b in buttons} == {PICK_ORDER}
    assert command_from_value(buttons[2]["value"]) == ReleaseOrders(
        ("P003123", "P000124"), frozenset({PaperKind.PICKING_LIST})
    )
    assert message["text"].endswith("P010123 or 4 more?")
    assert buttons[2]["accessibility_label"] == "Mean P003123"


def test_button_values_round_trip() -> None:
    for command in (ShowOrder("P000001"), ReleaseOrders(("P1", "P2"), frozenset(PaperKind))):
        assert command_from_value(command_value(command)) == command
    assert json.loads(command_value(ShowOrder("P1"))) == {"show": "P1"}


def test_two_readings_of_a_clip_are_asked_about_a_button_each() -> None:
    heard = ReleaseOrders(("P000254",), frozenset({PaperKind.ROUTE_CARD}))
    other = ReleaseOrders(("P000214",), frozenset({PaperKind.ROUTE_CARD}))

    message = which_reading((heard, other))

    assert message["text"] == (
        "I heard two things. Did you say “Release P000254 with Route card” or "
        "“Release P000214 with Route card”?"
    )
    buttons = _actions(message)
    assert [b["text"]["text"] for b in buttons] == [
        "Release P000254 with Route card",
        "Release P000214 with Route card",
    ]
    assert {b["action_id"] for b in buttons} == {PICK_ORDER}
    assert [command_from_value(b["value"]) for b in buttons] == [heard, other]


def test_a_digest_heard_at_two_times_is_asked_about_a_button_each() -> None:
    readings = (Digest("daily 10:30"), Digest("weekdays 08:30"))

    message = which_reading(readings)

    assert message["text"] == (
        "I heard two things. Did you say “Post the orders waiting for release here every day "
        "at 10:30” or “Post the orders waiting for release here every weekday at 08:30”?"
    )
    buttons = _actions(message)  # short: a phone cuts a button's text
    assert [b["text"]["text"] for b in buttons] == [
        "Digest every day at 10:30",
        "Digest every weekday at 08:30",
    ]
    assert [command_from_value(b["value"]) for b in buttons] == list(readings)
    stop = which_reading((Digest("off"), Digest("daily 07:00")))
    assert _actions(stop)[0]["text"]["text"] == "Stop the digest"


@pytest.mark.parametrize(
    "value",
    [
        '{"digest": "5"}',
        '{"digest": "cron 0 7 * * 1-5"}',
        '{"digest": "daily 24:00"}',
        '{"digest": null}',
        '{"digest": "off "}',
    ],
)
def test_a_button_with_a_digest_the_chat_never_says_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        command_from_value(value)
