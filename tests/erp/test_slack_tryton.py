"""The Slack release flow once end to end over signed HTTP with the orders in Tryton:
`/release P…` -> modal -> review -> confirm -> the result message; Tryton has the order
released by the planner from Slack, and a second release is told who did it; "show" in
chat asks Tryton for the order as it is now."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from config import ReleasePermissions
from domain.db import make_engine, upgrade
from domain.erp.sync import sync_orders
from domain.model import ProductionOrder
from domain.runtime import Runtime
from domain.services.release import ReleaseRequest
from domain.statuses import OrderStatus
from tests.e2e.slack.conftest import CHANNEL, PLANNER, PLANNER_NAME, Bot, serve, slack
from tests.e2e.slack.payloads import message_event, view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_chat import ask
from tests.e2e.slack.test_release_flow import open_modal, review
from tests.erp.conftest import TrytonWorld
from tests.tryton import TrytonServer

pytestmark = [pytest.mark.tryton, pytest.mark.postgres]
__all__ = ["slack"]  # the Slack stand-in fixture


@pytest.fixture
def tryton_bot(tryton: TrytonServer, slack: SlackStandIn, tmp_path: Path) -> Iterator[Bot]:
    url = f"sqlite:///{tmp_path / 'releasebot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    started, served = serve(
        url,
        slack,
        erp="tryton",
        tryton_url=tryton.url,
        tryton_database=tryton.database,
        tryton_user=tryton.user,
        tryton_password=SecretStr(tryton.password),
        erp_sync_seconds=3600,
        release_permissions=ReleasePermissions(users={PLANNER: ["WH"]}),
    )
    yield started
    served.stop()
    started.services.runtime.engine.dispose()


def synced(bot: Bot) -> Runtime:
    """The bot's runtime, its read copy synced with Tryton's orders as they are now."""
    runtime = bot.services.runtime
    sync_orders(runtime.sessions, runtime.erp)
    return runtime


def test_a_release_from_slack_releases_the_order_in_tryton(
    tryton_bot: Bot, slack: SlackStandIn, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (4, 10)})
    runtime = synced(tryton_bot)

    modal = open_modal(tryton_bot, slack, number)
    confirmation = review(tryton_bot, modal, [number], ["picking_list"]).json()
    assert confirmation["response_action"] == "update", confirmation
    assert "picking work in warehouse WH: 1 line" in str(confirmation["view"]["blocks"])
    acked = tryton_bot.interact(view_submission(confirmation["view"], view_id="VMODAL1"))
    assert acked.status_code == 200

    [message] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert message.args["text"] == f"Release R000001 by <@{PLANNER}>: 1 order released"
    assert f"work {number}/WH" in str(message.args["blocks"])
    [shared] = slack.wait_for("files.completeUploadExternal", count=1)
    assert [f["title"] for f in shared.args["files"]] == ["picking-lists-R000001.pdf"]
    [pdf] = slack.uploads.values()
    with pymupdf.open(stream=pdf.content, filetype="pdf") as document:
        text = " ".join(page.get_text() for page in document)
    assert f"Picking list {number}/WH, warehouse WH" in text
    assert "Item RM-" in text and "4 u" in text and "STO" in text
    details = world.erp.details(number)
    assert details is not None and details.order.status == "released"
    [(action, by, source)] = [(h.action, h.by, h.source) for h in details.history]
    assert (action, by) == ("release", PLANNER_NAME) and "slack" in str(source).lower()

    answer = world.new_erp().release(
        number, key="other", actor="bob", source="cli", policy=runtime.settings.shortage_policy
    )
    assert not answer.released and answer.released_by == PLANNER_NAME


def test_the_review_shows_what_tryton_would_refuse_and_confirms_nothing(
    tryton_bot: Bot, slack: SlackStandIn, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (7, 4)})  # short of 3 under require_full
    synced(tryton_bot)

    modal = open_modal(tryton_bot, slack, number)
    confirmation = review(tryton_bot, modal, [number], []).json()

    blocks = str(confirmation["view"]["blocks"])
    assert f"{number} is short of material: RM-" in blocks and "3 u short" in blocks
    details = world.erp.details(number)
    assert details is not None and details.order.status == "scheduled"


def test_undo_of_a_release_resets_the_order_in_tryton(
    tryton_bot: Bot, slack: SlackStandIn, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (2, 10)})
    runtime = synced(tryton_bot)
    report = runtime.releases.release(
        ReleaseRequest([number], requested_by=PLANNER_NAME, source="slack", requester_id=PLANNER)
    )
    assert report.all_released

    undone = runtime.resets.undo_release(report.release_id, PLANNER, PLANNER_NAME, "slack")

    assert undone.undone, undone.reason
    details = world.erp.details(number)
    assert details is not None and details.order.status == "scheduled"
    assert [h.action for h in details.history] == ["release", "reset"]


def test_undo_of_three_orders_one_started_in_tryton_resets_none(
    tryton_bot: Bot, slack: SlackStandIn, tryton: TrytonServer
) -> None:
    """All or none: Tryton resets the release's orders in one transaction; one of them
    started on the shop floor and none is reset, in Tryton nor in releasebot's copy."""
    world = TrytonWorld(tryton)
    numbers = [world.order({"RM": (2, 10)}) for _ in range(3)]
    runtime = synced(tryton_bot)
    report = runtime.releases.release(
        ReleaseRequest(numbers, requested_by=PLANNER_NAME, source="slack", requester_id=PLANNER)
    )
    assert report.all_released
    world.start(numbers[2])

    refused = runtime.resets.undo_release(report.release_id, PLANNER, PLANNER_NAME, "slack")

    assert not refused.undone
    assert refused.reason is not None and refused.reason.startswith(
        f"{numbers[2]}: material was already consumed"
    )
    statuses = []
    for number in numbers:
        details = world.erp.details(number)
        assert details is not None
        statuses.append(details.order.status)
    assert statuses == ["released"] * 3
    with runtime.sessions() as session:
        copied = session.scalars(
            select(ProductionOrder.status).where(ProductionOrder.number.in_(numbers))
        ).all()
    assert copied == [OrderStatus.RELEASED] * 3


def test_show_in_chat_asks_tryton_now_and_says_in_one_line_when_it_does_not_answer(
    tryton_bot: Bot, slack: SlackStandIn, tryton: TrytonServer
) -> None:
    world = TrytonWorld(tryton)
    number = world.order({"RM": (2, 10)})
    synced(tryton_bot)
    details = world.erp.details(number)
    assert details is not None
    (template,) = world.rpc.call(
        "model.product.template.search", [("code", "=", details.order.item)], 0, 1, None
    )
    world.rpc.call("model.product.template.write", [template], {"name": "Bracket, welded"})

    shown = ask(tryton_bot, slack, message_event(f"show {number}"))
    tryton.kill()
    try:
        away = ask(tryton_bot, slack, message_event(f"show {number}"))
    finally:
        tryton.restart()

    assert shown.args["text"] == f"{number}: scheduled"
    assert f"*{number}* {details.order.item} Bracket, welded, 10 u" in str(shown.args["blocks"])
    assert away.args["text"].startswith(f"I cannot show {number} now: Tryton at {tryton.url} ")
    assert "did not answer" in away.args["text"] and "\n" not in away.args["text"]
