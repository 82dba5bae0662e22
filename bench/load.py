"""Sustained load: signed `/release` requests from concurrent clients for a while.

Each client sends its next request as soon as the last one is acked; the same load goes
to releasebot (100,000 orders) and to the bare Bolt app. Figures: requests per second,
errors (any non-200 or failed connection) and p99 of the ack. Target: no errors.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.databases import sqlite_with_orders
from bench.report import Figure, percentile
from bench.servers import release_command, releasebot_and_bare

PART = "load"


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per server")


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def _client(url: str, until: float) -> Outcome:
    outcome = Outcome()
    while time.monotonic() < until:
        try:
            outcome.latencies.append(release_command(url))
        except requests.RequestException:
            outcome.errors += 1
    return outcome


def sustain(url: str, clients: int, seconds: float) -> tuple[float, int, float]:
    """Requests per second, errors and p99 latency (ms) of `clients` clients for `seconds`."""
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        outcomes = list(pool.map(lambda _: _client(url, started + seconds), range(clients)))
    elapsed = time.monotonic() - started
    latencies = [s * 1000 for outcome in outcomes for s in outcome.latencies]
    errors = sum(outcome.errors for outcome in outcomes)
    return len(latencies) / elapsed, errors, percentile(latencies, 99)


def run(args: argparse.Namespace) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as workdir:
        url = sqlite_with_orders(args.orders, Path(workdir) / "load.db", args.cache)
        with releasebot_and_bare(url, Path(workdir)) as pair:
            bare = sustain(pair.bare.url, args.clients, args.seconds)
            ours = sustain(pair.ours.url, args.clients, args.seconds)
    label = f"/release, {args.clients} clients, {args.orders:,} orders"
    return [
        Figure(PART, f"{label}: requests/s", ours[0], "req/s", bare[0]),
        Figure(PART, f"{label}: errors", ours[1], "", bare[1], "0", ours[1] == 0),
        Figure(PART, f"{label}: p99", ours[2], "ms", bare[2]),
    ]
