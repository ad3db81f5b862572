"""Findings that are part of broader ones: asked only when one of those may be present.

Worsening weakness or numbness needs weakness or numbness. When the person has answered "no" to
every broader finding a finding is part of (`within` in findings.yaml), asking it would only
repeat those answers; it is left unanswered (nothing is assumed about it) and is not pending.
Only a part that a person cannot truthfully have after those answers is named so: an
examination sign the person may not have noticed (a calf measured wider) is not a part of
what they report ("is one leg swollen?").
"""

from __future__ import annotations

from thighdx.engine.evidence import Evidence
from thighdx.knowledge.loader import KnowledgeBase


def parts(kb: KnowledgeBase) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every finding that is part of broader ones, with those broader findings."""
    cached: tuple[tuple[str, tuple[str, ...]], ...] | None = kb._cache.get("within")
    if cached is None:
        cached = kb._cache["within"] = tuple((f.id, tuple(f.within)) for f in kb.findings.values() if f.within)
    return cached


def settled_by_broader(kb: KnowledgeBase, evidence: Evidence) -> frozenset[str]:
    """Unanswered findings every broader finding of which the person has answered "no" (a reading
    of their words does not count)."""
    answers, text = evidence.answers, evidence.text
    return frozenset(
        finding
        for finding, broader in parts(kb)
        if finding not in answers and all(answers.get(b) == "absent" and b not in text for b in broader)
    )
