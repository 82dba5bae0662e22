"""erp_order_versions: the ERP's write date of each order of the read copy

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erp_order_versions",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_orders.id"],
            name=op.f("fk_erp_order_versions_order_id_production_orders"),
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_erp_order_versions")),
    )


def downgrade() -> None:
    op.drop_table("erp_order_versions")
