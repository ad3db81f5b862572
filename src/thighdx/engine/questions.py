"""The next best question, red-flag screening and knowing when to stop.

Purposes of question (`Question.purpose`), asked in this order (`next_step`):

1. confirm: a reading of the person's words that sets the level;
2. screening: the red-flag checklist (the universal safety questions and every finding that on
   its own demands emergency care) and the rest of every red-flag rule an answer has started;
3. triage: a question expected to raise the level above a routine appointment by at least
   `triage_priority` (see `triage_questions`);
4. score: the items of a validated score whose condition is in play;
5. ranking: the rest of a grouped screen one item of which is answered, then the finding with
   the highest expected information gain about the cause (plus, with `level_weight`, about the
   level it demands), weighted by how often people can answer it, while the leading cause is
   unsettled and the budget allows;
then triage questions that may still change the level either way, and the red flags whose
chance of being present now makes missing them cost enough. The interview stops only when
none is left; pending screening moves ahead of everything when the budget runs short.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.broader import settled_by_broader
from thighdx.engine.evidence import Evidence
from thighdx.engine.explain import what_if
from thighdx.engine.model import Model, compile_model
from thighdx.engine.posterior import Ranking, posterior, posteriors_without
from thighdx.engine.screening import checklist, pending_screening, rule_starters, started_rule_findings
from thighdx.engine.triage import Triage, rank, triage, triage_levels_without
from thighdx.engine.triage_questions import triage_question
from thighdx.knowledge.loader import KnowledgeBase


class Question(NamedTuple):
    finding: str
    purpose: str
    """`ranking`, `triage` or `screening`."""
    gain_bits: float
    separates: tuple[str, str] | None
    """The two likely conditions this answer tells apart best (ranking questions)."""
    items: tuple[str, ...] = ()
    """Other findings of the same group worth asking on the same screen."""


class NextStep(NamedTuple):
    question: Question | None
    should_stop: bool
    pending_screening: tuple[str, ...]
    """Red flags still to be screened."""


def binary_entropy(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """h(p) in bits, elementwise."""
    q = np.clip(p, 1e-15, 1.0 - 1e-15)
    return -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))  # type: ignore[no-any-return]


def information_gain(model: Model, ranking: Ranking, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
    """Expected information gain (bits) about the condition from each candidate's answer,
    plus `level_weight` times the gain about the level the condition demands (so questions
    that tell a dangerous cause from a harmless one count for more).

    The mutual information I(condition; answer) = h(P(yes)) - sum_c P(c) h(P(yes | c)),
    which equals the expected fall in the entropy of the ranking, computed in one pass.
    A family condition's answer probability mixes its forms by their current weight.
    """
    w = ranking.row_posterior
    p = model.p[:, candidates]
    p_yes = w @ p
    conditional = (w * model.single_rows) @ model.h_p[:, candidates]
    for rows in model.family_rows:
        mass = w[rows].sum()
        if mass > 0:
            mixed = (w[rows] @ p[rows]) / mass
            conditional += mass * binary_entropy(mixed)
    h_yes = binary_entropy(p_yes)
    by_condition = h_yes - conditional
    weight = model.level_weight
    if weight == 0:
        return by_condition
    # the same over the groups of conditions that demand the same level, in one product
    by_level_weights = model.level_onehot * w
    mass = by_level_weights.sum(axis=1)
    mixed = (by_level_weights @ p) / np.where(mass > 0, mass, 1.0)[:, None]
    by_level = h_yes - mass @ binary_entropy(mixed)
    return by_condition + weight * by_level  # type: ignore[no-any-return]


def answer_rates(kb: KnowledgeBase, model: Model) -> NDArray[np.float64]:
    """Per finding, the chance a person can answer it (clinicians' tests are often unknown)."""
    cached = kb._cache.get("answer_rates")
    if cached is None:
        settings = kb.interview
        cached = np.asarray(
            [settings.answer_rate.get(f, settings.answer_rate_by_kind.get(kb.findings[f].kind, 1.0))
             for f in model.finding_ids]
        )
        kb._cache["answer_rates"] = cached
    return cached


def leader_may_change(
    kb: KnowledgeBase, model: Model, ranking: Ranking, candidates: NDArray[np.intp], gains: NDArray[np.float64],
    shortlist: int = 12,
) -> bool:
    """Could one of the most informative questions still change which cause leads?"""
    best = np.argsort(-gains, kind="stable")[:shortlist]
    chosen = candidates[best]
    yes, no, p_yes = what_if(model, ranking.row_posterior, chosen)
    leader = int(np.argmax(np.append(ranking.probabilities, ranking.other_probability)))
    change = p_yes * (yes.argmax(axis=0) != leader) + (1.0 - p_yes) * (no.argmax(axis=0) != leader)
    change = change * answer_rates(kb, model)[chosen]
    return bool(change.max() >= kb.interview.leader_min_change)


def group_items(
    kb: KnowledgeBase, model: Model, finding: str, candidates: NDArray[np.intp], gains: NDArray[np.float64]
) -> tuple[str, ...]:
    """The other unanswered findings of `finding`'s group when that group is asked on one screen."""
    group = kb.findings[finding].group
    if group is None or group not in kb.interview.grouped:
        return ()
    ranked = sorted(
        ((float(g), model.finding_ids[c]) for c, g in zip(candidates, gains, strict=True)),
        reverse=True,
    )
    return tuple(f for g, f in ranked if f != finding and g > 0 and kb.findings[f].group == group)


def started_screen(
    kb: KnowledgeBase, model: Model, evidence: Evidence, ranking: Ranking, candidates: NDArray[np.intp], starters_only: bool = False
) -> Question | None:
    """The rest of a grouped screen ("Where does it hurt?") one of whose findings the person has
    answered: a client that shows one finding per screen is asked the others in turn, as a client
    that shows the screen asks them at once, while one is worth asking (`min_gain_bits`). With
    `starters_only` (the ranking is settled or its budget spent), only the items that start a
    red-flag rule of same-day care or above (low back pain starts the back-pain rules), each
    asked whatever it tells about the cause."""
    answers, text = evidence.answers, evidence.text
    starters = rule_starters(kb)
    for group in kb.interview.grouped:
        if not any(kb.findings[f].group == group and f not in text for f in answers):
            continue
        in_group = np.asarray([c for c in candidates.tolist() if kb.findings[model.finding_ids[c]].group == group
                               and (not starters_only or model.finding_ids[c] in starters)], dtype=np.intp)
        if in_group.size == 0:
            continue
        gains = information_gain(model, ranking, in_group) * answer_rates(kb, model)[in_group]
        j = int(np.argmax(gains))
        if starters_only or gains[j] >= kb.interview.min_gain_bits:
            finding = model.finding_ids[in_group[j]]
            items = group_items(kb, model, finding, in_group, gains) if not starters_only else ()
            return Question(finding, "ranking" if not starters_only else "screening", float(gains[j]),
                            separates(kb, model, ranking, finding), items)
    return None


def _condition_means(kb: KnowledgeBase, model: Model) -> list[list[float]]:
    """Per finding, per condition: the mean of P(finding | row) over the condition's rows."""
    cached: list[list[float]] | None = kb._cache.get("condition_means")
    if cached is None:
        cached = kb._cache["condition_means"] = [
            [float(model.p[:, j][model.row_condition == a].mean()) for a in range(model.n_conditions)]
            for j in range(len(model.finding_ids))
        ]
    return cached


def separates(kb: KnowledgeBase, model: Model, ranking: Ranking, finding: str) -> tuple[str, str] | None:
    """The pair of likely conditions whose answers to `finding` differ most."""
    means = _condition_means(kb, model)[model.finding_index[finding]]
    probs = ranking.values()
    top = ranking.order()[:5]
    best, pair = 0.0, None
    for a_pos, a in enumerate(top):
        for b in top[a_pos + 1 :]:
            score = probs[a] * probs[b] * abs(means[a] - means[b])
            if score > best:
                best, pair = score, (model.condition_ids[a], model.condition_ids[b])
    return pair


def questions_asked(kb: KnowledgeBase, evidence: Evidence) -> int:
    """Questions the person has seen: every answer (a reading of their words is not a question),
    with the red-flag checklist counted as one screen however many of its items were answered."""
    answered = [f for f in evidence.answers if f not in evidence.text]
    listed = len(checklist(kb).intersection(answered))
    return len(answered) - listed + (1 if listed else 0)


def confirm_question(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage) -> tuple[int, str] | None:
    """A reading of the person's words that decides the level or the leading cause: without it,
    the level or the leader would differ. The one that moves the level most comes first, with
    the levels it moves (0 when it decides only the leader)."""
    readings = [f for f in sorted(evidence.text) if evidence.answers[f] != "unknown"]
    if not readings:
        return None
    best: tuple[int, str] | None = None
    level = rank(current.level)
    leader = ranking.order()[0]
    ids = ranking.condition_ids
    after = posteriors_without(kb, evidence, readings)[:, :-1]
    levels = triage_levels_without(kb, evidence, readings, ids, after)
    for finding, leader_after, level_after in zip(readings, after.argmax(axis=1).tolist(), levels, strict=True):
        moved = abs(level_after - level)
        if moved == 0 and leader_after == leader:
            continue
        if best is None or moved > best[0]:
            best = (moved, finding)
    return best


def score_question(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking) -> str | None:
    """An unanswered item of a validated score whose condition is in play (`score_in_play`)."""
    floor = kb.interview.score_in_play
    settled = settled_by_broader(kb, evidence)
    for score in kb.scores.scores:
        if ranking.probability(score.condition) < floor:
            continue
        for item in score.items:
            if item.finding is not None and not evidence.answered(item.finding) and item.finding not in settled:
                return item.finding
    return None


SCREENING_MARGIN = 3
"""Pending red flags are asked first once the questions left are within this many of their
number: a late answer can make further red flags likely, and the cap must not cut them."""
def next_step(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking | None = None,
    current: Triage | None = None,
    asked: int | None = None,
) -> NextStep:
    """What to ask next (or that the interview may stop), from any state.

    Order: the universal safety questions; a question expected to raise the triage level a
    lot (`triage_priority`); questions that settle the ranking; questions that may still
    change the level (`triage_min_change`); red flags that have become likely enough.
    `asked` counts what is already known (by default every answer, including those read from
    the person's own words, as a stateless client can send no more); it keeps the interview
    within its budgets. Red-flag screening still pending moves ahead of everything else when the
    budget runs short, so the hard cap (`max_questions`) does not cut it.
    """
    settings = kb.interview
    ranking = ranking or posterior(kb, evidence)
    current = current or triage(kb, evidence, ranking)
    asked = questions_asked(kb, evidence) if asked is None else asked
    started = started_rule_findings(kb, evidence, rank(current.level))
    screening = pending_screening(kb, evidence, ranking, current, started)
    budget_left = settings.max_questions - asked
    on_list = checklist(kb).union(started) if started else checklist(kb)

    def screen() -> NextStep:
        first = screening[0]
        purpose = "confirm" if first in evidence.text else "screening"
        items = tuple([f for f in screening[1:] if f in on_list]) if first in on_list else ()
        return NextStep(Question(first, purpose, 0.0, None, items), False, tuple(screening))

    confirm = confirm_question(kb, evidence, ranking, current) if evidence.text else None
    if confirm is not None and confirm[0] > 0:  # a reading that sets the level is confirmed before anything else
        return NextStep(Question(confirm[1], "confirm", 0.0, None), False, tuple(screening))
    if budget_left <= 0:  # a hard cap on everything but red-flag screening, which it never cuts
        return screen() if screening else NextStep(None, True, ())
    if screening and (budget_left <= len(screening) + SCREENING_MARGIN or screening[0] in on_list):
        return screen()
    if confirm is not None:  # a reading that decides the leading cause
        return NextStep(Question(confirm[1], "confirm", 0.0, None), False, tuple(screening))
    model = compile_model(kb)
    answers = evidence.answers
    settled = settled_by_broader(kb, evidence)
    candidates = np.asarray(
        [i for i, f in enumerate(model.finding_ids)
         if (f not in answers or answers[f] == "unknown" and f in evidence.text) and f not in settled],
        dtype=np.intp,
    )
    if candidates.size == 0:
        return screen() if screening else NextStep(None, True, ())
    memo: dict[str, object] = {}
    urgent = triage_question(kb, evidence, ranking, current, candidates, upward_only=True, memo=memo)
    if urgent is not None and urgent[0] >= settings.triage_priority:
        return NextStep(Question(urgent[1], "triage", 0.0, None), False, tuple(screening))
    item = score_question(kb, evidence, ranking)
    if item is not None:
        return NextStep(Question(item, "score", 0.0, None), False, tuple(screening))
    ranking_open = float(ranking.probabilities.max()) < settings.stop_probability and asked < settings.ranking_budget
    # a grouped screen one item of which is answered: its other items follow (only those that
    # start a red-flag rule once the ranking is settled)
    shown = started_screen(kb, model, evidence, ranking, candidates, starters_only=not ranking_open)
    if shown is not None:
        return NextStep(shown, False, tuple(screening))
    if ranking_open:
        gains = information_gain(model, ranking, candidates) * answer_rates(kb, model)[candidates]
        j = int(np.argmax(gains))
        if gains[j] >= settings.min_gain_bits and leader_may_change(kb, model, ranking, candidates, gains):
            finding = model.finding_ids[candidates[j]]
            pair = separates(kb, model, ranking, finding)
            items = group_items(kb, model, finding, candidates, gains)
            return NextStep(Question(finding, "ranking", float(gains[j]), pair, items), False, tuple(screening))
    settle = triage_question(kb, evidence, ranking, current, candidates, memo=memo) if asked < settings.triage_budget else None
    if settle is not None:
        return NextStep(Question(settle[1], "triage", 0.0, None), False, tuple(screening))
    if screening:
        return screen()
    return NextStep(None, True, ())
