"""order numbers searchable by any part on SQLite: an FTS5 trigram index kept by triggers

PostgreSQL has its pg_trgm index (0005); SQLite has no index for a part of a value, and a
walk of the urgency index over every scheduled order takes 0.1 s at 1,000,000 orders.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the table is domain.model.ORDER_NUMBER_TRIGRAMS; its rowid is the order's id
CREATE = (
    "CREATE VIRTUAL TABLE order_number_trigrams USING fts5("
    "number, tokenize = 'trigram', content = 'production_orders', content_rowid = 'id')",
    """CREATE TRIGGER order_number_trigrams_insert AFTER INSERT ON production_orders BEGIN
        INSERT INTO order_number_trigrams (rowid, number) VALUES (new.id, new.number);
    END""",
    """CREATE TRIGGER order_number_trigrams_delete AFTER DELETE ON production_orders BEGIN
        INSERT INTO order_number_trigrams (order_number_trigrams, rowid, number)
        VALUES ('delete', old.id, old.number);
    END""",
    """CREATE TRIGGER order_number_trigrams_update AFTER UPDATE OF number ON production_orders
    BEGIN
        INSERT INTO order_number_trigrams (order_number_trigrams, rowid, number)
        VALUES ('delete', old.id, old.number);
        INSERT INTO order_number_trigrams (rowid, number) VALUES (new.id, new.number);
    END""",
    "INSERT INTO order_number_trigrams (order_number_trigrams) VALUES ('rebuild')",
)
DROP = (
    "DROP TRIGGER order_number_trigrams_insert",
    "DROP TRIGGER order_number_trigrams_delete",
    "DROP TRIGGER order_number_trigrams_update",
    "DROP TABLE order_number_trigrams",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in CREATE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DROP:
            op.execute(statement)
