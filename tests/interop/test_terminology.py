"""The code check fails on an invented code system URL or a code the knowledge base does not carry,
and the knowledge base's codes reach FHIR labelled by system."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from thighdx.interop.bundle import InterviewRecord, interview_bundle
from thighdx.interop.codes import ICD10_CM, ICD10_WHO, SNOMED, system_url
from thighdx.interop.terminology import coding_problems, codings


def bundle(kb) -> dict:  # type: ignore[no-untyped-def, type-arg]
    record = InterviewRecord("t", "TX-TEST-0002", datetime(2026, 11, 30, tzinfo=UTC), 30, "male", "en",
                             [("sudden_onset", "present", "text"), ("popping_sensation", "present", "question")])
    return json.loads(interview_bundle(kb, record).model_dump_json(exclude_none=True))


def outcome_codings(data: dict) -> list[dict]:  # type: ignore[type-arg]
    risk = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    return [c for p in risk["prediction"] for c in p["outcome"]["coding"]]


def test_the_built_bundle_has_no_code_problem(kb) -> None:  # type: ignore[no-untyped-def]
    assert coding_problems(kb, bundle(kb)) == []


def test_an_invented_code_system_url_is_caught(kb) -> None:  # type: ignore[no-untyped-def]
    data = bundle(kb)
    outcome_codings(data)[0]["system"] = "http://snomed.example.org/sct"
    problems = coding_problems(kb, data)
    assert len(problems) == 1 and "http://snomed.example.org/sct" in problems[0]
    data = bundle(kb)
    observation = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation")
    observation["code"]["coding"][0]["system"] = "https://thighdx.org/fhir/CodeSystem/thighdx-symptoms"
    assert any("thighdx-symptoms" in p for p in coding_problems(kb, data))


def test_a_code_not_in_the_knowledge_base_is_caught(kb) -> None:  # type: ignore[no-untyped-def]
    for system, code in ((SNOMED, "22298006"), (ICD10_WHO, "I21.9"), (ICD10_CM, "S76.112A"),
                         (system_url("thighdx-findings"), "invented_finding"), (system_url("thighdx-triage"), "urgent")):
        data = bundle(kb)
        target = next(c for _, c in codings(data) if c["system"] == system)
        target["code"] = code
        problems = coding_problems(kb, data)
        assert problems and code in problems[0], (system, code)
    data = bundle(kb)
    outcome_codings(data)[0]["display"] = "Something else entirely"
    assert any("display" in p for p in coding_problems(kb, data))


def test_outcomes_carry_each_condition_s_three_codes_labelled_by_system(kb) -> None:  # type: ignore[no-untyped-def]
    data = bundle(kb)
    risk = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    by_name = {p["outcome"]["text"]: p["outcome"]["coding"] for p in risk["prediction"]}
    for condition in kb.conditions.values():
        found = by_name[condition.name.en]
        assert [(c["system"], c["code"]) for c in found] == [
            (SNOMED, condition.codes.snomed.code), (ICD10_WHO, condition.codes.icd10_who.code), (ICD10_CM, condition.codes.icd10_cm.code)]
    snomed = {c.id: c.codes.snomed.code for c in kb.conditions.values()}
    if {"piriformis_syndrome", "sciatica"} <= snomed.keys():
        assert snomed["piriformis_syndrome"] != snomed["sciatica"]
    pairs = {c.id: (c.codes.snomed.code, c.codes.icd10_cm.code) for c in kb.conditions.values()}
    if {"hamstring_strain", "proximal_hamstring_avulsion"} <= pairs.keys():
        strain, avulsion = pairs["hamstring_strain"], pairs["proximal_hamstring_avulsion"]
        assert strain[0] != avulsion[0] or strain[1] != avulsion[1]
