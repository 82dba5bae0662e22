"""The *Release…* buttons of `/release list`, digests and the App Home: the modal with that
order chosen; a digest's *Release from all…*: the modal with the digest's filter set."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.slack.blocks.digest import OPEN_RELEASE_FILTERED, filter_of
from bot.slack.blocks.waiting_list import OPEN_RELEASE
from bot.slack.envelope import channel_of
from bot.slack.listeners.modal import open_release_modal


def open_from_list(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    ack()
    value = action.get("value")
    open_release_modal(
        client,
        services,
        body["trigger_id"],
        body["user"]["id"],
        channel_of(body),
        [value] if value else [],
    )


def open_filtered(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    ack()
    site, start_to = filter_of(action.get("value") or "")
    open_release_modal(
        client,
        services,
        body["trigger_id"],
        body["user"]["id"],
        channel_of(body),
        site=site,
        start_to=start_to,
    )


def register(app: App) -> None:
    app.action(OPEN_RELEASE)(open_from_list)
    app.action(OPEN_RELEASE_FILTERED)(open_filtered)
