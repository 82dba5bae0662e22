"""the printer queues a person chose last time, offered again next time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("print_preferences") as batch:
        batch.add_column(sa.Column("printers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("print_preferences") as batch:
        batch.drop_column("printers")
