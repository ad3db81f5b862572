"""keep each interview's reference code (TX-XXXX-XXXX, derived from its id), indexed, so the clinician list finds
it, and its leading cause at the latest step (from its result, for interviews stored before)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _reference(interview_id: str) -> str:
    """As `thighdx.web.interviews.reference_code` (copied: a migration keeps the code it ran with)."""
    number = int.from_bytes(hashlib.sha256(interview_id.encode()).digest()[:5], "big")
    letters = "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"TX-{letters[:4]}-{letters[4:]}"


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(12), nullable=True))
        batch_op.create_index("ix_interviews_reference", ["reference"])
        batch_op.add_column(sa.Column("top_condition", sa.String(80), nullable=True))
    interviews = sa.table("interviews", sa.column("id", sa.String), sa.column("reference", sa.String))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.select(interviews.c.id))]
    for start in range(0, len(ids), 500):
        connection.execute(interviews.update().where(interviews.c.id == sa.bindparam("key")).values(reference=sa.bindparam("code")),
                           [{"key": i, "code": _reference(i)} for i in ids[start:start + 500]])
    op.execute("UPDATE interviews SET top_condition = (SELECT results.top_condition FROM results WHERE results.interview_id = interviews.id)")


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.drop_column("top_condition")
        batch_op.drop_index("ix_interviews_reference")
        batch_op.drop_column("reference")
