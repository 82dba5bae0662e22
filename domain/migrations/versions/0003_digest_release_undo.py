"""digest subscriptions and runs, release undos, release requester

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 06:36:21.514418
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("schedule", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("horizon_hours", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=20), nullable=True),
        sa.Column("all_clear", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("ended_by", sa.String(length=100), nullable=True),
        sa.Column("ended_at", domain.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_subscriptions")),
    )
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digest_subscriptions_channel_id"), ["channel_id"], unique=False
        )

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("slot_at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["digest_subscriptions.id"],
            name=op.f("fk_digest_runs_subscription_id_digest_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint(
            "subscription_id", "slot_at", name=op.f("uq_digest_runs_subscription_id")
        ),
    )
    op.create_table(
        "release_undos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.String(length=100), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name=op.f("fk_release_undos_release_id_releases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_undos")),
    )
    with op.batch_alter_table("release_undos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_release_undos_release_id"), ["release_id"], unique=False
        )

    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requester_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.drop_column("requester_id")

    with op.batch_alter_table("release_undos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_undos_release_id"))

    op.drop_table("release_undos")
    op.drop_table("digest_runs")
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_subscriptions_channel_id"))

    op.drop_table("digest_subscriptions")
