"""Interviews linked to EHR patients: (interview, FHIR server base URL, Patient id).

A link is made when an interview starts from a CDS card's signed launch (thighdx.interop.launch),
or by a clinician over the API (audited `link` / `unlink`). The patient-view service reads back
the latest assessed interview linked to the patient in the hook's context. Links go with their
interview (foreign key cascade, the person's own delete and the retention purge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thighdx.errors import NotFound
from thighdx.interop.launch import Launch, fhir_server_key, patient_key
from thighdx.store import Store
from thighdx.store.links import PatientLink
from thighdx.store.models import Interview, Result


@dataclass(frozen=True)
class LinkedAssessment:
    """The latest assessment of an interview linked to a patient (what the patient-view card shows)."""

    interview_id: str
    assessed_at: datetime
    triage_level: str
    top_condition: str | None
    top_probability: float | None
    red_flags: list[str]


def add_link(session: Session, interview_id: str, fhir_server: str, patient_id: str, via: str,
             clinician_id: int | None = None, now: datetime | None = None) -> PatientLink:
    """Link the interview to the patient (replacing an earlier link of it), in the caller's transaction."""
    from thighdx.web.interviews import now as utc_now  # one clock for every stored time

    server, patient = fhir_server_key(fhir_server), patient_key(patient_id)
    existing = session.get(PatientLink, interview_id)
    moment = now or utc_now()
    if existing is None:
        existing = PatientLink(interview_id=interview_id, fhir_server=server, patient_id=patient, linked_at=moment,
                               via=via, clinician_id=clinician_id)
        session.add(existing)
    else:
        existing.fhir_server, existing.patient_id, existing.linked_at = server, patient, moment
        existing.via, existing.clinician_id = via, clinician_id
    return existing


def link_dict(link: PatientLink) -> dict[str, Any]:
    from thighdx.web.interviews import aware

    return {"interview_id": link.interview_id, "fhirServer": link.fhir_server, "patientId": link.patient_id,
            "linked_at": aware(link.linked_at).isoformat(), "via": link.via}


def _interview(session: Session, interview_id: str) -> Interview:
    row = session.get(Interview, interview_id) if isinstance(interview_id, str) else None
    if row is None:
        raise NotFound("interview_id: interview not found")
    return row


def link_by_clinician(store: Store, clinician_id: int, interview_id: str, fhir_server: str, patient_id: str) -> dict[str, Any]:
    """A clinician links an interview to a patient (audited `link`, naming the patient)."""
    from thighdx.web.clinicians import _audit

    server, patient = fhir_server_key(fhir_server), patient_key(patient_id)
    with store.write() as session:
        _interview(session, interview_id)
        link = add_link(session, interview_id, server, patient, "clinician", clinician_id)
        _audit(session, clinician_id, "link", interview_id, detail=f"{server} Patient/{patient}"[:200])
        return link_dict(link)


def unlink_by_clinician(store: Store, clinician_id: int, interview_id: str) -> None:
    """A clinician removes an interview's link (audited `unlink`); NotFound when it has none."""
    from thighdx.web.clinicians import _audit

    with store.write() as session:
        _interview(session, interview_id)
        link = session.get(PatientLink, interview_id)
        if link is None:
            raise NotFound("interview_id: the interview is not linked to a patient")
        detail = f"{link.fhir_server} Patient/{link.patient_id}"[:200]
        session.execute(delete(PatientLink).where(PatientLink.interview_id == interview_id))
        _audit(session, clinician_id, "unlink", interview_id, detail=detail)


def read_link(store: Store, clinician_id: int, interview_id: str) -> dict[str, Any]:
    """An interview's link, read by a clinician (audited `link_read`); NotFound when it has none."""
    from thighdx.web.clinicians import _audit

    with store.write() as session:
        _interview(session, interview_id)
        link = session.get(PatientLink, interview_id)
        if link is None:
            raise NotFound("interview_id: the interview is not linked to a patient")
        _audit(session, clinician_id, "link_read", interview_id)
        return link_dict(link)


def latest_assessment(store: Store, fhir_server: str, patient_id: str) -> LinkedAssessment | None:
    """The most recently assessed interview linked to this patient of this FHIR server, or None."""
    from thighdx.web.interviews import aware

    try:
        server, patient = fhir_server_key(fhir_server), patient_key(patient_id)
    except ValueError:
        return None
    query = (select(Result).join(PatientLink, PatientLink.interview_id == Result.interview_id)
             .where(PatientLink.fhir_server == server, PatientLink.patient_id == patient)
             .order_by(Result.created_at.desc(), Result.interview_id).limit(1))
    with store.read() as session:
        result = session.scalars(query).first()
        if result is None:
            return None
        data: dict[str, Any] = result.data if isinstance(result.data, dict) else {}
        triage: dict[str, Any] = data["triage"] if isinstance(data.get("triage"), dict) else {}
        conditions = [c for c in data.get("conditions") or [] if isinstance(c, dict)]
        top = conditions[0] if conditions else {}
        probability = top.get("probability")
        return LinkedAssessment(
            interview_id=result.interview_id, assessed_at=aware(result.created_at), triage_level=result.triage_level,
            top_condition=result.top_condition,
            top_probability=float(probability) if isinstance(probability, (int, float)) else None,
            red_flags=[str(f) for f in triage.get("red_flags") or []])


def link_launched(store: Store, interview_id: str, launch: Launch) -> None:
    """Link an interview just started from a verified launch value to the patient it names."""
    with store.write() as session:
        add_link(session, interview_id, launch.fhir_server, launch.patient_id, "launch")
