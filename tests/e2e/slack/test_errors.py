"""Bolt's global error handler over signed HTTP: a listener that fails tells the person
privately, with a reference that stands in the one log line of the error; never a 5xx."""

from __future__ import annotations

import logging
import re

import pytest

from bot.slack.steps import RELEASE_ORDERS
from tests.e2e.slack.conftest import CHANNEL, PLANNER, Bot
from tests.e2e.slack.payloads import button, function_executed
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant, status_of

REFERENCE = re.compile(r"E-[0-9a-f]{8}")


def _told(text: str) -> str:
    """The reference the person was given, after checking what they were told."""
    assert text.startswith("Something went wrong, nothing was changed."), text
    [reference] = REFERENCE.findall(text)
    return reference


def _logged(caplog: pytest.LogCaptureFixture, reference: str) -> logging.LogRecord:
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    return record


def test_a_listener_failing_after_its_ack_tells_the_person_where_they_are(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    plant(bot)
    slack.fail("views.open", 200, 1, error="expired_trigger_id")

    answer = bot.command("P000001")

    assert answer.status_code == 200
    [told] = slack.wait_for("chat.postEphemeral")
    assert (told.args["channel"], told.args["user"]) == (CHANNEL, PLANNER)
    record = _logged(caplog, _told(told.args["text"]))
    assert "in /release from UANN: SlackApiError" in record.getMessage()
    assert "expired_trigger_id" in record.getMessage()
    assert status_of(bot, "P000001").value == "scheduled"


def test_where_there_is_no_conversation_the_person_is_told_in_the_dm(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    plant(bot)
    slack.fail("views.open", 200, 1, error="expired_trigger_id")
    home_button = button("open_release", "P000001")
    del home_button["channel"]  # the App Home's buttons come from no conversation
    home_button["container"] = {"type": "view", "view_id": "VHOME"}

    assert bot.interact(home_button).status_code == 200

    [told] = slack.wait_for("chat.postMessage", channel=PLANNER)
    _logged(caplog, _told(told.args["text"]))
    assert not slack.ok_calls("chat.postEphemeral")


def test_a_refused_ephemeral_falls_back_to_the_dm(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail("views.open", 200, 1, error="expired_trigger_id")
    slack.fail("chat.postEphemeral", 200, 1, error="channel_not_found")

    bot.command("")

    [told] = slack.wait_for("chat.postMessage", channel=PLANNER)
    _logged(caplog, _told(told.args["text"]))


def test_a_listener_failing_before_its_ack_answers_instead_of_a_500(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    def broken(*_: object) -> str:
        raise RuntimeError("the digest table is locked")

    monkeypatch.setattr(bot.services.digests, "handle", broken)  # a fault, injected

    answer = bot.command("digest daily 07:00")

    assert answer.status_code == 200
    assert answer.json()["response_type"] == "ephemeral"
    record = _logged(caplog, _told(answer.json()["text"]))
    assert "RuntimeError: the digest table is locked" in record.getMessage()
    assert not slack.ok_calls("chat.postEphemeral")  # the answer itself was the message


def test_a_workflow_step_whose_listener_fails_is_failed_with_the_reference(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("the release worker is shut down")

    monkeypatch.setattr(bot.services.worker, "submit", broken)  # a fault, injected
    inputs = {"orders": "P000001", "channel": CHANNEL, "user": {"id": PLANNER}}

    assert bot.event(function_executed(RELEASE_ORDERS, inputs, "FxBroken")).status_code == 200

    [failed] = slack.wait_for("functions.completeError", function_execution_id="FxBroken")
    assert failed.token == "xwfp-FxBroken"
    _logged(caplog, _told(failed.args["error"]))
