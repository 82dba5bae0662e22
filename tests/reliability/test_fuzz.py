"""Properly signed but arbitrary Slack requests against the real server (hypothesis): slash
texts, view submissions and their states, button actions, options loads, events, and bodies
that are no Slack payload at all. Never a 5xx; nothing changes without a valid confirmation.

Forged, stale and unsigned requests are covered in tests/e2e/slack/test_guarantees.py.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.slack.blocks import chat, confirm, release_modal
from bot.slack.blocks.digest import OPEN_RELEASE_FILTERED
from bot.slack.blocks.result import UNDO_RELEASE
from bot.slack.blocks.waiting_list import OPEN_RELEASE
from bot.slack.listeners.shortcuts import RELEASE_IN_MESSAGE, RELEASE_ORDERS
from bot.slack.steps import STEPS
from domain.model import (
    OutboxMessage,
    PrintPreference,
    ProductionOrder,
    Release,
    ReleaseResult,
    ReleaseUndo,
    WarehouseWork,
)
from tests.e2e.slack.conftest import PLANNER, Bot, signed_headers
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD = [
    "",
    " ",
    "\x00",
    "P000001\x00",
    "\u202eP000001",
    "🏭" * 40,
    "P000001 P000001",
    "\uff50\uff11",
    "-1",
]
FORM = "application/x-www-form-urlencoded"
BUTTONS = (OPEN_RELEASE, OPEN_RELEASE_FILTERED, UNDO_RELEASE)
CHAT_BUTTONS = (chat.CONFIRM, chat.EDIT, chat.CANCEL, chat.PICK_ORDER, f"{chat.PROMPT}_0")
DIGESTS = ["digest", "digest daily 07:00", "digest off", "digest off 3", "digest 0 7 * * 1-5"]

# texts: short, odd, known words, and huge (repeats keep generating them cheap)
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from([*ODD, "help", "list", "P000001", "p2", "3", "P000003 help", "R1", "R²"]),
    st.sampled_from(['{"digest": "5"}', '{"digest": null}', '{"digest": "daily 07:00"}']),
    st.sampled_from(DIGESTS) | st.builds("digest every {}h".format, st.integers()),
    st.builds(
        lambda part, times: part * times, st.text(min_size=1, max_size=4), st.integers(1, 40_000)
    ),
)


def mostly(*known: str) -> st.SearchStrategy[str]:
    """Known ids three times out of four, so that most requests reach a listener."""
    return st.integers(0, 3).flatmap(lambda i: texts if i == 0 else st.sampled_from(known))


users = mostly(PLANNER, "UEVE", "UADMIN")
channels = mostly("CFLOOR", "DANN", "G0123")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
blocks = (
    st.sampled_from(
        [*release_modal.FILTERS, release_modal.ORDERS, release_modal.PAPERS, release_modal.CHANNEL]
    )
    | texts
)
options = st.lists(st.fixed_dictionaries({"value": texts}) | json_values, max_size=4)
elements = st.fixed_dictionaries(
    {},
    optional={
        "type": texts,
        "selected_options": options | json_values,
        "selected_option": st.fixed_dictionaries({"value": texts}) | json_values,
        "selected_conversation": channels | json_values,
        "selected_date": st.dates().map(str) | texts | json_values,
    },
)
states = st.dictionaries(
    blocks, st.dictionaries(blocks, elements | json_values, max_size=2) | json_values, max_size=7
)
metadata = (
    texts
    | json_values.map(json.dumps)
    | st.fixed_dictionaries(
        {
            "orders": st.lists(texts, max_size=3) | json_values,
            "papers": json_values,
            "ch": json_values,
        }
    ).map(json.dumps)
)
envelope = {
    "team": st.just({"id": "T1"}),
    "user": st.fixed_dictionaries({"id": users}),
}


def _view() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "id": texts,
            "type": st.just("modal") | texts,
            "callback_id": mostly(release_modal.CALLBACK_ID, confirm.CALLBACK_ID),
        },
        optional={
            "private_metadata": metadata,
            "state": st.fixed_dictionaries({"values": states}),
            "blocks": json_values,
        },
    )


view_submissions = st.fixed_dictionaries(
    {"type": st.just("view_submission"), "view": _view(), **envelope},
    optional={"trigger_id": texts},
)
block_actions = st.fixed_dictionaries(
    {
        "type": st.just("block_actions"),
        "trigger_id": texts,
        "actions": st.lists(
            st.fixed_dictionaries(
                {"action_id": mostly(*BUTTONS, *CHAT_BUTTONS), "block_id": texts},
                optional={"value": texts, "type": texts},
            ),
            min_size=1,
            max_size=2,
        ),
        **envelope,
    },
    optional={
        "channel": st.fixed_dictionaries({"id": channels}) | json_values,
        "container": st.fixed_dictionaries({"message_ts": texts}) | json_values,
        "message": st.fixed_dictionaries({"ts": texts, "text": texts}) | json_values,
    },
)
suggestions = st.fixed_dictionaries(
    {
        "type": st.just("block_suggestion"),
        "action_id": mostly(release_modal.ORDERS),
        "block_id": mostly(release_modal.ORDERS),
        **envelope,
    },
    optional={"value": texts, "view": _view()},
)
shortcuts = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["shortcut", "message_action"]),
        "callback_id": mostly(RELEASE_IN_MESSAGE, RELEASE_ORDERS),
        "trigger_id": texts,
        **envelope,
    },
    optional={
        "channel": st.fixed_dictionaries({"id": channels}) | json_values,
        "message": st.fixed_dictionaries({"text": texts}) | json_values,
    },
)
commands = st.fixed_dictionaries(
    {
        "command": st.just("/release"),
        "text": texts,
        "user_id": users,
        "trigger_id": texts,
        "channel_id": channels,
    },
    optional={"team_id": texts},
)
events = st.fixed_dictionaries(
    {
        "type": st.just("event_callback"),
        "team_id": st.just("T1"),
        "event": st.fixed_dictionaries(
            {"type": mostly("app_mention", "message", "app_home_opened", "function_executed")},
            optional={
                "text": texts | json_values,
                "channel_type": st.sampled_from(["im", "channel"]) | texts,
                "tab": st.sampled_from(["home", "messages"]) | texts,
                "channel": channels,
                "user": users,
                "ts": texts | json_values,
                "thread_ts": texts | json_values,
                "subtype": texts,
                "files": json_values,
                "function": st.fixed_dictionaries({"callback_id": mostly(*STEPS)}) | json_values,
                "function_execution_id": texts,
                "bot_access_token": texts,
                "inputs": json_values,  # never a release's valid inputs: nothing may change
            },
        )
        | json_values,
    },
    optional={"event_id": texts, "api_app_id": texts},
)


def _form(fields: dict[str, Any]) -> tuple[str, str]:
    return urllib.parse.urlencode(fields), FORM


slack_requests = st.one_of(
    commands.map(_form),
    view_submissions.map(lambda p: _form({"payload": json.dumps(p)})),
    block_actions.map(lambda p: _form({"payload": json.dumps(p)})),
    suggestions.map(lambda p: _form({"payload": json.dumps(p)})),
    shortcuts.map(lambda p: _form({"payload": json.dumps(p)})),
    events.map(lambda e: (json.dumps(e), "application/json")),
)
# bodies that are no Slack request: malformed JSON, a payload that is not JSON, noise
noise = st.one_of(
    texts.map(lambda t: (t, "application/json")),
    texts.map(lambda t: _form({"payload": t})),
    texts.map(lambda t: (t, FORM)),
)
requests_ = st.integers(0, 5).flatmap(lambda i: noise if i == 0 else slack_requests)


def _payload(**fields: Any) -> tuple[str, str]:
    return _form({"payload": json.dumps({"team": {"id": "T1"}, "user": {"id": PLANNER}} | fields)})


_VIEW = {"id": "V1", "type": "modal", "callback_id": release_modal.CALLBACK_ID}
# what the fuzzing found once, each a 500 before its fix; kept so that every run sends them
FOUND = [
    ("0", "application/json"),  # a JSON body that is no object
    ("[" * 5000, "application/json"),  # nested deeper than the JSON parser goes
    _form({"command": "/release", "text": "", "user_id": PLANNER}),  # no trigger id
    _payload(type="view_submission", view={"id": "V1", "callback_id": "x"}),  # no view type
    _payload(type="block_actions", trigger_id="t", actions=[{"action_id": "a"}], channel=False),
    _payload(type="view_submission", view=_VIEW),  # a review without state
    _payload(type="view_submission", view=_VIEW | {"private_metadata": "{"}),
    _payload(type="view_submission", view=_VIEW | {"callback_id": confirm.CALLBACK_ID}),
    _payload(type="block_actions", trigger_id="t", actions=[{"action_id": OPEN_RELEASE}]),
    _payload(type="block_suggestion", action_id="orders", block_id="orders", value="\x00"),
    _payload(
        type="block_suggestion",
        action_id="orders",
        block_id="orders",
        view=_VIEW | {"state": {"values": {"start_from": {"start_from": {"selected_date": "x"}}}}},
    ),
    _payload(type="block_suggestion", action_id="orders", block_id="orders", value="P" * 60_000),
    _form({"command": "/release", "text": "digest", "user_id": PLANNER, "trigger_id": "t"}),
    _form(
        {"command": "/release", "text": "digest every 24000000000h", "user_id": PLANNER}
        | {"trigger_id": "t", "channel_id": "CFLOOR"}
    ),
    # failed after their ack (the person saw nothing)
    _payload(type="block_actions", trigger_id="t", actions=[{"action_id": OPEN_RELEASE_FILTERED}]),
    *(
        _payload(
            type="block_actions",
            trigger_id="t",
            channel={"id": "CFLOOR"},
            actions=[{"action_id": UNDO_RELEASE, "value": value}],
        )
        for value in ("R\u00b2", "R99999999999999999999", "R1")
    ),
    (
        json.dumps({"type": "event_callback", "event": {"type": "app_home_opened"}}),
        "application/json",
    ),
    _payload(type="block_actions", trigger_id="t", actions=[{"action_id": chat.CONFIRM}]),
    _payload(type="block_actions", trigger_id="t", actions=[{"action_id": chat.PICK_ORDER}]),
    _payload(
        type="block_actions", trigger_id="t", user={"id": "U\x00"}, actions=[{"action_id": "a"}]
    ),
    (
        json.dumps({"type": "event_callback", "event": {"type": "message", "channel_type": "im"}}),
        "application/json",
    ),
    (
        json.dumps({"type": "event_callback", "event": {"type": "app_mention", "files": ["x"]}}),
        "application/json",
    ),
]


def _found_before(test: Any) -> Any:
    for request in FOUND:
        test = example(request)(test)
    return test


def _snapshot(bot: Bot) -> tuple:
    """Everything a request could change: the releases and their traces, the orders' states."""
    with bot.sessions() as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (
                Release,
                ReleaseResult,
                ReleaseUndo,
                WarehouseWork,
                OutboxMessage,
                PrintPreference,
            )
        )
        states = session.execute(
            select(ProductionOrder.number, ProductionOrder.status).order_by(ProductionOrder.id)
        ).all()
    return counts, tuple(states)


