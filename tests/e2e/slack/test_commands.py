"""`/release list`, `help`, unknown text, the list's buttons, the options load, /healthz."""

from __future__ import annotations

from datetime import UTC, datetime

import requests
from sqlalchemy import update

from domain.model import ProductionOrder
from tests.blocks import release_buttons, table_rows
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, Bot
from tests.e2e.slack.payloads import button, options_load
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import open_modal, plant

JSON = {"Content-Type": "application/json"}


def test_list_answers_with_the_waiting_orders_and_their_buttons(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)

    answer = bot.command("list").json()

    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "3 orders waiting for release"
    buttons = release_buttons(answer["blocks"])
    assert [b["value"] for b in buttons] == ["P000001", "P000002", "P000003"]
    assert [row[0] for row in table_rows(answer["blocks"])] == [
        "Order",
        *(b["value"] for b in buttons),
    ]
    assert buttons[0]["accessibility_label"] == "Release P000001…"
    assert buttons[0]["text"]["text"] == "Release P000001…"
    assert "All orders waiting for release." in str(answer["blocks"][-1])

    bot.interact(button("open_release", "P000002"))
    [opened] = slack.wait_for("views.open")
    orders = next(b for b in opened.args["view"]["blocks"] if b["block_id"] == "orders")
    assert [o["value"] for o in orders["element"]["initial_options"]] == ["P000002"]


def test_the_command_understands_what_chat_understands(bot: Bot, slack: SlackStandIn) -> None:
    """Site, horizon, order numbers and papers, read by the same parser as chat."""
    plant(bot)  # P000003 is at site 2; P000003 and P000002 start today, P000001 later
    with bot.sessions.begin() as session:
        session.execute(
            update(ProductionOrder)
            .where(ProductionOrder.number.in_(["P000002", "P000003"]))
            .values(scheduled_start=datetime.now(UTC))
        )

    def listed(text: str) -> list[str]:
        answer = bot.command(text).json()
        assert answer["response_type"] == "ephemeral"
        return [b["value"] for b in release_buttons(answer.get("blocks", []))]

    assert listed("list site 2") == ["P000003"]
    assert listed("list orders at site 1 today") == ["P000002"]
    assert listed("what's waiting for release today?") == ["P000002", "P000003"]
    assert listed("list site 7") == []

    modal = open_modal(bot, slack, "1 and p2 with route card and picking list")

    orders = next(b for b in modal["blocks"] if b.get("block_id") == "orders")
    chosen = [o["value"] for o in orders["element"]["initial_options"]]
    assert chosen == ["P000002", "P000001"]  # most urgent first
    papers = next(b for b in modal["blocks"] if b.get("block_id") == "papers")
    checked = {o["value"] for o in papers["element"]["initial_options"]}
    assert checked == {"route_card", "picking_list"}


def test_help_and_text_it_does_not_understand(bot: Bot, slack: SlackStandIn) -> None:
    helped = bot.command("help").json()
    confused = bot.command("please release everything").json()

    assert helped["text"].startswith("*`/release`* — release scheduled production orders")
    assert confused["text"].startswith(
        "I did not understand `please release everything`.\n\n*`/release`*"
    )
    assert not slack.ok_calls("views.open")


def test_unknown_orders_on_the_command_are_named_in_the_modal(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    modal = open_modal(bot, slack, "p1 P999999")

    assert "Not found, left out: P999999" in str(modal["blocks"][0])
    orders = next(b for b in modal["blocks"] if b.get("block_id") == "orders")
    assert [o["value"] for o in orders["element"]["initial_options"]] == ["P000001"]
    assert (
        next(b for b in modal["blocks"] if b.get("block_id") == "channel")["element"][
            "initial_conversation"
        ]
        == CHANNEL
    )


def test_the_options_load_shows_100_most_urgent_and_says_how_many_match(
    bot: Bot, slack: SlackStandIn
) -> None:
    with bot.sessions.begin() as session:
        plant = Plant(session)
        for _ in range(130):
            plant.order([], operations=1)
    modal = open_modal(bot, slack)

    everything = bot.interact(options_load("", modal)).json()
    narrowed = bot.interact(options_load("P00012", modal)).json()

    [group] = everything["option_groups"]
    assert group["label"]["text"] == "100 most urgent of 130 matches: type to narrow"
    assert len(group["options"]) == 100
    # "P00012" is also how one may type P000012, so that one is among the matches
    assert [o["value"] for o in narrowed["options"]] == ["P000012"] + [
        f"P00012{d}" for d in range(10)
    ]


def test_healthz_answers_while_the_database_does(bot: Bot) -> None:
    answer = requests.get(f"{bot.url}/healthz", timeout=10)

    assert (answer.status_code, answer.text) == (200, "ok")


def test_the_options_load_applies_the_modal_filters(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    modal = open_modal(bot, slack)
    load = options_load("", modal)
    load["view"]["state"]["values"] = {
        "site": {"site": {"type": "static_select", "selected_option": {"value": "2"}}},
        "start_from": {"start_from": {"type": "datepicker", "selected_date": "2026-11-30"}},
        "start_to": {"start_to": {"type": "datepicker", "selected_date": "2026-11-30"}},
    }

    found = bot.interact(load).json()

    assert [o["value"] for o in found["options"]] == ["P000003"]
    assert found["options"][0]["description"]["text"].startswith("site 2 · wh 21 · start")


def test_more_than_100_orders_on_the_command_are_named_not_dropped(
    bot: Bot, slack: SlackStandIn
) -> None:
    with bot.sessions.begin() as session:
        plant = Plant(session)
        for _ in range(102):
            plant.order([], operations=1)

    modal = open_modal(bot, slack, " ".join(f"P{n:06d}" for n in range(1, 103)))

    orders = next(b for b in modal["blocks"] if b.get("block_id") == "orders")
    assert len(orders["element"]["initial_options"]) == 100
    assert "left out for a next one: P000101, P000102" in str(modal["blocks"][0])
