"""The door of `POST /slack/events`: what a request must be before Bolt sees it.

Checked in this order, each refusal a short plain answer, never a trace:

- size: a declared or streamed body over `MAX_BODY_BYTES` -> 413, before it is read whole;
- time: a body that has not arrived `BODY_SECONDS` after the headers -> 408;
- content type: not exactly one, or neither form nor JSON as Bolt reads it -> 400;
- signature and timestamp: missing, duplicated, not in Slack's format, stale or wrong -> 401,
  whatever bytes the headers hold (slack_sdk's verifier raises on a timestamp that is no
  integer and on a signature with non-ASCII characters: those never reach it);
- shape: a signed body that is no request releasebot takes -> 400 (bot/slack/envelope.py).

Each refusal is one log line without the header values (an attacker's bytes), at most
`FLOOD_LINES` a minute, then one line counting the rest: a flood cannot fill the disk.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.request.internals import extract_content_type
from slack_sdk.signature import SignatureVerifier
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from bot.slack import envelope, metrics

log = logging.getLogger("releasebot.door")

# Slack's largest request to this app is the view submission of the confirmation modal:
# 131 KB with plain text in all 40 sections, 368 KB were every character url-escaped
# (tests/unit/test_door_limits.py); Slack opens no view over 250 kB. More than twice that.
MAX_BODY_BYTES = 1024 * 1024
BODY_SECONDS = 10.0  # Slack sends the whole request at once; it waits 3 s for the answer
FLOOD_LINES = 20  # log lines per minute about refused requests, then one counting the rest
FLOOD_PERIOD_SECONDS = 60.0

TOO_LARGE = f"the body is over {MAX_BODY_BYTES:,} bytes"
CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "application/json"})
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would take '١٢' or '1_0'
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass
class Refusal(Exception):
    """Why the door refused a request: its status, a cause from a fixed set (a metric
    label) and what the answer says."""

    status: int
    cause: str
    detail: str


def media_type(request: Request) -> str:
    """The media type as Bolt will read it (the one Content-Type, up to a `;`), when it is
    one Slack sends; `Refusal` otherwise."""
    values = request.headers.getlist("content-type")
    read = extract_content_type({"content-type": values}) if len(values) == 1 else None
    if read not in CONTENT_TYPES:
        raise Refusal(400, "content_type", "the content type is neither form nor JSON")
    return read


def declared_size_refusal(content_length: str | None) -> Refusal | None:
    """A Content-Length over the limit is refused before a byte of the body is read
    (a malformed one never gets here: the HTTP parser answers 400 itself)."""
    declared = content_length or ""
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return Refusal(413, "too_large", TOO_LARGE)
    return None


async def read_body(request: Request) -> bytes:
    """The body, streamed with a cap and a deadline; `Refusal` otherwise."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise Refusal(413, "too_large", TOO_LARGE)
                chunks.append(chunk)
    except TimeoutError:
        raise Refusal(408, "slow", f"the body did not arrive within {BODY_SECONDS:.0f} s") from None
    except ClientDisconnect:
        raise Refusal(400, "disconnected", "the client left before its body was sent") from None
    return b"".join(chunks)


class Signature:
    """Slack's signature check (slack_sdk), given only headers in the format Slack writes."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = SignatureVerifier(signing_secret)

    def refusal(self, request: Request, body: bytes) -> Refusal | None:
        timestamps = request.headers.getlist("x-slack-request-timestamp")
        signatures = request.headers.getlist("x-slack-signature")
        if not timestamps or not signatures:
            return Refusal(401, "unsigned", "the signature or its timestamp is missing")
        if (
            len(timestamps) > 1
            or len(signatures) > 1
            or not _TIMESTAMP.fullmatch(timestamps[0])
            or not _SIGNATURE.fullmatch(signatures[0])
        ):
            return Refusal(401, "malformed", "the signature or its timestamp is malformed")
        try:
            text = body.decode()  # what Slack signs is UTF-8 text
        except UnicodeDecodeError:
            text = None
        if text is None or not self._verifier.is_valid(text, timestamps[0], signatures[0]):
            return Refusal(401, "forged", "the signature is wrong or its timestamp stale")
        return None


class Flood(logging.Filter):
    """At most `lines` records (of `level` or above) per `period`; the first after a quiet
    spell says how many were left out. Shared by every thread that logs refusals."""

    def __init__(
        self,
        lines: int = FLOOD_LINES,
        period: float = FLOOD_PERIOD_SECONDS,
        level: int = logging.NOTSET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._lines = lines
        self._period = period
        self._level = level
        self._clock = clock
        self._lock = threading.Lock()
        self._window_start = -period
        self._logged = 0
        self._left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < self._level:
            return True
        with self._lock:
            now = self._clock()
            if now - self._window_start >= self._period:
                self._window_start, self._logged = now, 0
            if self._logged >= self._lines:
                self._left_out += 1
                return False
            self._logged += 1
            if self._left_out:
                record.msg = f"{record.msg} (and {self._left_out:,} more not logged before it)"
                self._left_out = 0
            return True


def _not_refused(record: logging.LogRecord) -> bool:
    """uvicorn's access line of a request the door refused: the door's line says it."""
    args = record.args if isinstance(record.args, tuple) else ()
    return not (len(args) == 5 and isinstance(args[4], int) and 400 <= args[4] < 500)


FLOOD = Flood()
log.addFilter(FLOOD)
# uvicorn's own warnings about requests its HTTP parser refuses (400 before the app)
_UVICORN_FLOOD = Flood(level=logging.WARNING)


def limit_uvicorn_logs() -> None:
    """The same limit on uvicorn's lines about bad requests (filters survive its logging
    set-up, which only replaces handlers); idempotent."""
    logging.getLogger("uvicorn.error").addFilter(_UVICORN_FLOOD)
    logging.getLogger("uvicorn.access").addFilter(_not_refused)


def refuse(request: Request, refusal: Refusal) -> Response:
    """The answer to a refused request, logged (rate-limited) and counted by cause."""
    client = request.client.host if request.client else "?"
    log.warning(
        "refused %s %r from %s: %s %s (%s)",
        request.method,
        request.url.path[:100],
        client,
        refusal.status,
        refusal.cause,
        refusal.detail,
    )
    metrics.REJECTED.labels(refusal.cause).inc()
    return PlainTextResponse(refusal.detail, status_code=refusal.status)


def shape_refusal(body: bytes, media_type: str) -> Refusal | None:
    problem = envelope.problem(body, media_type)
    if problem is None:
        return None
    return Refusal(400, "shape", f"not a Slack request: {problem}"[:300])
