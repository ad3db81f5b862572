"""Every Bundle, Questionnaire, CodeSystem and SDC answer made from the public cases validates with
fhir.resources' R4B models and against the official R4 JSON schema, and uses only codes thighdx may use."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from interop_cases import case_record
from r4schema import r4_errors

from thighdx.interop.bundle import interview_bundle
from thighdx.interop.codes import ANSWER_SOURCE, CHOICES, GENDER, ICD10_CM, ICD10_WHO, OWN_SYSTEMS, SNOMED, TRIAGE, system_url
from thighdx.interop.codesystem import code_system
from thighdx.interop.questionnaire import questionnaire
from thighdx.interop.sdc import next_question
from thighdx.interop.terminology import coding_problems


def as_json(resource: Any) -> dict[str, Any]:
    return json.loads(resource.model_dump_json(exclude_none=True))


def valid_r4(kb, data: dict[str, Any], model: type) -> None:  # type: ignore[no-untyped-def]
    model.model_validate(data)  # fhir.resources' R4B model (R4-compatible for these resources)
    assert r4_errors(data) == []  # the official R4 JSON schema
    assert coding_problems(kb, data) == []


def test_fhir_resources_has_r4b_models_not_r4() -> None:
    import fhir.resources

    assert fhir.resources.__fhir_version__.startswith("5.")
    import fhir.resources.R4B

    with pytest.raises(ImportError):
        __import__("fhir.resources.R4.bundle")


def test_every_public_case_bundle_validates(kb, public_cases) -> None:  # type: ignore[no-untyped-def]
    for case in public_cases:
        record = case_record(kb, case)
        data = as_json(interview_bundle(kb, record))
        valid_r4(kb, data, Bundle)
        resources = [e["resource"] for e in data["entry"]]
        kinds = [r["resourceType"] for r in resources]
        assert kinds[:2] == ["Patient", "QuestionnaireResponse"] and kinds[-4:] == ["Device", "RiskAssessment", "ClinicalImpression", "Provenance"], case["id"]

        qr = resources[1]
        answered = [i for i in qr["item"] if i["linkId"] not in ("age", "sex")]
        assert [i["linkId"] for i in answered] == [f for f, _, _ in record.answers], case["id"]
        for item, (_, choice, source) in zip(answered, record.answers, strict=True):
            answer = item["answer"][0]
            assert answer["valueCoding"]["code"] == choice
            assert answer["extension"] == [{"url": ANSWER_SOURCE, "valueCode": "text" if source == "text" else "answer"}]

        final = {f: c for f, c, _ in record.answers}
        observed = {o["code"]["coding"][0]["code"]: o["valueBoolean"] for o in resources
                    if o["resourceType"] == "Observation" and "valueBoolean" in o}
        assert observed == {f: c == "present" for f, c in final.items() if c in ("present", "absent")}, case["id"]

        risk = resources[-3]
        assert len(risk["prediction"]) == len(kb.conditions)
        for prediction in risk["prediction"]:
            systems = [c["system"] for c in prediction["outcome"]["coding"]]
            assert systems == [SNOMED, ICD10_WHO, ICD10_CM]
            assert 0 <= prediction["probabilityDecimal"] <= 1 and prediction["rationale"]
        other = float(risk["note"][0]["text"].rsplit(" ", 1)[1])  # "Something else: p"
        assert abs(sum(p["probabilityDecimal"] for p in risk["prediction"]) + other - 1) < 0.005

        impression = resources[-2]
        level = impression["prognosisCodeableConcept"][0]["coding"][0]
        assert level["system"] == system_url(TRIAGE) and level["code"] == case_triage(kb, record)
        urls = {e["fullUrl"] for e in data["entry"]}
        references = [v for _, v in walk(impression) if _ == "reference"]
        assert references and set(references) <= urls, case["id"]


def case_triage(kb, record) -> str:  # type: ignore[no-untyped-def]
    from thighdx.interop.bundle import core_interview

    return core_interview(kb, record).step().triage.level


def walk(node: Any) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((key, value))
            found += walk(value)
    elif isinstance(node, list):
        for value in node:
            found += walk(value)
    return found


def test_wells_score_is_an_observation_with_its_items_as_components(kb) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from thighdx.interop.bundle import InterviewRecord

    answers = [("whole_leg_swollen", "present", "question"), ("previous_dvt_or_pe", "present", "question"),
               ("active_cancer", "absent", "question")]
    record = InterviewRecord("w", "TX-TEST-0001", datetime(2026, 11, 30, tzinfo=UTC), 60, "female", "en", answers)
    data = as_json(interview_bundle(kb, record))
    valid_r4(kb, data, Bundle)
    wells = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
                 and e["resource"]["code"]["coding"][0]["code"] == "wells_dvt")
    definition = next(s for s in kb.scores.scores if s.id == "wells_dvt")
    assert len(wells["component"]) == len(definition.items)
    assert wells["valueQuantity"]["value"] == sum(c["valueQuantity"]["value"] for c in wells["component"])


def test_questionnaire_and_code_systems_validate(kb) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "tr"):
        data = as_json(questionnaire(kb, language))
        valid_r4(kb, data, Questionnaire)
        assert [i["linkId"] for i in data["item"]] == ["age", "sex", *kb.findings]
    for system_id in OWN_SYSTEMS:
        data = as_json(code_system(kb, system_id))
        valid_r4(kb, data, CodeSystem)
        assert data["url"] == system_url(system_id)
    findings = as_json(code_system(kb, "thighdx-findings"))
    assert {c["code"] for c in findings["concept"]} == set(kb.findings)


def answer_for(item: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    link = item["linkId"]
    if link == "age":
        return {"linkId": link, "answer": [{"valueDecimal": case["age"]}]}
    if link == "sex":
        return {"linkId": link, "answer": [{"valueCoding": {"system": GENDER, "code": case["sex"]}}]}
    choice = case["evidence"].get(link, "unknown")
    return {"linkId": link, "answer": [{"valueCoding": {"system": system_url(CHOICES), "code": choice}}]}


def run_sdc(kb, case: dict[str, Any], check) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Fill the adaptive form for a case; `check` sees every answer of $next-question."""
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "in-progress", "language": "en"}
    for _ in range(80):
        response = check(response)
        if response["status"] == "completed":
            return response
        items = next(c for c in response["contained"] if c["resourceType"] == "Questionnaire")["item"]
        done = {i["linkId"] for i in response.get("item", [])}
        new = [answer_for(i, case) for i in items if i["linkId"] not in done]
        assert new, "no new item to answer while in progress"
        response["item"] = [*response.get("item", []), *new]
    raise AssertionError("the adaptive form did not finish")


