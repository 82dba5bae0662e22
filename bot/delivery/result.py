"""Posting a release's result message once the release is over, then queueing its papers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from bot.delivery import kinds
from bot.delivery.dispatcher import NotReady, Sent
from bot.delivery.posted import post_once
from bot.slack.blocks.result import summary_message
from domain.outbox import Claimed, Outgoing
from domain.release_messages import summary_key
from domain.services.results import ReleaseResults
from domain.statuses import OutboxStatus

LOOK_AGAIN = timedelta(milliseconds=500)
# an undo's update waits this long at a time for the result message it updates
WAIT_FOR_RESULT = timedelta(seconds=1)


class SummarySender:
    def __init__(
        self,
        results: ReleaseResults,
        client: WebClient,
        interrupted_after: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._results = results
        self._client = client
        self._interrupted_after = interrupted_after
        self._clock = clock

    def send(self, message: Claimed) -> Sent | NotReady:
        payload = message.payload
        record = self._results.record(payload["release_id"])
        if record is None:
            raise LookupError(f"release {payload['release_id']} is not in the database")
        unfinished = []
        if not record.has_result_for(payload["orders"]):
            if self._clock() - message.created_at < self._interrupted_after:
                return NotReady(LOOK_AGAIN)
            done = {o.number for o in record.released} | {o.number for o in record.refused}
            unfinished = [number for number in payload["orders"] if number not in done]
        text = summary_message(record, f"<@{payload['user']}>", unfinished)
        channel, ts = post_once(self._client, message, text.text, text.blocks)
        papers = record.papers if record.released else []
        return Sent(
            {"channel": channel, "ts": ts},
            [kinds.paper(payload["release_id"], kind, channel, ts) for kind in papers],
        )

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        payload = message.payload
        text = (
            f"I could not post the result of your release in <#{payload['channel']}> "
            f"(Slack said `{error}`). If it is a private channel, invite me there. The "
            "release itself is done: `releasebot show ORDER` shows each order."
        )
        return [kinds.notice(message.dedupe_key, payload["user"], text)]


class UndoneSender:
    """Updates a release's result message once the release was undone: no more button.

    The result message may still be on its way (Slack was down): the update waits for it.
    """

    def __init__(self, results: ReleaseResults, client: WebClient) -> None:
        self._results = results
        self._client = client

    def send(self, message: Claimed) -> Sent | NotReady:
        release_id = message.payload["release_id"]
        result = self._results.with_message(release_id, summary_key(release_id))
        record, summary = result.record, result.message
        if summary is None or summary.status is OutboxStatus.FAILED or record is None:
            return Sent({"skipped": "the release has no result message to update"})
        posted = summary.posted
        if posted is None:
            return NotReady(WAIT_FOR_RESULT)
        who = f"<@{record.requester_id}>" if record.requester_id else record.requested_by
        text = summary_message(record, who, undone_by=f"<@{message.payload['undone_by']}>")
        self._client.chat_update(
            channel=posted["channel"], ts=posted["ts"], text=text.text, blocks=text.blocks
        )
        return Sent({"channel": posted["channel"], "ts": posted["ts"]})

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []
