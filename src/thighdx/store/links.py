"""The table of interviews linked to patients in an EHR (kept beside thighdx.store.models, on the same metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from thighdx.store.models import Base


class PatientLink(Base):
    """An interview linked to a patient in an EHR: the EHR's FHIR server base URL and the Patient id
    there (from a signed CDS Hooks launch, or set by a clinician). Deleted with the interview."""

    __tablename__ = "patient_links"
    __table_args__ = (Index("ix_patient_links_patient", "fhir_server", "patient_id"),)

    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True)
    fhir_server: Mapped[str] = mapped_column(String(500))
    """The FHIR server's base URL, without a trailing slash."""
    patient_id: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    via: Mapped[str] = mapped_column(String(12))
    """`launch` (started from a CDS card's signed link) or `clinician` (set over the API)."""
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True)
