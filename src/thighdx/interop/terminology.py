"""Checks every Coding in a FHIR resource against what thighdx may say: a code system thighdx uses
(SNOMED CT, WHO ICD-10, ICD-10-CM, a few HL7 systems, its own published ones) and a code that
system defines for thighdx (the knowledge base's confirmed codes, or a concept of its own CodeSystem).

An invented system URL, a SNOMED CT or ICD-10 code the knowledge base does not carry, or a display
that differs from the knowledge base's is reported.
"""

from __future__ import annotations

from typing import Any

from thighdx.interop.codes import HL7_CODES, KB_SYSTEMS, OWN_SYSTEMS, system_url
from thighdx.interop.codesystem import codes_of
from thighdx.knowledge.loader import KnowledgeBase


def _known(kb: KnowledgeBase) -> dict[str, dict[str, str | None]]:
    """system URL -> code -> display (None: any display); built once per knowledge base."""
    cached: dict[str, dict[str, str | None]] | None = kb._cache.get("fhir_codes")
    if cached is not None:
        return cached
    known: dict[str, dict[str, str | None]] = {url: {} for url in KB_SYSTEMS.values()}
    for condition in kb.conditions.values():
        for _, code in condition.codes.all():
            known[KB_SYSTEMS[code.system]][code.code] = code.display
    for system_id in OWN_SYSTEMS:
        known[system_url(system_id)] = dict.fromkeys(codes_of(kb, system_id))
    for url, codes in HL7_CODES.items():
        known[url] = dict.fromkeys(codes)
    kb._cache["fhir_codes"] = known
    return known


def codings(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every (path, Coding) in a JSON resource: objects with a `system` and a `code`."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if isinstance(node.get("system"), str) and "code" in node and "value" not in node:
            found.append((path, node))
        for key, value in node.items():
            found += codings(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += codings(value, f"{path}/{i}")
    return found


def coding_problems(kb: KnowledgeBase, resource: dict[str, Any]) -> list[str]:
    """What is wrong with the resource's codes (empty when every code is one thighdx may use)."""
    known = _known(kb)
    problems = []
    for path, item in codings(resource):
        system, code = item["system"], item.get("code")
        if system not in known:
            problems.append(f"{path}: code system {system!r} is not one thighdx uses or publishes")
        elif code not in known[system]:
            problems.append(f"{path}: {code!r} is not a code of {system} known to the knowledge base")
        elif known[system][code] is not None and item.get("display") not in (None, known[system][code]):
            problems.append(f"{path}: display {item.get('display')!r} differs from the knowledge base's {known[system][code]!r}")
    return problems
