"""Contenders that start at the same moment, so that locks, not timing, decide the race."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
BARRIER_TIMEOUT_S = 60


def at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(i)` for i in range(count), each in its own thread, released by one barrier."""
    barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT_S)

    def contender(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(contender, range(count)))
