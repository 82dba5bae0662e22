"""Asking Slack whether an earlier attempt got a post through, before posting it again.

A process killed between Slack's answer and the database's note of it leaves the
outbox row to be claimed again, and Slack has no idempotency key. So a message
carries its outbox key in its metadata, a paper has a title unique to its release,
and a repeated attempt looks for them first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from domain.outbox import Claimed

METADATA_TYPE = "releasebot_outbox"
# a message is posted after it was queued; this covers clocks a little apart
CLOCK_SKEW = timedelta(minutes=1)


def metadata(key: str) -> dict[str, Any]:
    """The metadata that names a message by its outbox key."""
    return {"event_type": METADATA_TYPE, "event_payload": {"key": key}}


def posted_message(
    client: WebClient, channel: str, key: str, since: datetime
) -> dict[str, Any] | None:
    """The message of `channel` posted under outbox `key` since `since`, if there is one."""
    oldest = f"{(since - CLOCK_SKEW).timestamp():.6f}"
    pages = client.conversations_history(
        channel=channel, oldest=oldest, include_all_metadata=True, limit=200
    )
    return _keyed(pages, key)


def _keyed(pages: Iterable[Any], key: str) -> dict[str, Any] | None:
    """The first message of these pages whose metadata names outbox `key`."""
    for page in pages:
        for message in page.get("messages") or []:
            found = message.get("metadata") or {}
            if found.get("event_type") == METADATA_TYPE and (
                (found.get("event_payload") or {}).get("key") == key
            ):
                return message
    return None


def posted_reply(
    client: WebClient, channel: str, thread_ts: str, key: str
) -> dict[str, Any] | None:
    """The reply in thread `thread_ts` posted under outbox `key`, if there is one (a
    channel's history leaves replies out)."""
    pages = client.conversations_replies(
        channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
    )
    return _keyed(pages, key)


def post_once(
    client: WebClient,
    message: Claimed,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    channel: str | None = None,
    thread_ts: str | None = None,
) -> tuple[str, str]:
    """Post an outbox message in its channel (the payload's unless named), in a thread if
    given, unless an earlier attempt of a process that died did; its channel and ts. A
    direct message to a user ID has no history to look in (Slack wants the DM's own ID
    there), so such a notice may come twice after a crash."""
    channel = channel or message.payload["channel"]
    if message.attempts > 1 and not channel.startswith(("U", "W")):
        if thread_ts:
            earlier = posted_reply(client, channel, thread_ts, message.dedupe_key)
        else:
            earlier = posted_message(client, channel, message.dedupe_key, message.created_at)
        if earlier is not None:
            return channel, earlier["ts"]
    response = client.chat_postMessage(
        channel=channel,
        text=text,
        blocks=blocks,
        thread_ts=thread_ts,
        metadata=metadata(message.dedupe_key),
        unfurl_links=False,
        unfurl_media=False,
    )
    return response["channel"], response["ts"]


def posted_file(client: WebClient, channel: str, thread_ts: str, title: str) -> list[str]:
    """The ids of the files titled `title` already shared in the thread `thread_ts`."""
    for page in client.conversations_replies(channel=channel, ts=thread_ts, limit=200):
        for message in page.get("messages") or []:
            ids = [file["id"] for file in message.get("files") or [] if file.get("title") == title]
            if ids:
                return ids
    return []
