"""The migrations build exactly the schema the model describes, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, inspect, text
from sqlalchemy.orm import Session

from domain.db import current_revision, downgrade, make_engine, upgrade
from domain.model import LIBRARY_TABLES, ORDER_NUMBER_TRIGRAMS, Base, on_dialect
from domain.queries import OrderFilter, search_orders
from tests.builders import Plant

TRIGRAMS = "ix_production_orders_number_trigrams"


def _differences(engine: Engine) -> list[object]:
    """What the model has that the database does not, or the other way round."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": on_dialect(connection.dialect.name)}
        )
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_model(engine: Engine) -> None:
    assert _differences(engine) == []


def _order_indexes(engine: Engine) -> set[str]:
    return {index["name"] or "" for index in inspect(engine).get_indexes("production_orders")}


def test_the_trigram_index_comes_and_goes_on_postgresql_only(engine: Engine) -> None:
    on_postgresql = engine.dialect.name == "postgresql"
    assert (TRIGRAMS in _order_indexes(engine)) is on_postgresql

    downgrade(engine, "0004")
    assert TRIGRAMS not in _order_indexes(engine)
    assert current_revision(engine) == "0004"

    upgrade(engine)
    assert (TRIGRAMS in _order_indexes(engine)) is on_postgresql
    assert _differences(engine) == []


def test_postgresql_searches_a_part_of_an_order_number_in_the_trigram_index(
    postgres_url: str,
) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)
    with engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # an empty table: else a scan
        plan = connection.execute(
            text("EXPLAIN SELECT id FROM production_orders WHERE number LIKE '%1234%'")
        ).scalars()
        assert TRIGRAMS in "\n".join(plan)
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_trigram_table_comes_and_goes_on_sqlite_only(engine: Engine) -> None:
    on_sqlite = engine.dialect.name == "sqlite"
    assert (ORDER_NUMBER_TRIGRAMS in _tables(engine)) is on_sqlite

    downgrade(engine, "0005")
    assert not {name for name in _tables(engine) if name.startswith(ORDER_NUMBER_TRIGRAMS)}

    upgrade(engine)
    assert (ORDER_NUMBER_TRIGRAMS in _tables(engine)) is on_sqlite
    assert _differences(engine) == []


def test_orders_there_before_the_trigram_table_are_in_it(tmp_path: Path) -> None:
    """Upgrading an SQLite file with orders fills the table (their numbers are searchable)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'orders.db'}")
    upgrade(engine, "0005")
    added = 6
    with Session(engine) as session, session.begin():  # orders only: later tables may differ
        plant = Plant(session)
        for _ in range(added):
            plant.order()
    upgrade(engine)
    with Session(engine) as session:
        orders, total = search_orders(session, OrderFilter(), "P0000", added)
    assert added > 1 and total == len(orders) == added
    engine.dispose()


def _library_differences(engine: Engine) -> list[object]:
    """What slack_sdk's installation and state stores define that migration 0010 does not
    build, or the other way round (their tables only)."""
    installations = SQLAlchemyInstallationStore("client", engine)
    states = SQLAlchemyOAuthStateStore(600, engine)
    library = MetaData()
    for table in (*installations.metadata.tables.values(), *states.metadata.tables.values()):
        table.to_metadata(library)
    assert set(library.tables) == LIBRARY_TABLES

    def theirs(_: object, name: str | None, kind: str, reflected: bool, __: object) -> bool:
        return kind != "table" or name in LIBRARY_TABLES

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": theirs})
        return list(compare_metadata(context, library))


def test_the_install_flow_tables_are_the_ones_slack_sdk_uses(engine: Engine) -> None:
    assert _tables(engine) >= LIBRARY_TABLES
    assert _library_differences(engine) == []

    downgrade(engine, "0009")
    assert not LIBRARY_TABLES & _tables(engine)
    upgrade(engine)
    assert _library_differences(engine) == []
    assert _differences(engine) == []
