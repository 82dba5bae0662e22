"""Workflow Builder custom steps over signed HTTP: `function_executed` -> the release in the
worker -> one `functions.completeSuccess` (or `completeError`) with the execution's token;
and the manifest's `functions` against what the code reads and writes (bot/slack/steps.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

from bot.slack.steps import ORDERS_AWAITING, RELEASE_ORDERS, STEPS, slack_type
from domain.statuses import OrderStatus
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER, Bot
from tests.e2e.slack.payloads import function_executed
from tests.e2e.slack.standin import Call, SlackStandIn
from tests.e2e.slack.test_guarantees import releases
from tests.e2e.slack.test_release_flow import plant, status_of

MANIFEST = Path(__file__).parents[3] / "manifest.yml"


def _run(bot: Bot, callback_id: str, inputs: dict[str, Any], execution: str = "Fx1") -> None:
    event = function_executed(callback_id, inputs, execution)
    assert bot.event(event, event_id=f"Ev{execution}{time.monotonic_ns()}").status_code == 200


def _release(orders: str, user: str = PLANNER, papers: str = "") -> dict[str, Any]:
    return {
        "orders": orders,
        "papers": papers,
        "channel": CHANNEL,
        "user": {"id": user, "secret": "c2VjcmV0"},
    }


def _completed(slack: SlackStandIn, method: str, execution: str = "Fx1") -> Call:
    [call] = slack.wait_for(f"functions.{method}", function_execution_id=execution)
    assert call.token == f"xwfp-{execution}"  # the execution's own token, not the bot's
    return call


def test_release_orders_releases_as_the_person_and_completes_with_the_outputs(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)

    _run(bot, RELEASE_ORDERS, _release("P000001 and 3", papers="picking list"))

    done = _completed(slack, "completeSuccess")
    assert done.args["outputs"] == {
        "release_number": "R000001",
        "released_orders": ["P000001"],
        "refused_orders": [
            "P000003: P000003 belongs to site 2 and you may release for site 1 only; "
            "ask an administrator to add you in releasebot's configuration"
        ],
    }
    assert status_of(bot, "P000001") is OrderStatus.RELEASED
    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert posted.args["text"].startswith(f"Release R000001 by <@{PLANNER}>")
    [upload] = slack.wait_for("files.completeUploadExternal")
    assert upload.args["files"][0]["title"] == "picking-lists-R000001.pdf"
    assert not slack.ok_calls("functions.completeError")


def test_the_same_execution_delivered_twice_releases_once(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    _run(bot, RELEASE_ORDERS, _release("P000001"))
    _completed(slack, "completeSuccess")
    _run(bot, RELEASE_ORDERS, _release("P000001"))  # Slack delivers it again
    time.sleep(1)

    assert releases(bot) == 1
    assert len(slack.ok_calls("functions.completeSuccess")) == 1
    assert not slack.ok_calls("functions.completeError")


def test_a_look_only_person_and_refused_orders_complete_with_an_error(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)

    _run(bot, RELEASE_ORDERS, _release("P000001", user=OUTSIDER), "FxEve")
    _run(bot, RELEASE_ORDERS, _release("P000003"), "FxAnn")

    looker = _completed(slack, "completeError", "FxEve")
    assert looker.args["error"].startswith("You may look at orders but not release them")
    refused = _completed(slack, "completeError", "FxAnn")
    assert refused.args["error"].startswith("Nothing was released. P000003: P000003 belongs")
    assert releases(bot) == 1  # Ann's, refused; Eve's never started
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
    assert not slack.ok_calls("functions.completeSuccess")


def test_inputs_it_cannot_read_complete_with_what_is_wrong(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    _run(bot, RELEASE_ORDERS, _release("everything please"), "FxText")
    _run(bot, RELEASE_ORDERS, {"orders": "P000001", "channel": CHANNEL}, "FxNoUser")
    _run(bot, ORDERS_AWAITING, {"horizon": "soon"}, "FxHorizon")

    assert (
        "I could not read `everything please`"
        in _completed(slack, "completeError", "FxText").args["error"]
    )
    assert "user" in _completed(slack, "completeError", "FxNoUser").args["error"]
    assert (
        "`soon` is not a horizon" in _completed(slack, "completeError", "FxHorizon").args["error"]
    )
    assert releases(bot) == 0


def test_orders_awaiting_release_counts_lists_and_sums_up(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    _run(bot, ORDERS_AWAITING, {"site": "1", "horizon": "30d"})

    outputs = _completed(slack, "completeSuccess").args["outputs"]
    assert outputs["count"] == 2 and outputs["order_numbers"] == ["P000001", "P000002"]
    assert outputs["summary"] == "2 orders waiting for release at site 1"


def test_every_step_in_the_manifest_reads_and_writes_what_the_code_does() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    functions = manifest["functions"]

    assert set(functions) == set(STEPS)
    for callback_id, models in STEPS.items():
        for side, model in zip(("input_parameters", "output_parameters"), models, strict=True):
            declared = functions[callback_id][side]
            declared_types = {name: p["type"] for name, p in declared["properties"].items()}
            read = {name: slack_type(info) for name, info in model.model_fields.items()}
            assert declared_types == read, (callback_id, side)
            required = {name for name, info in model.model_fields.items() if info.is_required()}
            assert set(declared.get("required") or []) == required, (callback_id, side)
    assert manifest["_metadata"]["major_version"] == 2  # Slack's schema for this form
    settings = manifest["settings"]
    assert "function_executed" in settings["event_subscriptions"]["bot_events"]
    assert settings["org_deploy_enabled"] is True
    assert settings["function_runtime"] == "remote"
