"""release workspace: the chat workspace (or org) each release was asked in

Installed in several workspaces, what a release posts later (its result, papers, printing
notes, the update when it is undone) goes with the token of the workspace it came from,
wherever the undo is asked. Empty for releases of the command line and of a single-token
install.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("releases") as batch:
        batch.add_column(sa.Column("enterprise_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("team_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("releases") as batch:
        batch.drop_column("team_id")
        batch.drop_column("enterprise_id")
