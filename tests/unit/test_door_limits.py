"""The door's body limit against the largest request Slack can send this app: the view
submission of the confirmation modal, the biggest view releasebot opens (Slack refuses a
view over 250 kB with `view_too_large`), with every section filled to Slack's limit."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from bot.slack import door
from bot.slack.blocks.confirm import confirm_view
from domain.services.preview import OrderPreview
from domain.statuses import PaperKind

SLACK_VIEW_LIMIT = 250 * 1024  # views.open/update/push/publish: view_too_large above it


def _largest_submission(fill: str) -> tuple[int, int]:
    """(the view's JSON size, the size of its url-encoded view submission) for 100 orders
    whose lines are `fill` repeated to the section limit."""
    previews = [
        OrderPreview(f"P{n:06d}", True, (fill * 3000,), item=fill * 40, quantity="1")
        for n in range(100)
    ]
    view = confirm_view(previews, set(PaperKind), "CFLOOR").to_dict()
    sent = json.dumps(view, ensure_ascii=False).encode()
    for index, block in enumerate(view["blocks"]):  # what Slack adds when it echoes a view
        block["block_id"] = f"b{index:04d}"
    view |= {"id": "V" * 11, "team_id": "T" * 11, "state": {"values": {}}, "hash": "1" * 20}
    view |= {"root_view_id": "V" * 11, "app_id": "A" * 11, "bot_id": "B" * 11}
    payload = {
        "type": "view_submission",
        "team": {"id": "T" * 11, "domain": "d" * 21},
        "user": {"id": "U" * 11, "username": "u" * 21, "name": "u" * 21, "team_id": "T" * 11},
        "api_app_id": "A" * 11,
        "token": "t" * 24,
        "trigger_id": "1" * 40,
        "view": view,
        "response_urls": [],
    }
    return len(sent), len(urllib.parse.urlencode({"payload": json.dumps(payload)}))


@pytest.mark.parametrize("fill", ["a", "*"])  # plain text; every character url-escaped
def test_the_largest_confirmation_slack_sends_back_fits_twice_under_the_limit(fill: str) -> None:
    view_size, body_size = _largest_submission(fill)

    assert view_size < SLACK_VIEW_LIMIT  # Slack would open it
    assert body_size * 2 < door.MAX_BODY_BYTES, body_size  # 131 KB and 368 KB on 2026-11-29
