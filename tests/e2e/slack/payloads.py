"""Slack's payloads as Slack sends them, filled in from the views the bot really opened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.e2e.slack.conftest import PLANNER


def _option(value: str) -> dict[str, Any]:
    return {"value": value, "text": {"type": "plain_text", "text": value}}


def state_values(
    view: dict[str, Any],
    orders: Sequence[str],
    papers: Sequence[str] = (),
    channel: str | None = None,
) -> dict[str, Any]:
    """What a person's choices in this modal look like in `view.state.values`."""
    blocks = {block.get("block_id") for block in view["blocks"]}
    assert {"orders", "papers", "channel"} <= blocks, blocks
    return {
        "orders": {
            "orders": {
                "type": "multi_external_select",
                "selected_options": [_option(o) for o in orders],
            }
        },
        "papers": {
            "papers": {"type": "checkboxes", "selected_options": [_option(p) for p in papers]}
        },
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}},
    }


def _envelope(kind: str, user: str) -> dict[str, Any]:
    """What every interactivity payload carries: its type, who, which workspace and app."""
    return {
        "type": kind,
        "team": {"id": "T1", "domain": "plant"},
        "user": {"id": user, "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
    }


def view_submission(
    view: dict[str, Any],
    values: dict[str, Any] | None = None,
    user: str = PLANNER,
    view_id: str = "VMODAL1",
) -> dict[str, Any]:
    return {
        **_envelope("view_submission", user),
        "trigger_id": "1337.43.efgh",
        "view": {
            "id": view_id,
            "team_id": "T1",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "blocks": view["blocks"],
            "state": {"values": values or {}},
            "hash": "1700000000.abcd",
        },
    }


def options_load(text: str, view: dict[str, Any], user: str = PLANNER) -> dict[str, Any]:
    return {
        **_envelope("block_suggestion", user),
        "action_id": "orders",
        "block_id": "orders",
        "value": text,
        "container": {"type": "view", "view_id": "VMODAL1"},
        "view": {**view, "id": "VMODAL1", "state": {"values": {}}},
    }


def button(
    action_id: str,
    value: str,
    user: str = PLANNER,
    channel: str = "CFLOOR",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A click on a message's button; `message` is the message as posted (text, ts, blocks)."""
    ts = (message or {}).get("ts", "1700000000.000001")
    return {
        **_envelope("block_actions", user),
        "trigger_id": "1337.44.ijkl",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "channel": {"id": channel},
        **({"message": message} if message else {}),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1700000000.1",
            }
        ],
    }


def message_event(
    text: str,
    user: str = PLANNER,
    channel: str = "DPLANNER",
    files: Sequence[dict[str, Any]] = (),
    ts: str = "1700000100.000100",
) -> dict[str, Any]:
    """A direct message to the bot; with files, as Slack sends a shared clip (file_share)."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }
    if files:
        event |= {"subtype": "file_share", "files": list(files)}
    return event


def mention_event(text: str, user: str = PLANNER, channel: str = "CFLOOR") -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": "1700000200.000200",
        "event_ts": "1700000200.000200",
    }


def message_shortcut(
    text: str, callback_id: str, user: str = PLANNER, channel: str = "CFLOOR"
) -> dict[str, Any]:
    """A message shortcut (type `message_action`) chosen on a message somebody wrote."""
    return {
        **_envelope("message_action", user),
        "callback_id": callback_id,
        "trigger_id": "1337.45.mnop",
        "action_ts": "1700000300.000300",
        "message_ts": "1700000250.000250",
        "channel": {"id": channel, "name": "floor"},
        "message": {"type": "message", "user": "UOTHER", "text": text, "ts": "1700000250.000250"},
        "response_url": "https://hooks.invalid/actions/1",
    }


def global_shortcut(callback_id: str, user: str = PLANNER) -> dict[str, Any]:
    """A global shortcut (type `shortcut`): no conversation comes with it."""
    return {
        **_envelope("shortcut", user),
        "callback_id": callback_id,
        "trigger_id": "1337.46.qrst",
        "action_ts": "1700000400.000400",
    }


def function_executed(
    callback_id: str, inputs: dict[str, Any], execution_id: str = "Fx1"
) -> dict[str, Any]:
    """A Workflow Builder step run (`function_executed`), with the execution's own token."""
    return {
        "type": "function_executed",
        "function": {"id": "Fn1", "callback_id": callback_id, "type": "app", "app_id": "A1"},
        "inputs": inputs,
        "function_execution_id": execution_id,
        "workflow_execution_id": "Wx1",
        "event_ts": "1700000500.000500",
        "bot_access_token": f"xwfp-{execution_id}",
    }
