"""outbox workspace: the chat workspace (or org) each queued message and digest goes to

Installed in several workspaces, a message is sent with the token of the one it belongs to,
and a digest subscription posts in the workspace it was asked in.
Empty for the messages of a single-token install, which keep working as before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("outbox", "digest_subscriptions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("enterprise_id", sa.String(32), nullable=True))
            batch.add_column(sa.Column("team_id", sa.String(32), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("team_id")
            batch.drop_column("enterprise_id")
