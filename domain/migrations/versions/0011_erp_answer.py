"""release_results.erp_answer: an ERP's picking works and shortages for a released order

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("release_results", sa.Column("erp_answer", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("release_results", "erp_answer")
