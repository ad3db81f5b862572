"""Glue between the HTTP layer and the engine: turns engine objects into the JSON the API promises.

No clinical logic lives here: every decision is the engine's; these functions only call it and
shape its answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thighdx.engine import Evidence, Triage, assess, posterior, triage
from thighdx.errors import NotFound
from thighdx.interview import Interview, Step, text_readings
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.provenance import kb_provenance
from thighdx.report import assessment_dict, condition_row


def kb() -> KnowledgeBase:
    return load_kb()


def question_dict(kb: KnowledgeBase, step: Step, language: str) -> dict[str, Any] | None:
    """The next question as the API shows it, with why it is asked."""
    question = step.question
    if question is None:
        return None
    texts = question_texts(kb, language)
    data: dict[str, Any] = {
        "id": question.finding,
        "text": texts[question.finding],
        "type": "single",
        "purpose": question.purpose,
        "why": step.why,
    }
    if question.separates:
        data["separates"] = list(question.separates)
    if question.items:
        data["items"] = [{"id": f, "text": texts[f]} for f in question.items]
    return data


def question_texts(kb: KnowledgeBase, language: str) -> dict[str, str]:
    """Every finding's question in one language (built once per knowledge base and language)."""
    key = f"question_texts:{language}"
    texts: dict[str, str] | None = kb._cache.get(key)
    if texts is None:
        texts = kb._cache[key] = {f: finding.question.get(language) for f, finding in kb.findings.items()}
    return texts


def triage_dict(kb: KnowledgeBase, tri: Triage, language: str) -> dict[str, Any]:
    return {
        "level": tri.level,
        "label": kb.triage.levels[tri.level].get(language),  # type: ignore[index]
        "red_flags": list(tri.red_flags),
        "not_ruled_out": list(tri.unscreened),
        "reason": tri.reason(kb, language),
    }


def build_evidence(kb: KnowledgeBase, age: object, sex: object, items: Iterable[tuple[str, str, str]]) -> Evidence:
    """Evidence from (finding, choice, source) items: an answer replaces a reading of the same finding."""
    return Interview.resume(kb, age, sex, "en", items).evidence


def condition_labels(kb: KnowledgeBase, language: str) -> list[str]:
    """The display name of every condition in knowledge-base order, in one language (built once)."""
    key = f"condition_labels:{language}"
    names: list[str] | None = kb._cache.get(key)
    if names is None:
        names = kb._cache[key] = [condition.name.get(language) for condition in kb.conditions.values()]
    return names


def step_dict(kb: KnowledgeBase, step: Step, language: str) -> dict[str, Any]:
    """One interview step as the API answers it (contract §5), stateless or stored."""
    names = condition_labels(kb, language)
    ranking = step.ranking
    ids, rounded = ranking.condition_ids, ranking.probabilities.round(4).tolist()  # as `Ranking.ranked_rounded`
    return {
        "conditions": [{"id": ids[i], "name": names[i], "probability": rounded[i]} for i in ranking.order()],
        "other_probability": round(ranking.other_probability, 4),
        "triage": triage_dict(kb, step.triage, language),
        "question": question_dict(kb, step, language),
        "should_stop": step.should_stop,
        "settled": step.settled,
        "questions_left": step.questions_left,
        "knowledge_base": kb_provenance(kb),
    }


def diagnosis(kb: KnowledgeBase, age: float, sex: str, language: str, items: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """One stateless interview step (contract §5): the core interview resumed from the evidence items."""
    return step_dict(kb, Interview.resume(kb, age, sex, language, items).step(), language)


def triage_only(kb: KnowledgeBase, age: float, sex: str, language: str, pairs: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    evidence = build_evidence(kb, age, sex, pairs)
    ranking = posterior(kb, evidence)
    tri = triage(kb, evidence, ranking)
    data = triage_dict(kb, tri, language)
    data["rules"] = list(tri.rules)
    data["unscreened"] = list(tri.unscreened)
    return data


def explain_only(kb: KnowledgeBase, age: float, sex: str, language: str, pairs: Iterable[tuple[str, str, str]], top: int) -> dict[str, Any]:
    evidence = build_evidence(kb, age, sex, pairs)
    data = assessment_dict(kb, assess(kb, evidence, explain_top=top), language)
    return {
        "conditions": [{"id": c["id"], "name": c["name"], "probability": c["probability"]} for c in data["conditions"]],
        "other_probability": data["other_probability"],
        "explanations": data["explanations"],
    }


def full_assessment(kb: KnowledgeBase, evidence: Evidence, language: str, top: int = 5) -> dict[str, Any]:
    return assessment_dict(kb, assess(kb, evidence, explain_top=top), language)


def parse_text(kb: KnowledgeBase, text: str, language: str) -> dict[str, Any]:
    """The person's words read into findings, by the same function the interview uses."""
    return {"mentions": [m.as_dict() for m in text_readings(kb, text, language)]}


def conditions_list(kb: KnowledgeBase, language: str) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "name": c.name.get(language), "severity": c.severity, "icd10": c.codes.icd10_who.code,
         "icd10_who": c.codes.icd10_who.code, "icd10_cm": c.codes.icd10_cm.code, "snomed": c.codes.snomed.code}
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
