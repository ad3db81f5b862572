"""keep with each interview the knowledge base that gave its latest step (human version and content hash)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.add_column(sa.Column("kb_version", sa.String(40), nullable=True))
        batch_op.add_column(sa.Column("kb_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.drop_column("kb_hash")
        batch_op.drop_column("kb_version")
