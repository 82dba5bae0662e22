"""A sentence parsed into the command it says, for tests that know it says one."""

from __future__ import annotations

from bot.conversation.commands import Command, NotUnderstood
from bot.conversation.parser import parse
from domain.statuses import PaperKind

# the four papers, short, for tables of sentences and the commands they say
ROUTE, PICK, JOB, ROUTE_JOB = (
    PaperKind.ROUTE_CARD,
    PaperKind.PICKING_LIST,
    PaperKind.JOB_CARD,
    PaperKind.ROUTE_JOB,
)


def command(text: str) -> Command:
    """`text` parsed; a sentence the parser does not understand fails the test here, where
    the sentence is named, rather than later where a command is expected."""
    parsed = parse(text)
    assert not isinstance(parsed, NotUnderstood), (text, parsed)
    return parsed
