"""`/release` ack latency over HTTP with 100,000 orders, against a bare Bolt app.

Sequential signed requests, alternating between the two servers in rounds so that both
see the same machine. Targets: p50 at most 1.5 times the bare app's, p99 at most twice
and under 300 ms.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.databases import sqlite_with_orders
from bench.report import Figure, percentile
from bench.servers import release_command, releasebot_and_bare

PART = "ack"
ROUNDS = 10
WARM_UP = 20


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database")
    parser.add_argument("--requests", type=int, default=1_000, help="requests per server")


def run(args: argparse.Namespace) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-ack-") as workdir:
        url = sqlite_with_orders(args.orders, Path(workdir) / "ack.db", args.cache)
        with releasebot_and_bare(url, Path(workdir)) as pair:
            servers = {"ours": pair.ours.url, "bare": pair.bare.url}
            samples: dict[str, list[float]] = {name: [] for name in servers}
            for server in servers.values():
                for _ in range(WARM_UP):
                    release_command(server)
            per_round = max(1, args.requests // ROUNDS)
            for _ in range(ROUNDS):
                for name, server in servers.items():
                    samples[name] += [release_command(server) for _ in range(per_round)]
    ms = {name: [s * 1000 for s in values] for name, values in samples.items()}
    p50 = {name: percentile(values, 50) for name, values in ms.items()}
    p99 = {name: percentile(values, 99) for name, values in ms.items()}
    label = f"/release ack, {args.orders:,} orders"
    return [
        Figure(
            PART,
            f"{label}, p50",
            p50["ours"],
            "ms",
            p50["bare"],
            "<= 1.5x bare",
            p50["ours"] <= 1.5 * p50["bare"],
        ),
        Figure(
            PART,
            f"{label}, p99",
            p99["ours"],
            "ms",
            p99["bare"],
            "<= 2x bare, < 300 ms",
            p99["ours"] <= 2 * p99["bare"] and p99["ours"] < 300,
        ),
    ]
