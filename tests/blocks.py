"""Reading a listing message as a person sees it: the table's rows and the buttons below it."""

from __future__ import annotations

from typing import Any

Blocks = list[dict[str, Any]]


def release_buttons(blocks: Blocks) -> Blocks:
    """The buttons in a message's rows of buttons (actions blocks), in order."""
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def table_rows(blocks: Blocks) -> list[list[str]]:
    """The cells' texts of the message's one table, header row first."""
    [table] = [b for b in blocks if b["type"] == "table"]
    return [[cell["text"] for cell in row] for row in table["rows"]]
