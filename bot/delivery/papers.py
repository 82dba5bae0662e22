"""Uploading a release's papers (PDF) into the thread of its result message."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.delivery.dispatcher import Sent
from bot.delivery.posted import posted_file
from domain.outbox import Claimed, Outgoing
from domain.statuses import PaperKind

# (release id, paper kind) -> (file name, PDF bytes); rendered after the release committed
PaperRenderer = Callable[[int, PaperKind], tuple[str, bytes]]


class PaperSender:
    def __init__(self, client: WebClient, render: PaperRenderer) -> None:
        self._client = client
        self._render = render

    def send(self, message: Claimed) -> Sent:
        payload = message.payload
        kind = PaperKind(payload["kind"])
        filename, content = self._render(payload["release_id"], kind)
        if message.attempts > 1:  # an earlier attempt may have got through before its process died
            earlier = posted_file(self._client, payload["channel"], payload["ts"], filename)
            if earlier:
                return Sent({"files": earlier})
        response = self._client.files_upload_v2(
            channel=payload["channel"],
            thread_ts=payload["ts"],
            content=content,
            filename=filename,
            title=filename,
        )
        return Sent({"files": [file["id"] for file in response.get("files") or []]})

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []
