"""What `GET /metrics` tells Prometheus (docs/deployment.md lists each metric and its alert).

Two kinds: counters this process keeps (releases it ran, Slack Web API calls it made,
requests its door refused), and gauges read from the database at scrape time (the
outbox, digest slots), which are right whichever replica is scraped. Neither touches
Slack.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.services.monitoring import Monitoring
from domain.services.release import ReleaseReport

log = logging.getLogger(__name__)

# not registered anywhere here: each server's registry takes them with its database's gauges
RELEASES = Counter("releasebot_releases", "Releases run by this process.", registry=None)
ORDERS_RELEASED = Counter(
    "releasebot_orders_released", "Orders released by this process.", registry=None
)
REFUSALS = Counter(
    "releasebot_order_refusals",
    "Orders refused in a release, by cause (site, status, paper, shortage, ...).",
    ["cause"],
    registry=None,
)
RELEASE_SECONDS = Histogram(
    "releasebot_release_duration_seconds",
    "How long a release took, from the confirmation to its last order.",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    registry=None,
)
SLACK_CALLS = Counter(
    "releasebot_slack_api_calls",
    "Slack Web API calls (after the client's own retries), by method.",
    ["method"],
    registry=None,
)
SLACK_ERRORS = Counter(
    "releasebot_slack_api_errors",
    "Slack Web API calls that failed, by method and Slack's error (or the exception).",
    ["method", "error"],
    registry=None,
)
REJECTED = Counter(
    "releasebot_rejected_requests",
    "Requests refused before Bolt saw them, by cause (bot/slack/door.py).",
    ["cause"],
    registry=None,
)
_PROCESS_METRICS = (
    RELEASES,
    ORDERS_RELEASED,
    REFUSALS,
    RELEASE_SECONDS,
    SLACK_CALLS,
    SLACK_ERRORS,
    REJECTED,
)


def released(report: ReleaseReport, seconds: float) -> None:
    RELEASES.inc()
    RELEASE_SECONDS.observe(seconds)
    ORDERS_RELEASED.inc(sum(1 for result in report.results if result.released))
    for result in report.results:
        if not result.released:
            REFUSALS.labels(result.cause or "other").inc()


class CountedWebClient(WebClient):
    """Slack's client, counting every Web API call and its error by method: every call of
    the bot goes through `api_call`, so this is the one place."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        SLACK_CALLS.labels(api_method).inc()
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            code = error.response.get("error") or f"http_{error.response.status_code}"
            SLACK_ERRORS.labels(api_method, str(code)[:60]).inc()
            raise
        except Exception as error:  # connection refused, timed out: the retries are spent
            SLACK_ERRORS.labels(api_method, type(error).__name__).inc()
            raise


def counted(client: WebClient) -> CountedWebClient:
    """The same client, counted: Bolt gives each request a plain copy of the app's."""
    return CountedWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        team_id=client.default_params.get("team_id"),
        logger=client.logger,
        retry_handlers=client.retry_handlers,
    )


class DatabaseCollector(Collector):
    """Gauges read at scrape time, the same from every replica."""

    def __init__(self, monitoring: Monitoring) -> None:
        self._monitoring = monitoring

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("releasebot_database_up", "1 while the database answers.")
        try:
            gauges = self._monitoring.gauges()
        except Exception as error:  # the scrape says so instead of failing
            log.warning("metrics: the database did not answer: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        now = datetime.now(UTC)
        messages = GaugeMetricFamily(
            "releasebot_outbox_messages",
            "Outbox messages not sent, by status (pending: to send; failed: given up on; "
            "parked: kept while Slack refuses the token).",
            labels=["status"],
        )
        for status, waiting in gauges.backlog.items():
            messages.add_metric([status.value], waiting.count)
        yield messages
        oldest = GaugeMetricFamily(
            "releasebot_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox message (0 when none waits).",
        )
        oldest.add_metric([], gauges.oldest_pending_age(now))
        yield oldest
        claimed = CounterMetricFamily(
            "releasebot_digest_slots",
            "Digest time slots claimed by any replica, by whether a digest was posted.",
            labels=["posted"],
        )
        for posted, count in gauges.slots.items():
            claimed.add_metric([str(posted).lower()], count)
        yield claimed


def registry_for(monitoring: Monitoring) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    for metric in _PROCESS_METRICS:
        registry.register(metric)
    registry.register(DatabaseCollector(monitoring))
    return registry


def exposition(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