def _confirms_orders(body: str) -> bool:
    """A confirmation (the modal's, or a chat answer's button) whose metadata names orders:
    the one request that may release."""
    try:
        payload = json.loads(urllib.parse.parse_qs(body)["payload"][0])
        if payload["type"] == "view_submission":
            confirmed = payload["view"]["callback_id"] == confirm.CALLBACK_ID
            metadata = payload["view"]["private_metadata"]
        else:
            [action] = payload["actions"]
            confirmed, metadata = action["action_id"] == chat.CONFIRM, action["value"]
        return confirmed and bool(confirm.ConfirmedChoice.from_metadata(metadata).orders)
    except Exception:  # any shape that is no confirmation
        return False


def test_arbitrary_signed_requests_never_get_a_5xx_nor_change_anything(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    plant(bot)
    before = _snapshot(bot)
    statuses: list[int] = []

    @FUZZ
    @given(requests_)
    @_found_before
    def send(request: tuple[str, str]) -> None:
        body, content_type = request
        answer = bot.post(body, signed_headers(body) | {"Content-Type": content_type})
        statuses.append(answer.status_code)
        assert answer.status_code < 500, (answer.status_code, answer.text[:300])
        if not _confirms_orders(body):
            assert _snapshot(bot) == before

    send()
    time.sleep(0.5)  # listeners go on after their ack: let the last ones finish
    failed = [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.ERROR]
    assert failed == [], "listeners failed after their ack (the person saw nothing)"
    taken = statuses.count(200) / len(statuses)  # about a third on a typical run
    assert taken > 0.15, f"{Counter(statuses)}: the fuzzing tests the door more than the listeners"
