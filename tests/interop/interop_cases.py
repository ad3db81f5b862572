"""Helpers of the interoperability tests: the public cases as interviews, the live server class."""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from thighdx.interop.bundle import InterviewRecord
from thighdx.interview import Interview
from thighdx.knowledge.loader import KnowledgeBase

_spec = importlib.util.spec_from_file_location("thighdx_web_fixtures", Path(__file__).resolve().parents[1] / "web" / "conftest.py")
assert _spec and _spec.loader
web_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_fixtures)
Server = web_fixtures.Server


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def case_record(kb: KnowledgeBase, case: dict[str, Any]) -> InterviewRecord:
    """The case as a stored interview would hold it: its text read first (source `text`), then
    the engine's questions answered from its evidence ('unknown' when not listed) until it stops."""
    interview = Interview.start(kb, case["age"], case["sex"], "en", case.get("text"))
    readings = [(f, c, "text") for f, c in interview.evidence.answers.items() if f in interview.evidence.text]
    answers: list[tuple[str, str, str]] = []
    step = interview.step()
    for _ in range(60):
        if step.question is None or step.should_stop:
            break
        for finding in (step.question.finding, *step.question.items):
            if not interview.evidence.answered(finding):
                choice = case["evidence"].get(finding, "unknown")
                step = interview.answer(finding, choice)
                answers.append((finding, choice, "question"))
                break
    return InterviewRecord(id=case["id"], reference="TX-TEST-0000", created_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
                           age=float(case["age"]), sex=case["sex"], language="en", answers=[*readings, *answers])


PATIENT = {"resourceType": "Patient", "id": "1288992", "gender": "male", "birthDate": "1970-08-04"}


def hook_request(**changes: Any) -> dict[str, Any]:
    """Shaped like the CDS Hooks 2.0 specification's patient-view example."""
    body: dict[str, Any] = {
        "hookInstance": str(uuid.uuid4()),
        "fhirServer": "http://127.0.0.1:9/r4",
        "hook": "patient-view",
        "fhirAuthorization": {"access_token": "some-opaque-fhir-access-token", "token_type": "Bearer", "expires_in": 300,
                              "scope": "user/Patient.read user/Observation.read", "subject": "cds-service4"},
        "context": {"userId": "Practitioner/example", "patientId": "1288992", "encounterId": "89284"},
        "prefetch": {"patient": PATIENT},
    }
    body.update(changes)
    return body
