"""links from interviews to patients in an EHR (FHIR server base URL and Patient id), deleted with the interview

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_links",
        sa.Column("interview_id", sa.String(32), sa.ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fhir_server", sa.String(500), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(12), nullable=False),
        sa.Column("clinician_id", sa.Integer(), sa.ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_patient_links_patient", "patient_links", ["fhir_server", "patient_id"])


def downgrade() -> None:
    op.drop_index("ix_patient_links_patient", table_name="patient_links")
    op.drop_table("patient_links")
