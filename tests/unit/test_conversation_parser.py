"""Chat text -> the command a person meant, and "not understood" for anything else."""

from __future__ import annotations

import pytest

from bot.conversation.commands import (
    Digest,
    Help,
    Horizon,
    ListWaiting,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.language import EXAMPLES, PROMPTS
from bot.conversation.parser import parse
from bot.conversation.question import not_understood
from domain.statuses import PaperKind
from tests.commands import JOB, PICK, ROUTE, ROUTE_JOB


@pytest.mark.parametrize(
    ("text", "orders", "papers"),
    [
        (
            "release P000123 and P000124 with route card and picking list",
            ("000123", "000124"),
            {ROUTE, PICK},
        ),
        ("release order one two three with route card", ("123",), {ROUTE}),
        (
            "Release p123, 124 and 0125 with job cards plus a pick list.",
            ("123", "124", "0125"),
            {JOB, PICK},
        ),
        ("<@U0BOT> please release 123 with the route jobs thanks", ("123",), {ROUTE_JOB}),
        ("release orders one two three and four five six", ("123", "456"), set()),
        ("release 123 124", ("123", "124"), set()),
        ("release order number P000123 without papers", ("000123",), set()),
        ("release P 1 2 3 with routing card", ("123",), {ROUTE}),
        ("could you release order zero zero zero one two three", ("000123",), set()),
        (
            "RELEASE 7 WITH ROUTE CARD AND JOB CARD AND ROUTE JOB AND PICKING LIST",
            ("7",),
            {ROUTE, JOB, ROUTE_JOB, PICK},
        ),
    ],
)
def test_release_phrasings(text: str, orders: tuple[str, ...], papers: set[PaperKind]) -> None:
    assert parse(text) == ReleaseOrders(orders, frozenset(papers))


@pytest.mark.parametrize(
    ("text", "site", "horizon"),
    [
        ("what's waiting for release at site 2 today?", "2", Horizon.TODAY),
        ("What is waiting for release at site two today", "2", Horizon.TODAY),
        ("what is waiting", None, None),
        ("list", None, None),
        ("list the waiting orders at site 1 this week", "1", Horizon.THIS_WEEK),
        ("which orders are still waiting for release tomorrow at site 3", "3", Horizon.TOMORROW),
        ("show me the orders waiting for release at site s2", "S2", None),
        ("waiting orders today", None, Horizon.TODAY),
        ("what needs releasing by tomorrow", None, Horizon.TOMORROW),
    ],
)
def test_list_phrasings(text: str, site: str | None, horizon: Horizon | None) -> None:
    assert parse(text) == ListWaiting(site, horizon)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("show P000123", "000123"),
        ("show order one two three", "123"),
        ("show me order number p123", "123"),
        ("details for 42", "42"),
        ("open P000124", "000124"),
    ],
)
def test_show_phrasings(text: str, order: str) -> None:
    assert parse(text) == ShowOrder(order)


@pytest.mark.parametrize(
    "text", ["undo", "Undo that", "undo the last release!", "please undo my last release"]
)
def test_undo(text: str) -> None:
    assert parse(text) == Undo()


@pytest.mark.parametrize("text", ["help", "Help me", "what can you do?", "@releasebot help"])
def test_help(text: str) -> None:
    assert parse(text) == Help()


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("digest daily 7:00", "daily 07:00"),
        ("digest daily at seven", "daily 07:00"),
        ("digest every weekday at 6.30", "weekdays 06:30"),
        ("set the digest to weekdays 7am", "weekdays 07:00"),
        ("digest at seven thirty in the evening", "daily 19:30"),
        ("digest daily at twenty one forty five", "daily 21:45"),
        ("digest 12 am", "daily 00:00"),
        ("digest off", "off"),
        ("stop the digest", "off"),
    ],
)
def test_digest(text: str, spec: str) -> None:
    assert parse(text) == Digest(spec)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("digest daily 25:00", "25:00 is not a time of day: use HH:MM, like 07:00"),
        ("digest 13 pm", "13 pm is not a time of day: use 1 to 12 am or pm"),
    ],
)
def test_impossible_times_say_why(text: str, reason: str) -> None:
    assert parse(text) == NotUnderstood(text, reason)


@pytest.mark.parametrize(
    "text",
    [
        "what is the weather like today",
        "release",
        "release the kraken",
        "show",
        "hello there",
        "",
        "P000123",
        "release P000123 with coffee",
        "undo undo",
        "🙂",
    ],
)
def test_anything_else_is_not_understood(text: str) -> None:
    assert parse(text) == NotUnderstood(text)


def test_slash_command_text_implies_release() -> None:
    assert parse("P000123 P000124", implied="release") == ReleaseOrders(("000123", "000124"))
    assert parse("list", implied="release") == ListWaiting()
    assert parse("help", implied="release") == Help()
    assert parse("digest daily 07:00", implied="release") == Digest("daily 07:00")


def test_a_very_long_message_is_refused_not_searched() -> None:
    text = "release " + " and ".join(["123"] * 100)
    assert parse(text) == NotUnderstood(text, "that is too long for a command")


def test_every_example_we_show_people_works() -> None:
    assert all(not isinstance(parse(example), NotUnderstood) for example in EXAMPLES)


def test_the_messages_tabs_prompts_say_what_they_offer() -> None:
    assert [parse(prompt) for prompt in PROMPTS] == [
        ListWaiting(site="1"),
        ReleaseOrders(("000123",), frozenset({ROUTE})),
        Undo(),
    ]


def test_not_understood_answer_gives_examples() -> None:
    answer = not_understood(NotUnderstood("what is the weather like today"))
    assert answer.startswith("I didn't catch that. Try for example:")
    assert "• release P000123 and P000124 with route card and picking list" in answer
