"""The adaptive interview as FHIR SDC `$next-question`.

The form filler sends a QuestionnaireResponse (bare, or as the `questionnaire-response` part of a
Parameters resource) whose `contained` Questionnaire holds the items asked so far; thighdx reads
the answers, runs the same engine step as POST /api/v1/diagnosis (`Interview.resume(...).step()`)
and answers the QuestionnaireResponse with the next item(s) appended to the contained
Questionnaire (`in-progress`), or with no new item and status `completed` once the interview
would stop. Age and sex are asked first when missing.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from thighdx.errors import InputError
from thighdx.interop.codes import ANSWER_SOURCE, CHOICES, GENDER, questionnaire_url, system_url
from thighdx.interop.questionnaire import AGE, SEX, finding_item, person_items
from thighdx.interview import LANGUAGES, Interview
from thighdx.knowledge.loader import KnowledgeBase

CONTAINED_ID = "thighdx-adaptive"
ADAPTIVE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive"
"""SDC's mark of an adaptive Questionnaire (valueBoolean true)."""
ADAPTIVE_CHOICES = ("present", "absent", "unknown")


def _fail(where: str, message: str) -> InputError:
    return InputError(where, message)


def _questionnaire_response(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _fail("body", "send a QuestionnaireResponse (or a Parameters resource holding one) as a JSON object")
    kind = body.get("resourceType")
    if kind == "Parameters":
        for part in body.get("parameter") or []:
            if isinstance(part, dict) and part.get("name") == "questionnaire-response" and isinstance(part.get("resource"), dict):
                return _questionnaire_response(part["resource"])
        raise _fail("parameter", "the Parameters resource has no 'questionnaire-response' part with a resource")
    if kind != "QuestionnaireResponse":
        raise _fail("resourceType", f"must be 'QuestionnaireResponse' or 'Parameters', got {kind!r}")
    return body


def _flat(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        out.append(item)
        out += _flat(item.get("item") or [])
        for answer in item.get("answer") or []:
            out += _flat(answer.get("item") or [])
    return out


def _choice(kb: KnowledgeBase, link: str, answer: dict[str, Any]) -> str:
    if "valueBoolean" in answer:
        return "present" if answer["valueBoolean"] else "absent"
    value = answer.get("valueCoding") or {}
    code = value.get("code")
    if value.get("system") not in (None, system_url(CHOICES)) or code not in ADAPTIVE_CHOICES:
        raise _fail(f"item[{link}].answer", f"must be a Coding from {system_url(CHOICES)} (present, absent or unknown), got {value or answer!r}")
    return str(code)


def _source(answer: dict[str, Any]) -> str:
    for extension in answer.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == ANSWER_SOURCE and extension.get("valueCode") == "text":
            return "text"
    return "answer"


def read_answers(kb: KnowledgeBase, response: dict[str, Any]) -> tuple[float | None, str | None, list[tuple[str, str, str]]]:
    """Age, sex and the (finding, choice, source) answers of a QuestionnaireResponse, in order."""
    age: float | None = None
    sex: str | None = None
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for item in _flat(response.get("item") or []):
        link = item.get("linkId")
        answers = item.get("answer") or []
        if not answers:
            continue
        answer = answers[0]
        if link == AGE:
            value = answer.get("valueDecimal", answer.get("valueInteger"))
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 120:
                raise _fail("item[age].answer", f"must be valueDecimal or valueInteger from 0 to 120, got {answer!r}")
            age = float(value)
        elif link == SEX:
            coding = answer.get("valueCoding") or {}
            if coding.get("system") not in (None, GENDER) or coding.get("code") not in ("male", "female"):
                raise _fail("item[sex].answer", f"must be a Coding male or female from {GENDER}, got {coding or answer!r}")
            sex = str(coding["code"])
        elif link in kb.findings:
            if link in seen:
                raise _fail(f"item[{link}]", "is answered twice")
            seen.add(link)
            found.append((link, _choice(kb, link, answer), _source(answer)))
        else:
            raise _fail(f"item[{link}]", f"linkId {link!r} is not a thighdx question (age, sex or a finding id)")
    return age, sex, found


def _contained(response: dict[str, Any], language: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    contained = [dict(c) for c in response.get("contained") or [] if isinstance(c, dict)]
    reference = response.get("questionnaire")
    wanted = reference[1:] if isinstance(reference, str) and reference.startswith("#") else None
    for resource in contained:
        if resource.get("resourceType") == "Questionnaire" and (wanted is None or resource.get("id") == wanted):
            resource.setdefault("id", CONTAINED_ID)
            return contained, resource
    questionnaire = {"resourceType": "Questionnaire", "id": wanted or CONTAINED_ID, "status": "active", "language": language,
                     "extension": [{"url": ADAPTIVE, "valueBoolean": True}],
                     "derivedFrom": [questionnaire_url()], "subjectType": ["Patient"], "item": []}
    contained.append(questionnaire)
    return contained, questionnaire


def next_question(kb: KnowledgeBase, body: Any) -> QuestionnaireResponse:
    """The QuestionnaireResponse with the next question(s) added to its contained Questionnaire."""
    response = dict(_questionnaire_response(body))
    language = response.get("language") or "en"
    if language not in LANGUAGES:
        raise _fail("language", f"must be 'en' or 'tr', got {language!r}")
    try:
        QuestionnaireResponse.model_validate(response)
    except ValidationError as error:
        first = error.errors()[0]
        raise _fail(".".join(str(p) for p in first["loc"]) or "body", f"not a valid R4 QuestionnaireResponse: {first['msg']}") from None
    age, sex, answers = read_answers(kb, response)
    contained, questionnaire = _contained(response, language)
    items = [dict(i) for i in questionnaire.get("item") or []]
    have = {i.get("linkId") for i in items}
    # every answered item is defined in the contained Questionnaire, as a form filler expects
    person = {i["linkId"]: i for i in person_items(language)}
    answered = ([AGE] if age is not None else []) + ([SEX] if sex is not None else []) + [f for f, _, _ in answers]
    for link in answered:
        if link not in have:
            items.append(person[link] if link in person else finding_item(kb, link, language))
            have.add(link)
    if age is None or sex is None:
        adding = [i for i in person_items(language) if i["linkId"] not in have]
        done = False
    else:
        step = Interview.resume(kb, age, sex, language, answers, [f for f, _, s in answers if s == "answer"]).step()
        done = step.question is None or step.should_stop
        asking = [] if done or step.question is None else [step.question.finding, *step.question.items]
        adding = [finding_item(kb, f, language) for f in asking if f not in have]
    questionnaire["item"] = items + adding
    response["contained"] = contained
    response["questionnaire"] = f"#{questionnaire['id']}"
    response["status"] = "completed" if done else "in-progress"
    return QuestionnaireResponse.model_validate(response)
