"""The digest's content and message from real data: 5,000 waiting orders stay within
Block Kit's limits; overdue and short orders are marked; the buttons carry what the
modal needs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.blocks.digest import OPEN_RELEASE_FILTERED, digest_message, filter_of
from bot.slack.blocks.waiting_list import OPEN_RELEASE
from domain.digests.content import waiting_digest
from domain.model import ProductionOrder
from domain.sample_data import demo
from domain.sample_data.bulk_orders import generate_orders
from domain.statuses import OrderStatus
from tests.blocks import release_buttons, table_rows
from tests.builders import MONDAY, Plant

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
SECTION_TEXT_LIMIT = 3000
BUTTON_VALUE_LIMIT = 2000


def test_five_thousand_waiting_orders_make_a_digest_within_block_kit_limits(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    demo.load_demo_company(sessions, now=lambda: NOW)
    with sessions.begin() as session:
        master = demo.master_data(session)
    generate_orders(engine, master, 5_000, seed=5, now=NOW)
    with sessions.begin() as session:  # every order waits, half of them overdue
        session.execute(
            update(ProductionOrder).values(
                status=OrderStatus.SCHEDULED,
                scheduled_start=NOW + timedelta(hours=1),
            )
        )
        session.execute(
            update(ProductionOrder)
            .where(ProductionOrder.id % 2 == 0)
            .values(scheduled_start=NOW - timedelta(days=2))
        )

    with sessions() as session:
        digest = waiting_digest(session, NOW, timedelta(days=1), site="1")
    message = digest_message(digest, "Europe/Berlin")

    assert message is not None
    assert digest.total > 2_500 and digest.overdue > 1_000
    assert len(digest.orders) == 20 and all(w.overdue for w in digest.orders)
    assert len(message.blocks) <= 50
    assert len(json.dumps(message.blocks)) < 50_000
    assert message.text == f"{digest.total:,} orders waiting for release at site 1"
    for block in message.blocks:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= SECTION_TEXT_LIMIT
        if "accessory" in block:
            assert len(block["accessory"]["value"]) <= BUTTON_VALUE_LIMIT
    releases = [*release_buttons(message.blocks), message.blocks[-1]["accessory"]]
    assert all(len(button["value"]) <= BUTTON_VALUE_LIMIT for button in releases)
    rows = table_rows(message.blocks)
    assert [row[0] for row in rows] == ["Order", *(w.order.number for w in digest.orders)]
    assert all(row[-1].startswith("overdue") for row in rows[1:])
    assert [button["action_id"] for button in releases] == [OPEN_RELEASE] * 20 + [
        OPEN_RELEASE_FILTERED
    ]
    assert [button["value"] for button in releases[:20]] == [w.order.number for w in digest.orders]
    assert f"…and {digest.total - 20:,} more." in message.blocks[-1]["text"]["text"]
    assert filter_of(releases[-1]["value"]) == ("1", (NOW + timedelta(days=1)).date())
    assert f"{digest.overdue:,} overdue" in str(message.blocks[1])


def test_shortages_and_lateness_are_marked_and_later_orders_left_out(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 5)
        plant.order([("RM-1", 4)], number="P000001")
        plant.order([("RM-1", 9)], number="P000002")
        plant.order([("RM-1", 1)], number="P000003")
        session.execute(
            update(ProductionOrder)
            .where(ProductionOrder.number == "P000003")
            .values(scheduled_start=MONDAY + timedelta(days=3))
        )

    with sessions() as session:
        digest = waiting_digest(session, MONDAY + timedelta(hours=1), timedelta(days=1))
    message = digest_message(digest, "UTC")

    assert message is not None
    assert [w.order.number for w in digest.orders] == ["P000001", "P000002"]
    assert (digest.total, digest.overdue, digest.more) == (2, 2, 0)
    [header, first, second] = table_rows(message.blocks)
    assert header == ["Order", "Item", "Qty", "Site", "Start", "Marks"]
    assert first[0] == "P000001" and first[-1] == "overdue"
    assert second[0] == "P000002"
    assert second[-1] == "overdue · short: RM-1 Item RM-1: short 4 of 9 pcs in 11"
    assert [b["value"] for b in release_buttons(message.blocks)] == ["P000001", "P000002"]
    assert "starting before Tue 01 Dec 07:00 UTC" in str(message.blocks[1])
