"""Tables: interviews, their answers (append-only), results, clinicians, tokens, audit log, rate limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Interview(Base):
    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    age: Mapped[float] = mapped_column(Float)
    sex: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(12), default="open")
    triage_level: Mapped[str | None] = mapped_column(String(24), nullable=True)
    asking: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    """The finding ids of the question being asked (comma-separated), set whenever the answers change."""
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The person's own words at the start, as written (shown to the clinician and in the doctor's summary)."""
    kb_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """The human version of the knowledge base that gave the latest step (`knowledge/data/version.yaml`)."""
    kb_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The content hash (SHA-256) of that knowledge base's files."""
    reference: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    """The reference code (`TX-XXXX-XXXX`, derived from the id) the clinician list is searched by."""
    top_condition: Mapped[str | None] = mapped_column(String(80), nullable=True)
    """The leading cause at the latest step (finished or not), shown in the clinician list."""
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many times its answers changed (given or withdrawn): an answer is stored only if this is
    still the version its step was worked out from, so the step is worked out outside the write."""


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("interview_id", "seq", name="uq_answers_interview_seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    finding_id: Mapped[str] = mapped_column(String(80))
    choice_id: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Result(Base):
    __tablename__ = "results"

    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(4))
    triage_level: Mapped[str] = mapped_column(String(24))
    top_condition: Mapped[str | None] = mapped_column(String(80), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class Clinician(Base):
    __tablename__ = "clinicians"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str] = mapped_column(String(16), default="clinician", server_default="clinician")
    """`clinician` (sees interviews) or `auditor` (reads the audit log)."""


class ClinicianToken(Base):
    __tablename__ = "clinician_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """Append-only: the code only adds rows, and database triggers refuse an update or a delete."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(16))
    interview_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """What the action was about besides an interview (the account a lock was lifted from)."""


class RateCounter(Base):
    __tablename__ = "rate_limits"

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    window: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SigninThrottle(Base):
    """Failed sign-ins of one account or one client (keyed by a hash: no user name or address stored)."""

    __tablename__ = "signin_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """No sign-in to this account (or from this client) before then: the growing delay."""
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
