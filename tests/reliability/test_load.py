"""A bounded load: signed `/release` commands at a fixed rate against one `releasebot serve`;
every one is acked within Slack's 3 seconds. A correctness bound, not a benchmark (those are
in bench/)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tests.e2e.slack.conftest import Endpoint
from tests.e2e.slack.process import slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn
from tests.reliability.orders import plant_orders

RATE = 20  # requests per second
SECONDS = 5
SLACK_ACK_S = 3.0
# what planners type: the modal (empty, or with orders), the list, the help
TEXTS = ["", "P000001", "list", "help", "P000002 P000003"]


def test_release_commands_at_20_a_second_are_each_acked_within_3_seconds(
    database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn, tmp_path: Path
) -> None:
    plant_orders(sessions, 50)
    server = start_server(slack_env(tmp_path, slack, database_url), tmp_path)
    endpoint = Endpoint(server.url)
    count = RATE * SECONDS
    start = time.monotonic() + 0.5

    def one(index: int) -> tuple[int, float]:
        time.sleep(max(0.0, start + index / RATE - time.monotonic()))
        sent = time.monotonic()
        answer = endpoint.command(TEXTS[index % len(TEXTS)])
        return answer.status_code, time.monotonic() - sent

    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            answers = list(pool.map(one, range(count)))
        modals = sum(1 for i in range(count) if TEXTS[i % len(TEXTS)] not in ("list", "help"))
        slack.wait_for("views.open", count=modals, timeout=30)
    finally:
        output = server.stop()

    latencies = sorted(seconds for _, seconds in answers)
    figures = f"p50 {latencies[count // 2]:.3f}s, max {latencies[-1]:.3f}s"
    assert [status for status, _ in answers] == [200] * count, figures
    assert latencies[-1] < SLACK_ACK_S, figures
    assert "Traceback" not in output
