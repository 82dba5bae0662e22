"""The release modal's listeners called directly: its orders' options load, its review
(the confirmation, or the field that is wrong) and its confirmation (the release)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack
from sqlalchemy import select

from bot.bootstrap import BotDependencies
from bot.slack.blocks.confirm import ConfirmedChoice
from bot.slack.blocks.release_modal import ModalChoices, release_modal
from bot.slack.directory import NO_SITES
from bot.slack.listeners.options.orders import load_orders
from bot.slack.listeners.views.release import NO_CHANNEL, NO_ORDERS, confirm_release, review
from domain.model import ProductionOrder, Release
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER
from tests.e2e.slack.payloads import options_load, state_values, view_submission
from tests.unit.listeners.conftest import answer, releasable, released

MODAL = release_modal(ModalChoices(sites=["1", "2"], warehouses=["11"])).to_dict()


def submitted(
    orders: list[str],
    papers: Sequence[str] = (),
    channel: str | None = CHANNEL,
    user: str = PLANNER,
) -> dict[str, Any]:
    return view_submission(MODAL, state_values(MODAL, orders, papers, channel), user=user)


def reviewed(body: dict[str, Any], services: BotDependencies) -> dict[str, Any]:
    ack = Ack()
    review(ack, body, body["view"], services)
    return answer(ack)


def test_the_options_are_the_scheduled_orders_matching_the_text(
    services: BotDependencies, plant: Plant
) -> None:
    plant.order(item="FG-1")
    plant.order(item="FG-2")
    plant.order(item="FG-2", status=OrderStatus.RELEASED)
    plant.session.commit()
    body = options_load("FG-2", MODAL)
    ack = Ack()
    load_orders(ack, body, body, services)
    assert [option["value"] for option in answer(ack)["options"]] == ["P000002"]


def test_the_options_follow_the_modals_filters(services: BotDependencies, plant: Plant) -> None:
    plant.order()
    plant.warehouse("21", site="2")
    plant.order(warehouse="21")
    plant.session.commit()
    body = options_load("", MODAL)
    body["view"]["state"]["values"] = {
        "site": {"site": {"type": "static_select", "selected_option": {"value": "2"}}}
    }
    ack = Ack()
    load_orders(ack, body, body, services)
    assert [option["value"] for option in answer(ack)["options"]] == ["P000002"]


def test_review_shows_what_the_release_will_do(services: BotDependencies, plant: Plant) -> None:
    releasable(plant)
    said = reviewed(submitted(["P000001"], ["picking_list"]), services)
    assert said["response_action"] == "update"
    choice = ConfirmedChoice.from_metadata(said["view"]["private_metadata"])
    assert choice == ConfirmedChoice(["P000001"], [PaperKind.PICKING_LIST], CHANNEL)
    assert "Release 1 order" in json.dumps(said["view"]["blocks"])


def test_review_without_orders_or_channel_points_at_the_field(services: BotDependencies) -> None:
    assert reviewed(submitted([]), services) == {
        "response_action": "errors",
        "errors": {"orders": NO_ORDERS},
    }
    assert reviewed(submitted(["P000001"], channel=None), services) == {
        "response_action": "errors",
        "errors": {"channel": NO_CHANNEL},
    }


def test_review_by_someone_who_may_not_release(services: BotDependencies, plant: Plant) -> None:
    releasable(plant)
    said = reviewed(submitted(["P000001"], user=OUTSIDER), services)
    assert said == {"response_action": "errors", "errors": {"orders": NO_SITES}}


def test_review_of_papers_an_order_cannot_have_is_a_field_error(
    services: BotDependencies, plant: Plant
) -> None:
    releasable(plant, level=SchedulingLevel.OPERATION)
    said = reviewed(submitted(["P000001"], ["job_card"]), services)
    assert said["response_action"] == "errors"
    assert "P000001" in said["errors"]["papers"]


def test_a_crafted_review_reads_as_nothing_chosen(services: BotDependencies) -> None:
    body = submitted(["P000001"])
    body["view"]["state"] = {"values": {"orders": "not a block", "channel": 7}}
    assert reviewed(body, services)["errors"] == {"orders": NO_ORDERS}


def test_confirm_releases_through_the_worker_once(services: BotDependencies, plant: Plant) -> None:
    releasable(plant)
    choice = ConfirmedChoice(["P000001"], [PaperKind.PICKING_LIST], CHANNEL)
    confirmation = {"callback_id": "release_confirm", "blocks": []}
    body = view_submission(confirmation, view_id="VCONFIRM")
    body["view"]["private_metadata"] = choice.to_metadata()
    for _ in range(2):  # Slack retried the submission
        ack = Ack()
        confirm_release(ack, body, body["view"], services)
        assert answer(ack)["response_action"] == "update"
    [release] = released(services)
    services.worker.shutdown()  # the retry's turn: refused as already requested
    with services.runtime.sessions() as session:
        assert session.scalars(select(Release.id)).all() == [release.id]
        order = session.scalars(select(ProductionOrder)).one()
    assert release.idempotency_key == "slack:view:VCONFIRM"
    assert release.requester_id == PLANNER
    assert order.status is OrderStatus.RELEASED


def test_a_confirmation_without_our_metadata_closes_and_releases_nothing(
    services: BotDependencies,
) -> None:
    for metadata in ("", "{not json", '{"orders": [], "papers": [], "ch": "CFLOOR"}'):
        body = view_submission({"callback_id": "release_confirm", "blocks": []})
        body["view"]["private_metadata"] = metadata
        ack = Ack()
        confirm_release(ack, body, body["view"], services)
        assert answer(ack) == {"response_action": "clear"}
    services.worker.shutdown()
    with services.runtime.sessions() as session:
        assert session.scalars(select(Release)).all() == []
