"""Candidates for a partial order number, from the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.conversation.commands import ReleaseOrders
from bot.conversation.orders import Ambiguous, match_order, references, resolve
from domain.queries import order_numbers_ending, spoken_order_numbers
from domain.statuses import OrderStatus
from tests.builders import Plant
from tests.commands import command


def test_candidates_for_spoken_numbers_come_from_the_database(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        for number in ("P000123", "P001123", "P000124", "P000200"):
            plant.order(number=number)

    said = command("release order one two three and one two four")
    with sessions() as session:
        candidates = order_numbers_ending(session, references(said))
        assert order_numbers_ending(session, ["x1", ""]) == []

    assert candidates == ["P000123", "P000124", "P001123"]
    assert resolve(said, candidates) == ReleaseOrders(("P000123", "P000124"))
    with sessions() as session:
        assert match_order("1123", order_numbers_ending(session, ["1123"])) == "P001123"
        assert match_order("23", order_numbers_ending(session, ["23"])) == Ambiguous(
            "23", ("P000123", "P001123")
        )


def test_the_spoken_closed_list_is_the_orders_at_the_persons_sites(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("21", site="2")
        plant.order(number="P000254")
        plant.order(number="P000214", warehouse="21")
        plant.order(number="P000300", status=OrderStatus.ENDED)

    with sessions() as session:
        assert spoken_order_numbers(session, 10) == ["P000214", "P000254"]
        assert spoken_order_numbers(session, 10, {"2"}) == ["P000214"]
        assert spoken_order_numbers(session, 10, {"1", "2"}) == ["P000214", "P000254"]
        assert spoken_order_numbers(session, 1) is None  # too many for a grammar
