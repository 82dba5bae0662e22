"""The `/release` flow over real HTTP: command, modal, review, confirm, message, papers."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from domain.model import ProductionOrder, Release, WarehouseWork
from domain.statuses import OrderStatus, SchedulingLevel
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, PLANNER, PLANNER_NAME, Bot, Endpoint
from tests.e2e.slack.payloads import options_load, state_values, view_submission
from tests.e2e.slack.standin import SlackStandIn


def plant(bot: Bot) -> None:
    with bot.sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("21", site="2")
        plant.stock("RM-1", "11", "A-01", 100)
        plant.stock("RM-2", "11", "A-02", 100)
        plant.stock("RM-1", "21", "B-01", 100)
        plant.order([("RM-1", 4), ("RM-2", 2)], number="P000001", item="FG-BIKE")
        plant.order([("RM-1", 3)], number="P000002", level=SchedulingLevel.OPERATION)
        plant.order([("RM-1", 1)], number="P000003", warehouse="21")


def status_of(bot: Bot, number: str) -> OrderStatus:
    with bot.sessions() as session:
        return session.scalars(
            select(ProductionOrder.status).where(ProductionOrder.number == number)
        ).one()


def open_modal(bot: Endpoint, slack: SlackStandIn, text: str = "") -> dict:
    opened = len(slack.ok_calls("views.open"))
    response = bot.command(text)
    assert response.status_code == 200
    call = slack.wait_for("views.open", count=opened + 1)[-1]
    assert call.args["trigger_id"] == "1337.42.abcd"
    return call.args["view"]


def review(bot: Endpoint, modal: dict, orders: list[str], papers: list[str], user: str = PLANNER):
    values = state_values(modal, orders, papers, CHANNEL)
    return bot.interact(view_submission(modal, values, user=user))


def test_release_from_command_to_message_and_papers(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    started = time.perf_counter()
    modal = open_modal(bot, slack, "P000001")
    opened = time.perf_counter() - started

    assert opened < 3, "views.open must come within Slack's 3 seconds"
    [chosen] = next(b for b in modal["blocks"] if b["block_id"] == "orders")["element"][
        "initial_options"
    ]
    assert chosen["value"] == "P000001"
    assert chosen["text"]["text"].startswith("P000001 · FG-BIKE")

    found = bot.interact(options_load("P00000", modal)).json()
    assert [o["value"] for o in found["options"]] == ["P000001", "P000002", "P000003"]

    confirmation = review(bot, modal, ["P000001"], ["picking_list", "job_card"]).json()
    assert confirmation["response_action"] == "update"
    text = str(confirmation["view"]["blocks"])
    assert "Release 1 order and post the result in <#CFLOOR>, with Job card, Picking list." in text
    assert "picking work in warehouse 11: 2 lines" in text
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED  # nothing happens before confirm

    started = time.perf_counter()
    acked = bot.interact(view_submission(confirmation["view"], view_id="VMODAL1"))
    ack_seconds = time.perf_counter() - started
    assert acked.status_code == 200 and ack_seconds < 3
    assert acked.json()["response_action"] == "update"

    [message] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert message.args["text"] == f"Release R000001 by <@{PLANNER}>: 1 order released"
    blocks = str(message.args["blocks"])
    assert "*P000001* FG-BIKE Item FG-BIKE, 10 pcs — work W000001" in blocks
    assert "Job card, Picking list: the PDFs follow in this thread." in blocks
    assert status_of(bot, "P000001") is OrderStatus.RELEASED
    with bot.sessions() as session:
        assert session.scalar(select(Release.requested_by)) == PLANNER_NAME
        assert session.scalar(select(func.count(WarehouseWork.id))) == 1

    shared = slack.wait_for("files.completeUploadExternal", count=2)
    assert {call.args["thread_ts"] for call in shared} == {message.response["ts"]}
    assert {call.args["channel_id"] for call in shared} == {CHANNEL}
    titles = sorted(f["title"] for call in shared for f in call.args["files"])
    assert titles == ["job-cards-R000001.pdf", "picking-lists-R000001.pdf"]
    assert all(upload.content.startswith(b"%PDF") for upload in slack.uploads.values())
    assert len(slack.uploads) == 2

    again = open_modal(bot, slack)
    papers = next(b for b in again["blocks"] if b["block_id"] == "papers")["element"]
    assert [o["value"] for o in papers["initial_options"]] == ["job_card", "picking_list"]
