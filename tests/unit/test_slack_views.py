"""Block Kit builders stay within Slack's limits whatever the size of the release."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot.slack.blocks.confirm import ConfirmedChoice, confirm_view
from bot.slack.blocks.digest import digest_message
from bot.slack.blocks.home import home_view
from bot.slack.blocks.order_options import order_option, order_options
from bot.slack.blocks.result import summary_message
from bot.slack.blocks.text import pack_lines
from bot.slack.blocks.waiting_list import waiting_list
from domain.digests.content import Digest, WaitingOrder
from domain.queries import COUNTED_UP_TO, OrderSummary
from domain.release_record import RefusedOrder, ReleasedOrder, ReleaseRecord
from domain.services.preview import OrderPreview
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel
from tests.blocks import release_buttons, table_rows


def _record(released: int, refused: int) -> ReleaseRecord:
    return ReleaseRecord(
        number="R000012",
        requested_by="Ann Planner",
        requested_at=datetime(2026, 11, 30, 6, tzinfo=UTC),
        source="slack:CFLOOR",
        papers=[PaperKind.PICKING_LIST],
        released=[
            ReleasedOrder(
                number=f"P{n:06d}",
                site="1",
                item="FG-1",
                item_name="Bicycle frame, welded and painted",
                quantity=Decimal(10),
                unit="pcs",
                work_numbers=[f"W{n:06d}", f"W{n + 1000:06d}"],
                shortages=[],
            )
            for n in range(1, released + 1)
        ],
        refused=[
            RefusedOrder(number=f"P{n:06d}", reason=f"P{n:06d} is created: estimate it first")
            for n in range(released + 1, released + refused + 1)
        ],
    )


def _texts(blocks: list[dict]) -> list[str]:
    texts = [b["text"]["text"] for b in blocks if "text" in b]
    texts += [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    return texts


def test_a_release_with_released_orders_offers_undo_until_it_is_undone() -> None:
    offered = summary_message(_record(released=400, refused=100), "<@UANN>")
    undone = summary_message(_record(released=400, refused=100), "<@UANN>", undone_by="<@UADM>")
    nothing = summary_message(_record(released=0, refused=3), "<@UANN>")

    [actions] = [b for b in offered.blocks if b["type"] == "actions"]
    assert actions["elements"][0]["accessibility_label"] == "Undo release R000012"
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("undo_release", "R000012")
    ]
    assert len(offered.blocks) <= 50 and len(undone.blocks) <= 50
    assert undone.text.endswith("(undone by <@UADM>)")
    assert "Undone by <@UADM>" in _texts(undone.blocks)[-1]
    assert not [b for b in undone.blocks + nothing.blocks if b["type"] == "actions"]


def test_a_500_order_release_gives_a_valid_message_that_counts_what_it_does_not_list() -> None:
    message = summary_message(_record(released=400, refused=100), "<@UANN>")

    assert len(message.blocks) <= 50
    assert all(len(text) <= 3000 for text in _texts(message.blocks))
    assert message.text == "Release R000012 by <@UANN>: 400 orders released, 100 refused"
    text = "\n".join(_texts(message.blocks))
    assert text.count(":white_check_mark:") == 30 and text.count(":no_entry:") == 20
    assert "Also released (370): P000031, P000032," in text
    # 2,800 characters hold 311 numbers of 7 characters and their separators
    assert "P000341 and 59 more (`releasebot show ORDER` has each)" in text
    assert "Also refused or not processed (80): P000421, " in text
    assert text.rstrip().endswith("Picking list: the PDFs follow in this thread.")


def test_a_small_release_lists_every_order_with_its_work() -> None:
    message = summary_message(_record(released=2, refused=1), "<@UANN>")

    text = "\n".join(_texts(message.blocks))
    assert "*P000001* FG-1 Bicycle frame, welded and painted, 10 pcs — work W000001, W001001" in (
        text
    )
    assert ":no_entry: P000003 is created: estimate it first" in text
    assert "Picking list: the PDFs follow in this thread." in text
    assert "more orders" not in text


def test_an_interrupted_release_says_which_orders_were_not_processed() -> None:
    message = summary_message(_record(released=1, refused=0), "<@UANN>", ["P000009"])

    assert message.text.endswith("1 order released, 1 not processed")
    assert "P000009: not processed, the release was interrupted" in str(message.blocks)


def test_the_confirmation_of_100_orders_fits_a_modal_and_carries_its_choice() -> None:
    previews = [
        OrderPreview(
            number=f"P{n:06d}",
            releasable=n % 4 != 0,
            notes=("picking work in warehouse 11: 3 lines",) * 3,
            item="FG-1 Bicycle frame, welded and painted",
            quantity="10 pcs",
        )
        for n in range(1, 101)
    ]
    view = confirm_view(previews, {PaperKind.JOB_CARD}, "CFLOOR").to_dict()  # validates

    assert len(view["blocks"]) <= 100
    choice = ConfirmedChoice.from_metadata(view["private_metadata"])
    assert len(choice.orders) == 75 and choice.papers == [PaperKind.JOB_CARD]
    assert "25 orders will be left out." in json.dumps(view)


def _waiting(item: str = "FG-1", item_name: str = "Bicycle frame") -> OrderSummary:
    return OrderSummary(
        number="P000001",
        status=OrderStatus.SCHEDULED,
        site="1",
        warehouse="11",
        item=item,
        item_name=item_name,
        quantity=Decimal("12.500"),
        unit="kg",
        scheduling_level=SchedulingLevel.JOB,
        scheduled_start=None,
        scheduled_end=None,
        delivery_date=None,
        priority=1,
        jobs=2,
    )


def test_order_options_are_clipped_to_75_characters() -> None:
    option = order_option(_waiting("FG-" + "X" * 40, "A very long item name " * 5)).to_dict()

    assert len(option["text"]["text"]) == 75 and option["text"]["text"].endswith("…")
    assert option["value"] == "P000001"


def test_lines_are_packed_into_sections_and_the_rest_is_counted() -> None:
    chunks, left_out = pack_lines(["x" * 1000] * 10, max_chunks=2, limit=2100)

    assert [len(chunk) for chunk in chunks] == [2001, 2001] and left_out == 6


def test_a_total_beyond_what_a_search_counts_is_said_to_be_more_than_that() -> None:
    order, total = _waiting(), COUNTED_UP_TO + 1

    group = order_options([order], total)["option_groups"][0]
    assert group["label"]["text"] == "1 most urgent of more than 1,000 matches: type to narrow"
    listing = waiting_list([order], total)
    assert listing["text"] == "More than 1,000 orders waiting for release"
    assert "The 1 most urgent of more than 1,000 orders waiting" in json.dumps(listing)
    home = str(home_view([order], total, datetime.now(UTC), None, [], []).to_dict())
    assert "…and others, more than 1,000 in all: *Release orders…*" in home
    assert "1,001" not in json.dumps([group, listing]) + home


def _within_block_kit_limits(blocks: list[dict[str, Any]]) -> None:
    """Slack's limits for a message's blocks, its one table and its rows of buttons."""
    assert len(blocks) <= 50 and len(json.dumps(blocks)) < 50_000
    [table] = [b for b in blocks if b["type"] == "table"]
    assert len(table["rows"]) <= 100 and all(len(row) <= 20 for row in table["rows"])
    assert all(cell["text"] for row in table["rows"] for cell in row)
    for actions in (b for b in blocks if b["type"] == "actions"):
        assert len(actions["elements"]) <= 25
        assert all(len(e["text"]["text"]) <= 75 for e in actions["elements"])


def test_listed_orders_are_one_table_in_order_with_a_named_button_each() -> None:
    """The `/release list` answer and the digest: the orders' numbers down the table's first
    column and on the buttons below it, most urgent first, within Block Kit's limits."""
    long_name = "A very long item name " * 200
    orders = [
        _waiting(item_name=long_name).model_copy(update={"number": f"P{n:06d}"})
        for n in range(20, 0, -1)
    ]
    numbers = [order.number for order in orders]
    digest = Digest(
        at=datetime(2026, 11, 30, 6, tzinfo=UTC),
        horizon_end=datetime(2026, 12, 1, 6, tzinfo=UTC),
        site=None,
        total=5_000,
        overdue=5_000,
        orders=[WaitingOrder(order=o, overdue=True, shortages=["RM-1 " * 1000]) for o in orders],
    )
    digest_blocks = digest_message(digest, "UTC")
    assert digest_blocks is not None

    for blocks, header in [
        (waiting_list(orders, 5_000)["blocks"], ["Order", "Item", "Qty", "Site", "Start"]),
        (digest_blocks.blocks, ["Order", "Item", "Qty", "Site", "Start", "Marks"]),
    ]:
        _within_block_kit_limits(blocks)
        rows = table_rows(blocks)
        assert rows[0] == header
        assert [row[0] for row in rows[1:]] == numbers
        assert rows[1][2] == "12.5 kg" and rows[1][4] == "no start"
        buttons = release_buttons(blocks)
        assert [b["value"] for b in buttons] == numbers
        assert [b["text"]["text"] for b in buttons[:2]] == ["Release P000020…", "Release P000019…"]
        assert buttons[0]["accessibility_label"] == "Release P000020…"
