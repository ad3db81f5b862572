"""The next best question, red-flag screening and knowing when to stop.

Three kinds of question, in this order of priority:

1. ranking: the unanswered finding with the highest expected information gain (bits)
   about which condition it is, while the leading cause is not yet settled;
2. triage: a finding named in a triage rule whose answer has a real chance of changing
   the triage level;
3. screening: red flags asked of everyone (`screen: always`) and those whose chance of
   being present, given the answers so far, exceeds the knowledge base's threshold, when
   a "yes" would raise the level. The interview never stops before these are asked.

When the question budget is nearly spent, screening goes first, so it is never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.model import Model, compile_model
from thighdx.engine.posterior import Ranking, posterior
from thighdx.engine.rules import findings_of
from thighdx.engine.triage import Triage, counted_conditions, rank, triage
from thighdx.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Question:
    finding: str
    purpose: str
    """`ranking`, `triage` or `screening`."""
    gain_bits: float
    separates: tuple[str, str] | None
    """The two likely conditions this answer tells apart best (ranking questions)."""
    items: tuple[str, ...] = ()
    """Other findings of the same group worth asking on the same screen."""


@dataclass(frozen=True)
class NextStep:
    question: Question | None
    should_stop: bool
    pending_screening: tuple[str, ...]
    """Red flags still to be screened."""


def binary_entropy(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """h(p) in bits, elementwise."""
    q = np.clip(p, 1e-15, 1.0 - 1e-15)
    return -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))  # type: ignore[no-any-return]


def information_gain(model: Model, ranking: Ranking, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
    """Expected information gain (bits) about the condition from each candidate's answer.

    The mutual information I(condition; answer) = h(P(yes)) - sum_c P(c) h(P(yes | c)),
    which equals the expected fall in the entropy of the ranking, computed in one pass.
    A family condition's answer probability mixes its forms by their current weight.
    """
    w = ranking.row_posterior
    p_yes = w @ model.p[:, candidates]
    conditional = (w * model.single_rows) @ model.h_p[:, candidates]
    for rows in model.family_rows:
        mass = w[rows].sum()
        if mass > 0:
            mixed = (w[rows] @ model.p[np.ix_(rows, candidates)]) / mass
            conditional += mass * binary_entropy(mixed)
    return binary_entropy(p_yes) - conditional  # type: ignore[no-any-return]


def chance_present(model: Model, ranking: Ranking, finding: str) -> float:
    """The chance this person would answer `finding` present, given what is known."""
    return float(ranking.row_posterior @ model.p[:, model.finding_index[finding]])


def separates(kb: KnowledgeBase, model: Model, ranking: Ranking, finding: str) -> tuple[str, str] | None:
    """The pair of likely conditions whose answers to `finding` differ most."""
    column = model.p[:, model.finding_index[finding]]
    probs = ranking.probabilities
    top = [i for i in np.argsort(-probs, kind="stable")[:5]]
    best, pair = 0.0, None
    for a_pos, a in enumerate(top):
        for b in top[a_pos + 1 :]:
            pa = column[model.row_condition == a].mean()
            pb = column[model.row_condition == b].mean()
            score = probs[a] * probs[b] * abs(pa - pb)
            if score > best:
                best, pair = score, (model.condition_ids[a], model.condition_ids[b])
    return pair


def pending_screening(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage) -> list[str]:
    """Red flags still to ask: a "yes" would raise the level, and they are universal or likely enough."""
    model = compile_model(kb)
    threshold = kb.triage.screening.risk_threshold
    pending: list[tuple[int, float, str]] = []
    for finding in kb.findings.values():
        if finding.screen == "never" or finding.id in evidence.answers:
            continue
        raises = False
        for flag in kb.triage.red_flags:
            if rank(flag.level) <= rank(current.level):
                continue
            if finding.id in flag.when.any_present or finding.id in flag.when.present:
                others = [f for f in flag.when.present if f != finding.id]
                if all(evidence.choice(f) == "present" for f in others):
                    raises = True
                    break
        if not raises:
            continue
        risk = chance_present(model, ranking, finding.id)
        if finding.screen == "always" or risk > threshold:
            pending.append((0 if finding.screen == "always" else 1, -risk, finding.id))
    return [f for _, _, f in sorted(pending)]


def triage_findings(kb: KnowledgeBase, ranking: Ranking) -> set[str]:
    """Findings named by a red-flag rule or by the triage rules of the conditions that count now."""
    cached = kb._cache.get("red_flag_findings")
    if cached is None:
        cached = set()
        for flag in kb.triage.red_flags:
            cached.update(findings_of(flag.when))
        kb._cache["red_flag_findings"] = cached
    found = set(cached)
    for condition_id in counted_conditions(kb, ranking):
        for rule in kb.conditions[condition_id].triage.rules:
            found.update(findings_of(rule.when))
    return found


def triage_question(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage) -> Question | None:
    """The triage-rule finding most likely to change the level, if that chance is large enough."""
    model = compile_model(kb)
    best: tuple[float, str] | None = None
    for finding in sorted(triage_findings(kb, ranking) - set(evidence.answers)):
        if kb.findings[finding].screen != "never":
            continue
        p_yes = chance_present(model, ranking, finding)
        change = 0.0
        for choice, chance in (("present", p_yes), ("absent", 1.0 - p_yes)):
            after = evidence.with_answer(finding, choice)
            if triage(kb, after, posterior(kb, after)).level != current.level:
                change += chance
        if change >= kb.interview.triage_min_change and (best is None or change > best[0]):
            best = (change, finding)
    if best is None:
        return None
    return Question(best[1], "triage", 0.0, None)


def next_step(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking | None = None,
    current: Triage | None = None,
    asked: int | None = None,
) -> NextStep:
    """What to ask next (or that the interview may stop), from any state.

    `asked` is how many questions the interview has asked so far (defaults to the number of
    answers); it is only used to keep within the question budget.
    """
    settings = kb.interview
    ranking = ranking or posterior(kb, evidence)
    current = current or triage(kb, evidence, ranking)
    asked = len(evidence.answers) if asked is None else asked
    screening = pending_screening(kb, evidence, ranking, current)
    budget_left = settings.max_questions - asked

    def screen() -> NextStep:
        return NextStep(Question(screening[0], "screening", 0.0, None), False, tuple(screening))

    if budget_left <= 0:
        return NextStep(None, True, tuple(screening))
    if screening and budget_left <= len(screening):
        return screen()

    model = compile_model(kb)
    candidates = np.asarray(
        [i for i, f in enumerate(model.finding_ids) if f not in evidence.answers], dtype=np.intp
    )
    if candidates.size == 0:
        return NextStep(None, True, ())
    top_probability = float(ranking.probabilities.max())
    if top_probability < settings.stop_probability:
        gains = information_gain(model, ranking, candidates)
        j = int(np.argmax(gains))
        if gains[j] >= settings.min_gain_bits:
            finding = model.finding_ids[candidates[j]]
            pair = separates(kb, model, ranking, finding)
            return NextStep(Question(finding, "ranking", float(gains[j]), pair), False, tuple(screening))
    question = triage_question(kb, evidence, ranking, current)
    if question is not None:
        return NextStep(question, False, tuple(screening))
    if screening:
        return screen()
    return NextStep(None, True, ())
