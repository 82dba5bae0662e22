"""Order numbers as people say them, matched against the orders that exist."""

from __future__ import annotations

import pytest

from bot.conversation.commands import Help, ReleaseOrders, ShowOrder
from bot.conversation.orders import Ambiguous, NoSuchOrder, match_order, references, resolve
from domain.statuses import PaperKind
from tests.commands import command

EXISTING = {"P000123", "P000124", "P001123", "P004560", "P104560", "P000007"}


@pytest.mark.parametrize(
    ("said", "order"),
    [
        ("123", "P000123"),
        ("p123", "P000123"),
        ("P000123", "P000123"),
        ("000123", "P000123"),
        ("7", "P000007"),
        ("4560", "P004560"),
        ("104560", "P104560"),
        ("1123", "P001123"),
    ],
)
def test_a_number_names_the_order_with_that_number(said: str, order: str) -> None:
    assert match_order(said, EXISTING) == order


def test_the_end_of_a_number_names_the_only_order_ending_so() -> None:
    assert match_order("24", EXISTING) == "P000124"


def test_an_ending_shared_by_several_orders_asks_which() -> None:
    assert match_order("560", EXISTING) == Ambiguous("560", ("P004560", "P104560"))
    assert Ambiguous("560", ("P004560", "P104560")).question() == (
        "Which order do you mean by 560: P004560 or P104560?"
    )


def test_a_long_list_of_candidates_is_summarised() -> None:
    candidates = tuple(f"P{n:03d}001" for n in range(14))
    question = Ambiguous("1", candidates).question()
    assert question.endswith("P009001 or 4 more?")


@pytest.mark.parametrize(
    ("said", "shown"),
    [("999", "999"), ("000999", "P000999"), ("1234567", "1234567"), ("x12", "x12"), ("", "")],
)
def test_numbers_that_match_nothing_say_so(said: str, shown: str) -> None:
    assert match_order(said, EXISTING) == NoSuchOrder(said)
    assert NoSuchOrder(said).message() == f"No production order matches {shown}."


def test_a_full_six_digit_number_never_matches_by_its_ending() -> None:
    assert match_order("004123", {"P104123"}) == NoSuchOrder("004123")


def test_spoken_release_resolves_to_existing_orders() -> None:
    said = command("release order one two three and p one two four with route card")
    assert resolve(said, EXISTING) == ReleaseOrders(
        ("P000123", "P000124"), frozenset({PaperKind.ROUTE_CARD})
    )


def test_the_same_order_twice_is_released_once() -> None:
    assert resolve(command("release 123 and P000123"), EXISTING) == ReleaseOrders(("P000123",))


def test_resolving_stops_at_the_first_order_it_cannot_name() -> None:
    assert resolve(command("release 123 and 560 and 999"), EXISTING) == Ambiguous(
        "560", ("P004560", "P104560")
    )
    assert resolve(command("show 999"), EXISTING) == NoSuchOrder("999")
    assert resolve(command("show 24"), EXISTING) == ShowOrder("P000124")


def test_commands_without_orders_pass_unchanged() -> None:
    assert resolve(Help(), EXISTING) == Help()
    assert references(Help()) == ()
    assert references(command("release 1 and 2")) == ("1", "2")
