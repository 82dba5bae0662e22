"""Sending messages whose content is queued with them: notices to a person, digests."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.delivery import kinds
from bot.delivery.dispatcher import Sent
from bot.delivery.posted import post_once
from domain.outbox import Claimed, Outgoing


class NoticeSender:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def send(self, message: Claimed) -> Sent:
        payload = message.payload
        channel, ts = post_once(self._client, message, payload["text"], payload.get("blocks"))
        return Sent({"channel": channel, "ts": ts})

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        """Tell the person the message names (a digest's subscriber) that it went nowhere."""
        failure = message.payload.get("on_failure")
        if not failure:
            return []
        text = (
            f"I could not post in <#{message.payload['channel']}> (Slack said `{error}`). "
            + failure["text"]
        )
        return [kinds.notice(message.dedupe_key, failure["user"], text)]
