"""Strict request models (no type coercion: "0" is not a bool, "27" is not an age) and response models."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Language = Literal["en", "tr"]
Choice = Literal["present", "absent", "unknown"]
Source = Literal["answer", "text"]
Level = Literal["self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"]
FindingId = str
TEXT_LIMIT = 5000
"""Free text, in characters (a longer text is refused with 422 naming `text`)."""


def _whole(value: Any) -> Any:
    """A JSON number with no fractional part (13.0) is an integer, as JSON Schema says; anything else
    goes to the strict integer check unchanged (so "13" and 13.5 are still refused)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]
"""An integer field that accepts a whole JSON number written with a fraction (13.0)."""


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class EvidenceItem(Strict):
    id: str = Field(min_length=1, max_length=80, description="A finding id from GET /api/v1/findings.")
    choice_id: Choice
    source: Source = Field(default="answer", description=(
        "`answer` (the person answered the question) or `text` (read from their own words, not yet confirmed). "
        "An answer replaces a reading of the same finding."))


class DiagnosisRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"age": 27, "sex": "male", "language": "en", "evidence": [{"id": "popping_sensation", "choice_id": "present"}]}]})
    age: float = Field(ge=0, le=120, description="Age in years.")
    sex: Literal["male", "female"]
    language: Language = "en"
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=200, json_schema_extra={"x-unique-by": ["id", "source"]},
                                         description=(
        "At most one choice per finding and source (`x-unique-by`): the same id from the same source with two "
        "different choices is contradictory (422); an item repeated exactly counts once; a reading (`text`) and "
        "an answer (`answer`) of the same finding may differ, and the answer wins."))

    def pairs(self) -> list[tuple[str, str, str]]:
        """(finding, choice, source) per evidence item, an item repeated exactly taken once."""
        return list(dict.fromkeys((e.id, e.choice_id, e.source) for e in self.evidence))


class ExplainRequest(DiagnosisRequest):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"age": 27, "sex": "male", "language": "en", "top": 3,
         "evidence": [{"id": "popping_sensation", "choice_id": "present"}, {"id": "sudden_onset", "choice_id": "present"}]}]})
    top: WholeNumber = Field(default=5, ge=1, le=50, description="How many of the most likely conditions to explain.")


class ParseRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"text": "sharp pain behind my left thigh, no swelling", "language": "en"}]})
    text: str = Field(max_length=TEXT_LIMIT)
    language: Language = "en"


class InterviewRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"age": 34, "sex": "female", "language": "en", "text": "I felt a pop at the back of my thigh while sprinting"}]})
    age: float = Field(ge=0, le=120)
    sex: Literal["male", "female"]
    language: Language = "en"
    text: str | None = Field(default=None, max_length=TEXT_LIMIT, description="What happened, in the person's words (parsed, not stored).")
    launch: str | None = Field(default=None, min_length=1, max_length=1200, description=(
        "The `launch` value of a thighdx CDS Hooks card's start link: the interview is then linked to that EHR patient. "
        "A forged, altered or expired value is refused (422 naming `launch`) and nothing is started."))


class AnswerRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"finding_id": "shortness_of_breath", "choice_id": "absent"}]})
    finding_id: str = Field(min_length=1, max_length=80)
    choice_id: Choice


class ScreenRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"answers": [{"finding_id": "chest_pain", "choice_id": "absent"}, {"finding_id": "saddle_numbness", "choice_id": "unknown"}]}]})
    answers: list[AnswerRequest] = Field(min_length=1, max_length=60, description=(
        "Answers to the question being asked and its grouped items, given on one screen (the red-flag checklist)."))

    def pairs(self) -> list[tuple[str, str]]:
        return [(a.finding_id, a.choice_id) for a in self.answers]


class LoginRequest(Strict):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [{"username": "dr.demir", "password": "a long passphrase"}]})
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


# ---- responses (documentation and schema checks) --------------------------------------------

class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ConditionProbability(Open):
    id: str
    name: str
    probability: float = Field(ge=0, le=1)


class TriageOut(Open):
    level: Level
    red_flags: list[str]
    reason: str


class QuestionItem(Open):
    id: str
    text: str


class QuestionOut(Open):
    id: str
    text: str
    type: Literal["single"]
    items: list[QuestionItem] | None = None


class DiagnosisResponse(Open):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "conditions": [{"id": "hamstring_strain", "name": "Hamstring strain", "probability": 0.74}],
        "other_probability": 0.01,
        "triage": {"level": "consultation", "label": "See a GP or physiotherapist", "red_flags": [], "reason": "..."},
        "question": {"id": "shortness_of_breath", "text": "Are you short of breath, more than usual for you?", "type": "single"},
        "should_stop": False}]})
    conditions: list[ConditionProbability]
    other_probability: float = Field(ge=0, le=1)
    triage: TriageOut
    question: QuestionOut | None
    should_stop: bool


class TriageResponse(TriageOut):
    rules: list[str]
    unscreened: list[str]


class ExplainResponse(Open):
    conditions: list[ConditionProbability]
    other_probability: float
    explanations: list[dict[str, Any]]


class Mention(Open):
    id: str
    choice_id: Choice
    text: str
    start: int
    end: int
    confidence: float = Field(ge=0, le=1, description="How sure the reading is; a red flag read with little confidence comes back `unknown`.")


class ParseResponse(Open):
    mentions: list[Mention]


class ConditionSummary(Open):
    id: str
    name: str


class FindingOut(Open):
    id: str
    question: str
    label: str


class FaqResponse(Open):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"id": "ice_or_heat", "question": "Should I use ice or heat?", "answer": "...", "confidence": 0.8, "sources": []}]})
    question: str | None
    answer: str | None
    confidence: float
    sources: list[Any]


class InterviewStateOut(Open):
    id: str
    language: Language
    answers: list[dict[str, Any]]
    question: dict[str, Any] | None
    should_stop: bool
    finished: bool
    triage: dict[str, Any]
    urgent: bool


class InterviewCreated(Open):
    id: str
    secret: str = Field(description="Send it back in the X-Interview-Secret header; it is shown only once.")
    state: InterviewStateOut


class TokenOut(Open):
    token: str
    token_type: Literal["bearer"]


class Health(Open):
    status: Literal["ok", "unavailable"]
    database: str
    knowledge_base: str


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "The request field at fault."},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}}}


COMMON = {
    422: problem_response("Invalid request: malformed JSON, a wrong type, an unknown id or an oversized body; `field` names it."),
    429: problem_response("Too many requests from this client (THIGHDX_RATE_LIMIT a minute)."),
    503: problem_response("The knowledge base or the database is not available."),
}
NOT_FOUND = {404: problem_response("No such object (or it is not yours).")}
INTERVIEW = {**NOT_FOUND, 410: problem_response("The interview has expired.")}
CONFLICT = {409: problem_response("Not possible in the interview's current state: the finding is not the question being asked, "
                                  "is already answered, or there is nothing to go back to.")}
AUTH = {401: problem_response("Missing, wrong, expired or revoked clinician token.")}