def test_every_public_case_runs_as_an_adaptive_sdc_form(kb, public_cases) -> None:  # type: ignore[no-untyped-def]
    def check(body: dict[str, Any]) -> dict[str, Any]:
        data = as_json(next_question(kb, body))
        valid_r4(kb, data, QuestionnaireResponse)
        defined = {i["linkId"] for i in data["contained"][0]["item"]}
        assert {i["linkId"] for i in data.get("item", [])} <= defined  # every answer's item is defined
        return data

    for case in public_cases:
        final = run_sdc(kb, case, check)
        asked = [i["linkId"] for i in final["item"]]
        assert asked[:2] == ["age", "sex"] and len(asked) > 3, case["id"]


def test_sdc_step_is_the_diagnosis_step(kb, public_cases) -> None:  # type: ignore[no-untyped-def]
    """The item $next-question adds is the question POST /api/v1/diagnosis would ask for the same answers."""
    from thighdx.web.service import diagnosis

    case = public_cases[0]
    seen: list[tuple[list[str], list[str]]] = []

    def check(body: dict[str, Any]) -> dict[str, Any]:
        data = as_json(next_question(kb, body))
        before = {i["linkId"] for c in body.get("contained", []) for i in c.get("item", [])}
        added = [i["linkId"] for c in data["contained"] for i in c["item"] if i["linkId"] not in before]
        answers = [(i["linkId"], i["answer"][0]["valueCoding"]["code"], "answer") for i in body.get("item", [])
                   if i["linkId"] not in ("age", "sex")]
        if "sex" in {i["linkId"] for i in body.get("item", [])}:
            step = diagnosis(kb, case["age"], case["sex"], "en", answers)
            expected = [] if step["should_stop"] or step["question"] is None else [
                step["question"]["id"], *[i["id"] for i in step["question"].get("items", [])]]
            seen.append((added, expected))
        return data

    run_sdc(kb, case, check)
    assert seen and all(added == expected for added, expected in seen)


