"""`/release help`: what the command does, in the words a planner uses."""

from __future__ import annotations

from typing import Any

HELP = """*`/release`* — release scheduled production orders to the shop floor.
• `/release` opens a dialog: filter by site, warehouse and start date, pick the orders, \
the papers to print and where to post the result.
• `/release P000123 P000124` opens it with those orders chosen; \
`/release P000123 with route card and picking list` with those papers too.
• `/release list` shows the orders waiting for release, each with a *Release…* button; \
`/release list site 2 today` those of site 2 starting by today (`tomorrow`, `this week`).
• `/release digest daily 07:00` posts the waiting orders in this channel every day at 7:00 \
(`/release digest help` has more); the *Undo* button of a result puts its orders back \
while none of their work has started.
• `/release help` shows this.
Before anything happens you see, per order, the picking work it will get and what cannot \
be released and why. The result is posted in the channel you chose, the papers (PDF) in \
its thread."""


def help_message(note: str | None = None) -> dict[str, Any]:
    text = f"{note}\n\n{HELP}" if note else HELP
    return {"response_type": "ephemeral", "text": text}
