"""Errors of the FHIR endpoints as a FHIR R4 `OperationOutcome` (application/fhir+json).

The service maps every error to a status and a message once (thighdx.web.errors, as
application/problem+json); at a FHIR address (/fhir/..., /api/v1/interviews/{id}/fhir) that
answer is given as an OperationOutcome instead, with the same status and headers: one `issue`
whose `code` follows the status, `diagnostics` and `details.text` the message, and `expression`
the request field at fault. The CDS Hooks endpoints keep their own error shape.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fhir.resources.R4B.operationoutcome import OperationOutcome
from starlette.responses import Response

FHIR_JSON = "application/fhir+json"
FHIR_ADDRESS = re.compile(r"^(/fhir(/.*)?|/api/v1/interviews/[^/]+/fhir/?)$")
ISSUE_CODE = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 408: "timeout",
              409: "conflict", 410: "deleted", 413: "too-costly", 415: "not-supported", 422: "invalid", 429: "throttled",
              431: "too-costly", 503: "transient"}
"""FHIR `issue-type` codes (http://hl7.org/fhir/issue-type) for the statuses the service answers."""
OUTCOME_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["resourceType", "issue"],
    "description": "A FHIR R4 OperationOutcome; `issue[0].expression` names the request field at fault.",
    "properties": {
        "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
        "issue": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["severity", "code"],
            "properties": {"severity": {"type": "string", "enum": ["fatal", "error", "warning", "information"]},
                           "code": {"type": "string"},
                           "details": {"type": "object", "properties": {"text": {"type": "string"}}},
                           "diagnostics": {"type": "string"},
                           "expression": {"type": "array", "items": {"type": "string"}}}}},
    },
}


def is_fhir_address(path: str) -> bool:
    return bool(FHIR_ADDRESS.match(path))


def _text(value: str) -> str:
    """A message as a FHIR string: what the request sent that is no text (a lone surrogate, a control
    character) written as its escape, so the message still names it."""
    return "".join(c if c.isprintable() or c in "\n\t" else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in value.encode("utf-8", "backslashreplace").decode("utf-8"))


def outcome(status: int, detail: str, field: str | None = None) -> OperationOutcome:
    detail = _text(detail) or "request failed"
    issue: dict[str, Any] = {"severity": "error" if status < 500 else "fatal", "code": ISSUE_CODE.get(status, "exception" if status >= 500 else "processing"),
                             "details": {"text": detail}, "diagnostics": detail}
    if field and _text(field).strip():
        issue["expression"] = [_text(field)]
    try:
        return OperationOutcome.model_validate({"issue": [issue]})
    except ValueError:  # never fail while answering an error: the message without what cannot be written
        return OperationOutcome.model_validate({"issue": [{"severity": issue["severity"], "code": issue["code"],
                                                           "diagnostics": "the request could not be processed"}]})


def outcome_response(status: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None) -> Response:
    return Response(outcome(status, detail, field).model_dump_json(exclude_none=True), status_code=status,
                    media_type=FHIR_JSON, headers=headers)


def to_outcome(response: Response) -> Response:
    """A problem+json answer of the service as the same answer in an OperationOutcome (others unchanged)."""
    if not response.media_type or "problem+json" not in response.media_type:
        return response
    try:
        problem = json.loads(bytes(response.body))
    except (ValueError, TypeError):
        problem = {}
    problem = problem if isinstance(problem, dict) else {}
    detail = str(problem.get("detail") or problem.get("title") or "request failed")
    field = problem.get("field") if isinstance(problem.get("field"), str) else None
    headers = {name: value for name, value in response.headers.items() if name.lower() not in ("content-type", "content-length")}
    return outcome_response(response.status_code, detail, field, headers)
