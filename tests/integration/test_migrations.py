"""The migrations build exactly the schema the model describes, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from domain.db import current_revision, downgrade, make_engine, upgrade
from domain.model import Base, on_dialect

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
