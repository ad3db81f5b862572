"""Glue between the HTTP layer and the engine: turns engine objects into the JSON the API promises.

No clinical logic lives here: every decision is the engine's; these functions only call it and
shape its answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thighdx.engine import Evidence, assess, posterior, triage
from thighdx.engine.questions import NextStep, next_step
from thighdx.errors import InputError, NotFound
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.report import assessment_dict, condition_row

LANGUAGES = ("en", "tr")


def kb() -> KnowledgeBase:
    return load_kb()


def check_language(language: str, field: str = "language") -> str:
    if language not in LANGUAGES:
        raise InputError(field, f"must be 'en' or 'tr', got {language!r}")
    return language


def question_dict(kb: KnowledgeBase, step: NextStep, language: str, with_why: bool = False) -> dict[str, Any] | None:
    question = step.question
    if question is None:
        return None
    data: dict[str, Any] = {
        "id": question.finding,
        "text": kb.findings[question.finding].question.get(language),
        "type": "single",
        "purpose": question.purpose,
    }
    if question.items:
        data["items"] = [{"id": f, "text": kb.findings[f].question.get(language)} for f in question.items]
    if with_why:
        from thighdx.terminal import why_we_ask

        data["why"] = why_we_ask(kb, question, language)
    return data


def triage_dict(kb: KnowledgeBase, tri: Any, language: str) -> dict[str, Any]:
    return {
        "level": tri.level,
        "label": kb.triage.levels[tri.level].get(language),  # type: ignore[index]
        "red_flags": list(tri.red_flags),
        "reason": tri.reason(kb, language),
    }


def build_evidence(kb: KnowledgeBase, age: object, sex: object, pairs: Iterable[tuple[str, str]]) -> Evidence:
    return Evidence.build(kb, age, sex, list(pairs))


def condition_names(kb: KnowledgeBase, language: str) -> list[tuple[str, str]]:
    """(id, display name) of every condition in knowledge-base order, in one language (built once)."""
    key = f"names:{language}"
    names = kb._cache.get(key)
    if names is None:
        names = kb._cache[key] = [(c, condition.name.get(language)) for c, condition in kb.conditions.items()]
    return names  # type: ignore[no-any-return]


def diagnosis(kb: KnowledgeBase, age: float, sex: str, language: str, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """One stateless interview step (contract §5)."""
    names = condition_names(kb, language)
    evidence = build_evidence(kb, age, sex, pairs)
    ranking = posterior(kb, evidence)
    tri = triage(kb, evidence, ranking)
    step = next_step(kb, evidence, ranking, tri)
    return {
        "conditions": [{"id": names[i][0], "name": names[i][1], "probability": p} for i, p in ranking.ranked_rounded()],
        "other_probability": round(ranking.other_probability, 4),
        "triage": triage_dict(kb, tri, language),
        "question": question_dict(kb, step, language),
        "should_stop": bool(step.should_stop),
    }


def triage_only(kb: KnowledgeBase, age: float, sex: str, language: str, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    evidence = build_evidence(kb, age, sex, pairs)
    ranking = posterior(kb, evidence)
    tri = triage(kb, evidence, ranking)
    data = triage_dict(kb, tri, language)
    data["rules"] = list(tri.rules)
    data["unscreened"] = list(tri.unscreened)
    return data


def explain_only(kb: KnowledgeBase, age: float, sex: str, language: str, pairs: Iterable[tuple[str, str]], top: int) -> dict[str, Any]:
    evidence = build_evidence(kb, age, sex, pairs)
    data = assessment_dict(kb, assess(kb, evidence, explain_top=top), language)
    return {
        "conditions": [{"id": c["id"], "name": c["name"], "probability": c["probability"]} for c in data["conditions"]],
        "other_probability": data["other_probability"],
        "explanations": data["explanations"],
    }


def full_assessment(kb: KnowledgeBase, evidence: Evidence, language: str, top: int = 5) -> dict[str, Any]:
    return assessment_dict(kb, assess(kb, evidence, explain_top=top), language)


def parse_text(text: str, language: str) -> dict[str, Any]:
    from thighdx.language import parse

    return {"mentions": [{"id": m.id, "choice_id": m.choice_id, "text": m.text, "start": m.start, "end": m.end} for m in parse(text, language)]}


def conditions_list(kb: KnowledgeBase, language: str) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "name": c.name.get(language), "severity": c.severity, "icd10": c.codes.icd10.code, "snomed": c.codes.snomed.code}
        for c in sorted(kb.conditions.values(), key=lambda c: c.id)
    ]


def condition_detail(kb: KnowledgeBase, condition_id: str, language: str) -> dict[str, Any]:
    if condition_id not in kb.conditions:
        raise NotFound(f"condition_id: unknown condition {condition_id!r}")
    row = condition_row(kb, condition_id, 0.0, language)
    row.pop("probability", None)
    row["acuteness"] = kb.conditions[condition_id].acuteness
    return row


def finding_row(kb: KnowledgeBase, finding_id: str, language: str) -> dict[str, Any]:
    f = kb.findings[finding_id]
    return {"id": f.id, "question": f.question.get(language), "label": f.label.get(language), "kind": str(f.kind),
            "red_flag": f.red_flag, "group": f.group, "choices": ["present", "absent", "unknown"]}


def findings_list(kb: KnowledgeBase, language: str) -> list[dict[str, Any]]:
    return [finding_row(kb, f, language) for f in sorted(kb.findings)]


def finding_detail(kb: KnowledgeBase, finding_id: str, language: str) -> dict[str, Any]:
    if finding_id not in kb.findings:
        raise NotFound(f"finding_id: unknown finding {finding_id!r}")
    return finding_row(kb, finding_id, language)


def faq(kb: KnowledgeBase, q: str, language: str) -> dict[str, Any]:
    from thighdx.care.faq import answer_question

    a = answer_question(q, language, kb)
    return {"id": a.id, "question": a.question, "answer": a.answer, "confidence": round(float(a.confidence), 4), "sources": a.sources}
