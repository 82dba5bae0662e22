"""The order search takes what a person types as text: no wildcards, no NUL for the database;
it finds the same orders in the same order on SQLite and PostgreSQL, whichever way they match."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain import queries
from domain.model import ProductionOrder
from domain.queries import OrderFilter, order_summaries, search_orders
from tests.builders import MONDAY, Plant


def _found(sessions: sessionmaker[Session], text: str) -> list[str]:
    with sessions() as session:
        orders, total = search_orders(session, OrderFilter(), text, 10)
    assert total == len(orders)
    return [order.number for order in orders]


def test_percent_and_underscore_match_themselves(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([], item="FG_100%")
        plant.order([], item="FG-1000")

    assert _found(sessions, "%") == ["P000001"]
    assert _found(sessions, "fg_") == ["P000001"]
    assert _found(sessions, "fg-") == ["P000002"]


def test_a_nul_character_is_no_error_on_any_database(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        Plant(session).order([])

    assert _found(sessions, "P000001\x00") == ["P000001"]
    with sessions() as session:
        assert [o.number for o in order_summaries(session, ["\x001"])] == ["P000001"]
        assert search_orders(session, OrderFilter(site="1\x00"), "", 10)[1] == 1


def test_a_text_longer_than_any_name_finds_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        Plant(session).order([])

    assert _found(sessions, "P" * 60_000) == []  # SQLite: 'LIKE pattern too complex' before


def _urgency(order: ProductionOrder, priority: int, start: datetime | None = MONDAY) -> None:
    order.priority, order.scheduled_start = priority, start


def test_orders_matching_by_number_and_by_item_come_once_most_urgent_first(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        _urgency(plant.order([], item="FG-12"), 5)  # P000001 by its item
        _urgency(plant.order([], item="FG-1", number="P000012"), 1)  # by its number
        _urgency(plant.order([], item="FG-12"), 3)  # P000003 by its item
        plant.order([], item="FG-1")  # P000004 not at all
        _urgency(plant.order([], item="FG-12", number="P000112"), 9)  # both ways
        _urgency(plant.order([], item="FG-12"), 1, start=None)  # P000006 unscheduled: last

    assert _found(sessions, "12") == ["P000012", "P000003", "P000001", "P000112", "P000006"]
    assert _found(sessions, "P000112") == ["P000112"]
    every = ["P000012", "P000003", "P000001", "P000004", "P000112", "P000006"]
    assert _found(sessions, "fg-1") == every


def test_a_total_beyond_what_is_counted_says_more_unless_an_exact_one_is_asked_for(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "COUNTED_UP_TO", 3)
    with sessions.begin() as session:
        plant = Plant(session)
        for _ in range(5):
            plant.order([])
        plant.order([], item="FG-2")

    with sessions() as session:
        orders, total = search_orders(session, OrderFilter(), "fg-1", 2)
        assert [o.number for o in orders] == ["P000001", "P000002"] and total > 3
        assert search_orders(session, OrderFilter(), "fg-1", 2, exact=True)[1] == 5
        assert search_orders(session, OrderFilter(), "", 2, exact=True)[1] == 6
        assert search_orders(session, OrderFilter(), "fg-2", 2)[1] == 1


def test_many_matching_items_are_searched_for_without_naming_each(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "_ITEMS_NAMED", 1)
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([], item="FG-1")
        plant.order([], item="FG-2")
        plant.order([], item="RM-1")

    assert _found(sessions, "fg") == ["P000001", "P000002"]


def test_quotes_in_the_text_match_themselves(sessions: sessionmaker[Session]) -> None:
    """SQLite's trigram table reads the text as a phrase: its quotes must stay characters."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([], number='P0"01')
        plant.order([])

    assert _found(sessions, '0"0') == ['P0"01']
    assert _found(sessions, '"P0') == []
    assert _found(sessions, 'P0" OR "1') == []


def test_a_part_of_a_number_follows_a_renumbered_or_deleted_order(
    sessions: sessionmaker[Session],
) -> None:
    """On SQLite the numbers' trigrams are kept by triggers, not by the application."""
    with sessions.begin() as session:
        plant = Plant(session)
        first, second = plant.order([], number="P000123"), plant.order([], number="P000456")
    assert _found(sessions, "0012") == ["P000123"]

    with sessions.begin() as session:
        session.get_one(ProductionOrder, first.id).number = "P000789"
    assert _found(sessions, "0012") == []
    assert _found(sessions, "0078") == ["P000789"]

    with sessions.begin() as session:
        session.delete(session.get_one(ProductionOrder, second.id))
    assert _found(sessions, "0045") == []
