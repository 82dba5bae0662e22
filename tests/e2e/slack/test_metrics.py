"""`GET /metrics` scraped as Prometheus does, after releases, refusals, a digest, a forged
request and a Slack outage made over signed HTTP: each shows, and the scrape calls no Slack."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import requests
from prometheus_client.parser import text_string_to_metric_families

from bot.digests.poster import DigestPoster
from domain.digests.subscriptions import active_subscriptions
from tests.e2e.slack.conftest import CHANNEL, Bot, signed_headers
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.e2e.slack.test_release_flow import plant

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(bot: Bot, slack: SlackStandIn) -> Samples:
    calls = len(slack.calls)
    answer = requests.get(f"{bot.url}/metrics", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    assert len(slack.calls) == calls, "a scrape called Slack"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0) - before.get(key, 0)


def test_metrics_show_releases_refusals_slack_calls_and_the_outbox(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    before = scrape(bot, slack)
    confirm = confirmation_for(bot, slack, ["P000001", "P000002"])  # the listeners' client
    bot.command("digest daily 07:00 horizon 60d")

    bot.interact(view_submission(confirm, view_id="VFIRST"))
    slack.wait_for("chat.postMessage", channel=CHANNEL)
    slack.fail("chat.postMessage", 500, times=1_000)  # Slack down from here
    bot.interact(view_submission(confirm, view_id="VAGAIN"))  # both released by now: refused
    bot.post("payload=%7B%7D", signed_headers("payload=%7B%7D", secret="forged"))
    with bot.sessions() as session:
        [subscription] = active_subscriptions(session, CHANNEL)
    DigestPoster(bot.services.runtime.digests, bot.services.dispatcher.wake).post(
        subscription, datetime.now(UTC)
    )
    deadline = time.monotonic() + 30
    while len([c for c in slack.calls if c.status == 500]) < 3:  # the client retries twice
        assert time.monotonic() < deadline, "the dispatcher did not try Slack"
        time.sleep(0.05)
    time.sleep(1)  # the dispatcher has heard, and the oldest pending message is a second old
    after = scrape(bot, slack)

    assert grew(before, after, "releasebot_releases_total") == 2
    assert grew(before, after, "releasebot_orders_released_total") == 2
    assert grew(before, after, "releasebot_order_refusals_total", cause="status") == 2
    assert grew(before, after, "releasebot_release_duration_seconds_count") == 2
    assert grew(before, after, "releasebot_slack_api_calls_total", method="views.open") == 1
    assert grew(before, after, "releasebot_slack_api_calls_total", method="chat.postMessage") >= 2
    assert (
        grew(
            before,
            after,
            "releasebot_slack_api_errors_total",
            method="chat.postMessage",
            error="fatal",
        )
        >= 1
    )
    assert grew(before, after, "releasebot_rejected_requests_total", cause="forged") == 1
    assert after[("releasebot_database_up", ())] == 1
    # the second release's message and the digest wait for Slack
    assert after[("releasebot_outbox_messages", (("status", "pending"),))] >= 2
    assert after[("releasebot_outbox_messages", (("status", "failed"),))] == 0
    assert after[("releasebot_outbox_messages", (("status", "parked"),))] == 0
    assert after[("releasebot_outbox_oldest_pending_age_seconds", ())] >= 1
    assert grew(before, after, "releasebot_digest_slots_total", posted="true") == 1
