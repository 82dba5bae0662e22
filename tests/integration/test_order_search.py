"""The order search takes what a person types as text: no wildcards, no NUL for the database."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from domain.queries import OrderFilter, order_summaries, search_orders
from tests.builders import Plant


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
