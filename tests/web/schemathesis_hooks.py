"""Schemathesis hooks for the live schema test: bodies follow the documented rules a JSON schema
cannot state, so the positive-data check tests what the API promises.

- Evidence holds at most one choice per finding and source (`x-unique-by: [id, source]` on the
  `evidence` property): later items that repeat an (id, source) with another choice are dropped.
- A `launch` value is signed by the server (HMAC): a generator cannot make a valid one, so the
  property is taken out of the schema the generator reads (its refusals are tested in
  tests/interop/test_patient_link.py).
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    for schema in raw_schema.get("components", {}).get("schemas", {}).values():
        if isinstance(schema, dict) and "launch" in schema.get("properties", {}):
            del schema["properties"]["launch"]


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("evidence"), list):
        seen: dict[tuple[Any, Any], Any] = {}
        kept = []
        for item in body["evidence"]:
            if isinstance(item, dict):
                key = (item.get("id"), item.get("source", "answer"))
                if key in seen and seen[key] != item.get("choice_id"):
                    continue
                seen.setdefault(key, item.get("choice_id"))
            kept.append(item)
        body = {**body, "evidence": kept}
    return body
