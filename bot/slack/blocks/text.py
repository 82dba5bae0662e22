"""Fitting text into Block Kit's limits without cutting a line in half or dropping it silently."""

from __future__ import annotations

from collections.abc import Sequence

from domain.queries import COUNTED_UP_TO

SECTION_TEXT_LIMIT = 3000


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pack_lines(
    lines: Sequence[str], max_chunks: int, limit: int = SECTION_TEXT_LIMIT
) -> tuple[list[str], int]:
    """Lines joined into at most `max_chunks` texts of at most `limit` characters each.

    Returns the chunks and how many lines did not fit, for the caller to say so.
    """
    chunks: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        line = clip(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        chunks.append(current)
        if len(chunks) == max_chunks:
            return chunks, len(lines) - index
        current = line
    if current:
        chunks.append(current)
    return chunks, 0


def counted(total: int) -> str:
    """A search's total as `domain.queries.search_orders` counts it: exact up to
    `COUNTED_UP_TO`, "more than" that beyond."""
    return f"{total:,}" if total <= COUNTED_UP_TO else f"more than {COUNTED_UP_TO:,}"


def plural(count: int, noun: str, written: str | None = None) -> str:
    """A count and its noun (1 order, 2 orders); `written`: the count as written, if not as
    a plain number."""
    return f"{written or f'{count:,}'} {noun}{'' if count == 1 else 's'}"
