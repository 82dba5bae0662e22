"""the orders' urgency index: the awaiting-release listing and order search from the index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

URGENCY: list[str | sa.TextClause] = [
    "status",
    sa.text("(scheduled_start IS NULL)"),
    "scheduled_start",
    "priority",
    "number",
    "item_id",
    "site_id",
    "warehouse_id",
]


def upgrade() -> None:
    op.drop_index("ix_production_orders_status_start", table_name="production_orders")
    op.create_index("ix_production_orders_urgency", "production_orders", URGENCY)


def downgrade() -> None:
    op.drop_index("ix_production_orders_urgency", table_name="production_orders")
    op.create_index(
        "ix_production_orders_status_start",
        "production_orders",
        ["status", "scheduled_start", "priority"],
    )
