"""Sending plain notices (a direct message to a person)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.delivery.dispatcher import Sent
from domain.outbox import Claimed, Outgoing


class NoticeSender:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def send(self, message: Claimed) -> Sent:
        response = self._client.chat_postMessage(
            channel=message.payload["channel"], text=message.payload["text"]
        )
        return Sent({"channel": response["channel"], "ts": response["ts"]})

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []
