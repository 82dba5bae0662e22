"""1,000 forged requests to `POST /slack/events`, as an attacker would send them: bad, missing,
foreign, duplicated and non-ASCII signatures, stale and malformed timestamps, replayed and
tampered bodies. Each gets 401 (400 or 413 where the shape or size is the problem), none a
5xx; no order changes, Slack is not called, and the log stays short."""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from bot.slack import door
from tests.e2e.slack.conftest import Bot, signed_headers
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.e2e.slack.test_release_flow import plant
from tests.reliability.test_fuzz import _snapshot
from tests.reliability.transport import Header, Raw, send

FORM = "application/x-www-form-urlencoded"
TIMESTAMPS = [
    "abc",
    "",
    "1.5e9",
    "0x10",
    "1795915147.5",
    "-",
    "-1",
    "+1795915147",
    " 1795915147",
    "1_795_915_147",
    "١٧٩٥٩١٥١٤٧",  # Arabic-Indic digits: int() reads them
    "99999999999999999999999",
    "1795915147\t",
    "0",
]
SIGNATURES = [
    "",
    "v0=",
    "v0",
    "v1=" + "0" * 64,
    "v0=" + "é" * 64,
    "v0=" + "ü" * 32,
    "v0=" + "A" * 64,
    "v0=" + "g" * 64,
    "v0=" + "0" * 63,
    "v0=" + "0" * 65,
    "sha256=" + "0" * 64,
    "v0=" + "0" * 10_000,
]


def _real_bodies(bot: Bot, slack: SlackStandIn) -> list[str]:
    """A confirmation that would release, a command, an event: what a forger would replay."""
    confirm = view_submission(confirmation_for(bot, slack, ["P000001"]), view_id="VFORGED")
    return [
        urllib.parse.urlencode({"payload": json.dumps(confirm)}),
        urllib.parse.urlencode(
            {"command": "/release", "text": "P000001", "user_id": "UANN", "trigger_id": "t"}
            | {"channel_id": "CFLOOR"}
        ),
        json.dumps({"type": "event_callback", "event": {"type": "app_home_opened"}}),
    ]


Forgery = Callable[[random.Random, str], tuple[list[Header], bytes, set[int]]]


def _with(body: str, headers: dict[str, str], **replaced: str) -> list[Header]:
    names = {"timestamp": "X-Slack-Request-Timestamp", "signature": "X-Slack-Signature"}
    out = {**headers, **{names[k]: v for k, v in replaced.items()}}
    return list(out.items())


def _content_type(body: str) -> str:
    return "application/json" if body.startswith("{") else FORM


def _signed(body: str, **options: object) -> dict[str, str]:
    return signed_headers(body, **options) | {"Content-Type": _content_type(body)}  # type: ignore[arg-type]


def foreign(rng: random.Random, body: str):
    return _with(body, _signed(body, secret=f"secret-{rng.randrange(10**6)}")), body, {401}


def stale(rng: random.Random, body: str):
    at = int(time.time()) + rng.choice([-1, 1]) * rng.randrange(301, 10**6)
    return _with(body, _signed(body, at=at)), body, {401}


def bad_timestamp(rng: random.Random, body: str):
    return _with(body, _signed(body), timestamp=rng.choice(TIMESTAMPS)), body, {401}


def bad_signature(rng: random.Random, body: str):
    return _with(body, _signed(body), signature=rng.choice(SIGNATURES)), body, {401}


def missing(rng: random.Random, body: str):
    headers = _signed(body)
    for name in rng.sample(["X-Slack-Request-Timestamp", "X-Slack-Signature"], rng.randint(1, 2)):
        del headers[name]
    return _with(body, headers), body, {401}


def duplicated(rng: random.Random, body: str):
    """The right signature, and a second one (or a second timestamp) beside it."""
    headers = _with(body, _signed(body))
    name = rng.choice(["X-Slack-Request-Timestamp", "X-Slack-Signature"])
    other = dict(headers)[name]
    extra = [(name, other), (name, "v0=" + "0" * 64 if "Signature" in name else "1")]
    return [*headers, rng.choice(extra)], body, {401}


def tampered(rng: random.Random, body: str):
    """Signed for another body: a replay with the orders changed, or cut short."""
    other = rng.choice([body.replace("P000001", "P000003"), body[: len(body) // 2]])
    other = other if other != body else body + " "
    return _with(body, _signed(other)), body, {401}


def not_utf8(rng: random.Random, body: str):
    raw = body.encode() + b"\xff\xfe" + bytes([rng.randrange(0x80, 0x100)])
    return _with(body, _signed(body)), raw, {401}


def wrong_shape(rng: random.Random, body: str):
    """Foreign signatures on bodies whose type or size Slack never sends: no need to sign."""
    if rng.random() < 0.5:
        kind = rng.choice(["text/plain", "", "multipart/form-data", "application/xml"])
        return _with(body, _signed(body) | {"Content-Type": kind}), body.encode(), {400}
    big = body.encode() + b"x" * (door.MAX_BODY_BYTES + 1 - len(body))
    return _with(body, _signed(body)), big, {413}


FORGERIES: list[Forgery] = [
    foreign,
    stale,
    bad_timestamp,
    bad_signature,
    missing,
    duplicated,
    tampered,
    not_utf8,
    wrong_shape,
]


@pytest.fixture
def fresh_flood() -> Iterator[door.Flood]:
    """The door's log limit as at start-up, not spent by the tests before."""
    fresh = door.Flood()
    door.log.removeFilter(door.FLOOD)
    door.log.addFilter(fresh)
    yield fresh
    door.log.removeFilter(fresh)
    door.log.addFilter(door.FLOOD)


def test_a_thousand_forgeries_get_401_and_change_nothing(
    bot: Bot, slack: SlackStandIn, caplog: pytest.LogCaptureFixture, fresh_flood: door.Flood
) -> None:
    plant(bot)
    bodies = _real_bodies(bot, slack)
    before, calls_before = _snapshot(bot), len(slack.calls)
    rng = random.Random(18)
    caplog.set_level(logging.WARNING)
    statuses: Counter[int] = Counter()
    unexpected = []

    for _ in range(1000):
        forgery = rng.choice(FORGERIES)
        headers, body, expected = forgery(rng, rng.choice(bodies))
        raw = body if isinstance(body, bytes) else body.encode()
        status = send(bot.url, Raw(raw, headers))
        statuses[status] += 1
        if status not in expected:
            unexpected.append((forgery.__name__, status, headers))

    time.sleep(0.3)  # give a wrongly accepted request the time to do harm
    assert unexpected == []
    assert sum(statuses.values()) == 1000 and statuses[401] > 800, statuses
    assert not [status for status in statuses if status >= 500 or status == 0]
    assert _snapshot(bot) == before
    assert slack.calls[calls_before:] == []
    refused = [r for r in caplog.records if r.name == "releasebot.door"]
    assert len(refused) == door.FLOOD_LINES  # of 1,000: the rest only counted
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
