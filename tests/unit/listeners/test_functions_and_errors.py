"""The Workflow Builder steps and the global error handler called directly."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from slack_bolt import Ack, BoltContext, BoltResponse, Complete, Fail

from bot.bootstrap import BotDependencies
from bot.slack.directory import NO_SITES
from bot.slack.listeners import errors, functions
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER
from tests.e2e.slack.payloads import button
from tests.unit.listeners.conftest import released
from tests.unit.listeners.slack import RecordingSlack

EXECUTION = "Fx1"


def step(slack: RecordingSlack) -> dict[str, Any]:
    """What Bolt hands a step's listener besides its inputs."""
    return {
        "context": BoltContext(
            function_execution_id=EXECUTION, function_bot_access_token=f"xwfp-{EXECUTION}"
        ),
        "fail": Fail(slack, EXECUTION),
        "complete": Complete(slack, EXECUTION),
    }


def release_inputs(orders: str, papers: str = "", user: str = PLANNER) -> dict[str, Any]:
    return {"orders": orders, "papers": papers, "channel": CHANNEL, "user": {"id": user}}


def failed(slack: RecordingSlack) -> list[str]:
    return [call["error"] for call in slack.made("functions.completeError")]


def test_release_orders_hands_the_release_to_the_worker(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    given = step(slack)
    functions.release_orders(
        release_inputs("P000001", "picking list"), given["context"], given["fail"], services
    )
    [release] = released(services)
    assert release.idempotency_key == f"slack:step:{EXECUTION}"
    assert release.requester_id == PLANNER
    assert release.options["papers"] == ["picking_list"]
    assert failed(slack) == []


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        (release_inputs("everything please"), "I could not read `everything please`"),
        ({"orders": "P000001", "channel": CHANNEL}, "The step's input user is not usable"),
        (release_inputs("P000001", user=OUTSIDER), NO_SITES),
        (None, "The step's input orders is not usable"),
    ],
)
def test_release_orders_fails_the_step_on_what_it_cannot_do(
    services: BotDependencies, slack: RecordingSlack, inputs: Any, error: str
) -> None:
    given = step(slack)
    functions.release_orders(inputs, given["context"], given["fail"], services)
    [said] = failed(slack)
    assert said.startswith(error)


def test_orders_awaiting_completes_with_the_count_and_the_orders(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.order()
    plant.warehouse("21", site="2")
    plant.order(warehouse="21")
    plant.session.commit()
    given = step(slack)
    functions.orders_awaiting(
        {"site": " 1 ", "horizon": "30d"}, given["complete"], given["fail"], services
    )
    [done] = slack.made("functions.completeSuccess")
    assert json.loads(done["outputs"]) == {
        "count": 2,
        "order_numbers": ["P000001", "P000002"],
        "summary": "2 orders waiting for release at site 1",
    }


def test_orders_awaiting_with_a_bad_horizon_fails_the_step(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    given = step(slack)
    functions.orders_awaiting({"horizon": "soon"}, given["complete"], given["fail"], services)
    functions.orders_awaiting({"site": 7}, given["complete"], given["fail"], services)
    horizon, site = failed(slack)
    assert "`soon` is not a horizon" in horizon
    assert site.startswith("The step's input site is not usable")
    assert slack.made("functions.completeSuccess") == []


def context_of(slack: RecordingSlack, **values: Any) -> BoltContext:
    return BoltContext(client=slack, ack=Ack(), **values)


def test_an_error_in_a_slash_command_is_its_ephemeral_answer(
    slack: RecordingSlack, caplog: pytest.LogCaptureFixture
) -> None:
    context = context_of(slack, user_id=PLANNER, channel_id=CHANNEL)
    with caplog.at_level(logging.ERROR, "bot.errors"):
        response = errors.unexpected(
            RuntimeError("boom"), {"command": "/release"}, context, BoltResponse(status=404)
        )
    assert response is not None and response.status == 200
    [logged] = caplog.records
    reference = logged.getMessage().split()[2]
    assert reference.startswith("E-") and "/release" in logged.getMessage()
    assert errors.SOMETHING_WENT_WRONG.format(reference=reference) in response.body
    assert slack.calls == []


def test_an_error_after_a_button_is_told_to_the_person_alone(slack: RecordingSlack) -> None:
    context = context_of(slack, user_id=PLANNER, channel_id=CHANNEL)
    context.ack()  # the listener acked before it failed
    body = button("undo_release", "R1")
    assert errors.unexpected(RuntimeError("boom"), body, context, BoltResponse(status=200)) is None
    [told] = slack.made("chat.postEphemeral")
    assert told["user"] == PLANNER and told["channel"] == CHANNEL
    assert told["text"].startswith("Something went wrong, nothing was changed.")


def test_an_error_before_an_options_load_answered_gives_no_options(
    slack: RecordingSlack,
) -> None:
    context = context_of(slack, user_id=PLANNER)
    body = {"type": "block_suggestion", "action_id": "orders"}
    response = errors.unexpected(RuntimeError("boom"), body, context, BoltResponse(status=404))
    assert response is not None and response.body == '{"options": []}'
    [told] = slack.made("chat.postMessage")
    assert told["channel"] == PLANNER  # no conversation: their DM with the bot


def test_an_error_in_a_workflow_step_fails_the_step(slack: RecordingSlack) -> None:
    context = context_of(slack, function_execution_id=EXECUTION)
    context["fail"] = Fail(slack, EXECUTION)
    body = {"type": "event_callback", "event": {"type": "function_executed"}}
    errors.unexpected(RuntimeError("boom"), body, context, None)
    [failed_step] = slack.made("functions.completeError")
    assert failed_step["error"].startswith("Something went wrong")
    assert slack.made("chat.postEphemeral") == slack.made("chat.postMessage") == []
