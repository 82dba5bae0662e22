"""How people actually ask, typed (speech takes the same grammar): one table per phrasing
family. These are the sentences the command language was widened on; the sentences it was
measured on afterwards are kept apart in test_conversation_heldout.py."""

from __future__ import annotations

import pytest

from bot.conversation.commands import Command, Horizon, ListWaiting, ReleaseOrders, ShowOrder, Undo
from bot.conversation.parser import parse
from domain.statuses import PaperKind
from tests.commands import JOB, PICK, ROUTE, ROUTE_JOB


def release(*orders: str, papers: set[PaperKind] | None = None) -> ReleaseOrders:
    return ReleaseOrders(orders, frozenset(papers or ()))


FAMILIES: dict[str, list[tuple[str, Command]]] = {
    "politeness and intent": [
        ("can you release P000321 with the route card", release("000321", papers={ROUTE})),
        ("could you please release order 88", release("88")),
        ("would you release orders 5 and 6 please", release("5", "6")),
        ("I'd like to release P000200", release("000200")),
        ("go ahead and release 17 with picking list", release("17", papers={PICK})),
        ("let's release order 42 with job cards", release("42", papers={JOB})),
        ("I want to release 300 and 301", release("300", "301")),
        ("hey, please release 99", release("99")),
        ("okay release 1 thanks", release("1")),
    ],
    "production orders": [
        ("release production order 500", release("500")),
        ("release the production orders 11 and 12", release("11", "12")),
        ("release the order number 8", release("8")),
    ],
    "articles and plurals": [
        (
            "release 5 with the picking lists and the route cards",
            release("5", papers={PICK, ROUTE}),
        ),
        ("release 6 with a job card and a route job", release("6", papers={JOB, ROUTE_JOB})),
    ],
    "papers asked with a verb": [
        ("release 21 and print the route card", release("21", papers={ROUTE})),
        (
            "release 22 and print job cards and picking lists",
            release("22", papers={JOB, PICK}),
        ),
        ("release 23 together with the route job", release("23", papers={ROUTE_JOB})),
        ("release 24 and also print a pick list", release("24", papers={PICK})),
    ],
    "numbers read aloud": [
        ("release order two fifty four", release("254")),
        ("release order seven hundred and twelve", release("712")),
        ("release order three hundred five", release("305")),
        ("release order twelve thirty four", release("1234")),
        ("release one oh one", release("101")),
        ("release order nineteen", release("19")),
        ("release order forty", release("40")),
        ("release four twenty and four twenty one", release("420", "421")),
        ("release p one two three", release("123")),
        ("release 12 thirty four", release("1234")),
    ],
    "the passive": [
        ("I need order 388 released with a pick list", release("388", papers={PICK})),
        ("could you get orders 5 and 6 released please", release("5", "6")),
        ("we need P000254 released", release("000254")),
        ("I'd like order two fifty four to be released", release("254")),
    ],
    "lists and look-ups": [
        ("what orders are still waiting for release at site 1", ListWaiting("1")),
        ("which production orders are waiting today", ListWaiting(None, Horizon.TODAY)),
        ("can you tell me what is waiting at site 2", ListWaiting("2")),
        ("show production order 77", ShowOrder("77")),
        ("could you show me order two fifty four", ShowOrder("254")),
        ("could you undo my last release", Undo()),
        (
            "please list the production orders waiting for release this week",
            ListWaiting(None, Horizon.THIS_WEEK),
        ),
    ],
}


@pytest.mark.parametrize(
    ("text", "command"),
    [
        pytest.param(text, command, id=f"{family}: {text}")
        for family, sentences in FAMILIES.items()
        for text, command in sentences
    ],
)
def test_people_are_understood_as_they_ask(text: str, command: object) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    "text",
    [
        "could you",
        "please please",
        "release the production order",
        "go ahead and release the kraken",
        "I'd like to release with the route card",
        "release 12 with a coffee",
        "print the route card",
        "I need order 388",
        "released with a pick list",
    ],
)
def test_wrappers_alone_are_no_command(text: str) -> None:
    assert type(parse(text)).__name__ == "NotUnderstood"
