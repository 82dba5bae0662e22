"""The time the domain reads: one clock, given to each use case by the composition root
(domain/runtime.py), so that a test or a replay can give another."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
