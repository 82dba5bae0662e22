"""order numbers searchable by any part on PostgreSQL: a pg_trgm index (nothing on SQLite)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_production_orders_number_trigrams"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # In `public` unless it is there already: an extension belongs to the database, and one
    # made in a schema of its own would go with that schema (and every index using it).
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    schema = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
        )
        .scalar_one()
    )
    op.create_index(
        INDEX,
        "production_orders",
        ["number"],
        postgresql_using="gin",
        postgresql_ops={"number": f"{schema}.gin_trgm_ops"},
    )


def downgrade() -> None:
    # the extension stays: other schemas and programs of the database may use it
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="production_orders")
