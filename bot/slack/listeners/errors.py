"""The one answer to an unexpected error in a listener (Bolt's global error handler).

The person is told privately that something went wrong and that nothing was changed, with a
reference that stands in the one log line of the error, so that whoever reads the log finds
it; never silence, never Slack's generic failure (a 500 before the ack). Nothing changed
holds because every use case commits all of its change or none of it.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("bot.errors")

SOMETHING_WENT_WRONG = (
    "Something went wrong, nothing was changed. Please try again; if it happens again, "
    "give your administrator this reference: `{reference}`."
)


def new_reference() -> str:
    """Short enough to read out, long enough to be unique in a log: 8 hex digits."""
    return f"E-{secrets.token_hex(4)}"


def unexpected(
    error: Exception,
    body: dict[str, Any],
    context: BoltContext,
    response: BoltResponse | None,
) -> BoltResponse | None:
    reference = new_reference()
    log.error(
        "unexpected error %s in %s from %s: %s: %s",
        reference,
        _what(body),
        context.user_id or "nobody",
        type(error).__name__,
        error,
        exc_info=error,
    )
    text = SOMETHING_WENT_WRONG.format(reference=reference)
    if context.function_execution_id:  # a workflow step waits for its outcome: fail it
        try:
            context.fail(text)
        except SlackClientError as failed:
            log.warning("could not fail the workflow step: %s", failed)
    waiting = response is not None and (context.ack is None or context.ack.response is None)
    if waiting and body.get("command"):  # the answer to a slash command is ephemeral
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    _tell(context.client, context.user_id, context.channel_id, text)
    if not waiting:
        return None
    if body.get("type") == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    return BoltResponse(status=200, body="")


def _what(body: dict[str, Any]) -> str:
    """The kind of request, for the log: `/release`, `block_actions undo_release`, ..."""
    if body.get("command"):
        return str(body["command"])
    kind = str(body.get("type") or "request")
    if kind == "event_callback":
        return f"event {(body.get('event') or {}).get('type')}"
    actions = body.get("actions") or [{}]
    name = body.get("callback_id") or (body.get("view") or {}).get("callback_id")
    name = name or actions[0].get("action_id") or body.get("action_id")
    return f"{kind} {name}" if name else kind


def _tell(client: WebClient | None, user: str | None, channel: str | None, text: str) -> None:
    """Only the person sees it: an ephemeral message where they are, else their DM with the
    bot (a modal or the App Home has no conversation)."""
    if not user or client is None:
        return
    try:
        if channel:
            try:
                client.chat_postEphemeral(channel=channel, user=user, text=text)
                return
            except SlackApiError as refused:  # not in that channel, or it is archived
                log.info("ephemeral refused (%s); telling %s in the DM", refused, user)
        client.chat_postMessage(channel=user, text=text)
    except SlackClientError as failed:
        log.warning("could not tell %s about the error: %s", user, failed)


def register(app: App) -> None:
    app.error(unexpected)