def test_answers_given_without_a_contained_questionnaire_get_their_items(kb) -> None:  # type: ignore[no-untyped-def]
    body = {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": [
        {"linkId": "age", "answer": [{"valueDecimal": 34}]},
        {"linkId": "sex", "answer": [{"valueCoding": {"system": GENDER, "code": "female"}}]},
        {"linkId": "chest_pain", "answer": [{"valueCoding": {"system": system_url(CHOICES), "code": "absent"}}]}]}
    data = as_json(next_question(kb, body))
    valid_r4(kb, data, QuestionnaireResponse)
    links = [i["linkId"] for i in data["contained"][0]["item"]]
    assert links[:3] == ["age", "sex", "chest_pain"] and len(links) > 3 and data["questionnaire"] == "#thighdx-adaptive"
    adaptive = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive"
    assert data["contained"][0]["extension"] == [{"url": adaptive, "valueBoolean": True}]


@pytest.mark.parametrize("body, field", [
    ([], "body"),
    ({"resourceType": "Patient"}, "resourceType"),
    ({"resourceType": "QuestionnaireResponse"}, "status"),
    ({"resourceType": "QuestionnaireResponse", "status": "in-progress", "language": "fr"}, "language"),
    ({"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": [{"linkId": "nope", "answer": [{"valueBoolean": True}]}]},
     "item[nope]"),
    ({"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": [{"linkId": "age", "answer": [{"valueDecimal": 400}]}]},
     "item[age].answer"),
    ({"resourceType": "Parameters", "parameter": []}, "parameter"),
])
def test_bad_sdc_input_names_its_field(kb, body, field) -> None:  # type: ignore[no-untyped-def]
    from thighdx.errors import InputError

    with pytest.raises(InputError) as caught:
        next_question(kb, body)
    assert caught.value.field == field


def test_the_bundle_names_the_software_and_knowledge_base_that_made_it(kb, public_cases) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from thighdx import __version__
    from thighdx.interop.codes import KNOWLEDGE_BASE_HASH
    from thighdx.knowledge.provenance import kb_provenance

    record = case_record(kb, public_cases[0])
    data = as_json(interview_bundle(kb, record))
    valid_r4(kb, data, Bundle)
    resources = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    device_url, device = next((u, r) for u, r in resources.items() if r["resourceType"] == "Device")
    knowledge = kb_provenance(kb)
    versions = {v["type"]["text"]: v["value"] for v in device["version"]}
    assert versions["software"] == __version__
    assert knowledge["hash"] in versions["knowledge base"] and knowledge["version"] in versions["knowledge base"]
    risk_url, risk = next((u, r) for u, r in resources.items() if r["resourceType"] == "RiskAssessment")
    assert risk["performer"]["reference"] == device_url
    provenance = next(r for r in resources.values() if r["resourceType"] == "Provenance")
    assert {t["reference"] for t in provenance["target"]} >= {risk_url}
    assert provenance["agent"][0]["who"]["reference"] == device_url
    assert len(provenance["entity"]) == 1  # answered under the knowledge base computing now: nothing more to say

    older = replace(record, answered_under={"version": "2026.11", "hash": "0" * 64})
    entities = next(e["resource"]["entity"] for e in as_json(interview_bundle(kb, older))["entry"]
                    if e["resource"]["resourceType"] == "Provenance")
    assert any(e.get("what", {}).get("identifier", {}) == {"system": KNOWLEDGE_BASE_HASH, "value": "0" * 64} for e in entities)
