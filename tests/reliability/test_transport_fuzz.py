"""The transport fuzzed (hypothesis) against the real server: timestamps, signatures, content
types and lengths, duplicated headers, encodings, methods, paths, truncated and oversized
bodies, invalid UTF-8, form and JSON mixed up. Never a 5xx, nothing changes, Slack is not
called, and the log stays short. test_fuzz.py fuzzes the signed bodies behind the door.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack import door
from tests.e2e.slack.conftest import SIGNING_SECRET, Bot, signed_headers
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant
from tests.reliability.test_forgeries import SIGNATURES, TIMESTAMPS, fresh_flood
from tests.reliability.test_fuzz import _snapshot
from tests.reliability.transport import Header, Raw, send

__all__ = ["fresh_flood"]  # the fixture, for pytest

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# signed, these pass the door and reach Bolt, which answers them without calling Slack
CHALLENGE = json.dumps({"type": "url_verification", "token": "t", "challenge": "c0ffee"}).encode()
SSL_CHECK = b"ssl_check=1&token=t"
COMMAND = b"command=%2Frelease&text=help&user_id=UANN&trigger_id=t&channel_id=CFLOOR"

TRANSPORT = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

tokens = st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=12)
header_values = st.one_of(
    tokens,
    st.binary(max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b and b"\0" not in b),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=8).map(
        str.encode
    ),
)
bodies = st.one_of(
    st.sampled_from([CHALLENGE, SSL_CHECK, COMMAND]),
    st.sampled_from([CHALLENGE, SSL_CHECK]),
    st.sampled_from([CHALLENGE, SSL_CHECK, COMMAND]).flatmap(
        lambda b: st.integers(0, len(b) - 1).map(lambda n: b[:n])  # truncated
    ),
    st.binary(max_size=200),  # mostly not UTF-8
    st.text(max_size=200).map(str.encode),
    st.sampled_from(["utf-16", "latin-1", "utf-32"]).map(
        lambda codec: CHALLENGE.decode().replace("c0ffee", "é").encode(codec)
    ),
)
signatures = st.one_of(
    st.just("right"),  # computed for the body actually sent
    st.just("right"),
    st.just("right"),
    st.just("foreign"),
    st.just("stale"),
    st.just("absent"),
    st.tuples(st.sampled_from(TIMESTAMPS) | tokens, st.sampled_from(SIGNATURES) | header_values),
)
content_types = st.integers(0, 3).flatmap(
    lambda i: (
        st.sampled_from([FORM, JSON, f"{JSON}; charset=utf-8", f"{FORM}; charset=UTF-16"])
        if i < 3
        else st.sampled_from(
            ["", "text/plain", "multipart/form-data; boundary=x", "Application/JSON"]
        )
        | header_values
        | st.none()
    )
)
lengths = st.sampled_from(
    ["right", "right", "right", "absent", "chunked", "short", "long", "huge", "bad", "twice"]
)
methods = st.integers(0, 4).flatmap(
    lambda i: (
        st.sampled_from(["POST"] * 24 + ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
        if i < 4  # hypothesis draws 0 often: the common case
        else st.text(st.characters(codec="ascii", categories=["Lu"]), min_size=1, max_size=10)
    )
)
paths = st.sampled_from(
    ["/slack/events"] * 30
    + ["/slack/events/", "/SLACK/EVENTS", "//slack/events", "/slack/events?x=%ff", "/", "/x"]
    + ["/healthz", "/slack/events/../healthz", "/%00", "/" + "a" * 4000, "/%C3%A9%ff"]
)
extras = st.lists(
    st.sampled_from(
        [
            ("Content-Encoding", "gzip"),
            ("Content-Encoding", "br"),
            ("Content-Type", FORM),  # a second content type
            ("X-Slack-Retry-Num", "1"),
            ("Expect", "100-continue"),
            ("Connection", "close"),
        ]
    ),
    max_size=2,
)


@st.composite
def raw_requests(draw: st.DrawFn) -> Raw:
    body = draw(bodies)
    headers: list[Header] = []
    content_type = draw(content_types)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    signature = draw(signatures)
    text = body.decode("latin-1")  # what the signature covers, byte for byte
    if signature in ("right", "foreign", "stale"):
        signed = signed_headers(
            text,
            secret=SIGNING_SECRET if signature != "foreign" else "not-the-secret",
            at=None if signature != "stale" else int(time.time()) - 3600,
        )
        if body.decode("utf-8", "replace").encode() != body:  # Slack signs UTF-8 text
            signed = signed_headers("not what was sent")
        headers += [(k, v) for k, v in signed.items() if k != "Content-Type"]
    elif isinstance(signature, tuple):
        headers += [
            ("X-Slack-Request-Timestamp", signature[0]),
            ("X-Slack-Signature", signature[1]),
        ]
    length = draw(lengths)
    chunked, hang_up = None, False
    if length == "chunked":
        chunked = draw(st.integers(1, 64))
    elif length == "short":
        headers.append(("Content-Length", str(max(len(body) - draw(st.integers(1, 50)), 0))))
    elif length == "long":  # the client sends less than it said, then hangs up
        headers.append(("Content-Length", str(len(body) + draw(st.integers(1, 50)))))
        hang_up = True
    elif length == "huge":
        headers.append(("Content-Length", str(draw(st.integers(door.MAX_BODY_BYTES + 1, 2**62)))))
        body = b""
    elif length == "bad":
        headers.append(("Content-Length", draw(st.sampled_from(["abc", "-1", "1e3", "", " 5"]))))
    elif length == "twice":
        headers += [("Content-Length", str(len(body))), ("Content-Length", str(len(body) + 1))]
    headers += draw(extras)
    headers = draw(st.permutations(headers))
    malformed = length in ("bad", "twice")
    return Raw(body, headers, draw(methods), draw(paths), chunked, hang_up, malformed)


def _statuses_allowed(request: Raw, status: int) -> bool:
    """No 5xx ever; no answer at all only when the client hung up first or sent no HTTP."""
    return status < 500 and (status > 0 or request.hang_up or request.malformed)


def test_fuzzed_transport_never_gets_a_5xx_nor_changes_anything(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture, fresh_flood: door.Flood
) -> None:
    plant(bot)
    before, calls_before = _snapshot(bot), len(slack.calls)
    caplog.set_level(logging.WARNING)
    uvicorn_lines = logging.getLogger("uvicorn.error")  # does not propagate to caplog's
    uvicorn_lines.addHandler(caplog.handler)
    statuses: Counter[int] = Counter()

    @TRANSPORT
    @given(raw_requests())
    def sends(request: Raw) -> None:
        status = send(bot.url, request, timeout=20)
        statuses[status] += 1
        assert _statuses_allowed(request, status), (status, request)

    try:
        sends()
    finally:
        uvicorn_lines.removeHandler(caplog.handler)
    print(f"transport fuzz: {sum(statuses.values())} requests, statuses {dict(statuses)}")
    time.sleep(0.3)
    assert _snapshot(bot) == before
    assert slack.calls[calls_before:] == []
    assert statuses[200] and statuses[401] and statuses[400], statuses  # each door reached
    for logger in ("releasebot.door", "uvicorn.error"):
        lines = [r for r in caplog.records if r.name == logger]
        assert len(lines) <= door.FLOOD_LINES, (logger, len(lines))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_a_body_that_does_not_arrive_gets_408(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, fresh_flood: door.Flood
) -> None:
    monkeypatch.setattr(door, "BODY_SECONDS", 0.5)
    headers = [*signed_headers(CHALLENGE.decode()).items(), ("Content-Length", "5000")]

    started = time.monotonic()
    status = send(bot.url, Raw(CHALLENGE, headers))

    assert status == 408 and time.monotonic() - started < 5


def test_a_body_over_the_limit_gets_413_before_it_is_read(
    bot: Bot, fresh_flood: door.Flood
) -> None:
    at_limit = CHALLENGE + b" " * (door.MAX_BODY_BYTES - len(CHALLENGE))
    over = at_limit + b" "
    declared = [("Content-Type", JSON), ("Content-Length", str(2**40))]

    assert send(bot.url, Raw(b"", declared)) == 413  # not a byte of it sent
    assert send(bot.url, Raw(over, [*signed_headers(over.decode()).items()], chunked=65536)) == 413
    assert send(bot.url, Raw(over, [*signed_headers(over.decode()).items()])) == 413
    # Slack's largest requests are far below; one at the limit itself is taken
    taken = [*(signed_headers(at_limit.decode()) | {"Content-Type": JSON}).items()]
    assert send(bot.url, Raw(at_limit, taken)) == 200
