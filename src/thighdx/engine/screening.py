"""Red-flag screening: which red flags are still to ask, in what order, and the checklist.

What is screened: the checklist asked of everyone (the universal safety questions and every
finding that on its own demands emergency care); the rest of every red-flag rule of same-day care
or above that an answer has started, most urgent rule first; the items of a started grouped
screen that start such a rule; and any other red flag whose miss would cost enough
(`screening.risk_threshold`), its chance taken under the ranking mixed with the age-and-sex prior.
A reading of the person's words never counts as screened; a part of broader findings all answered
"no" (`within`) does.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.broader import parts, settled_by_broader
from thighdx.engine.evidence import Evidence
from thighdx.engine.model import compile_model
from thighdx.engine.posterior import Ranking
from thighdx.engine.rules import missing_to_match
from thighdx.engine.triage import Triage, flags_by_finding, rank
from thighdx.engine.triage_questions import URGENT_FROM
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS

EMERGENCY_FROM = LEVELS.index("emergency")


def rule_starters(kb: KnowledgeBase) -> frozenset[str]:
    """Every finding a red-flag rule of same-day care or above needs present (or one of)."""
    cached: frozenset[str] | None = kb._cache.get("rule_starters")
    if cached is None:
        cached = kb._cache["rule_starters"] = frozenset(
            f for flag in kb.triage.red_flags if rank(flag.level) >= STARTED_FROM for f in (*flag.when.present, *flag.when.any_present)
        )
    return cached


def _screen_triggers(kb: KnowledgeBase) -> list[tuple[str, bool, int, list[tuple[int, tuple[str, ...]]]]]:
    """For each screening finding: universal or not, the highest level it demands on its own, and
    the combinations it can complete (level, the other findings they need present)."""
    cached = kb._cache.get("screen_triggers")
    if cached is None:
        cached = []
        for finding in kb.findings.values():
            triggers = [
                (rank(flag.level), tuple(f for f in flag.when.present if f != finding.id))
                for flag in kb.triage.red_flags
                if finding.id in flag.when.any_present or finding.id in flag.when.present
            ]
            alone = max((level for level, others in triggers if not others), default=-1)
            combos = [(level, others) for level, others in triggers if others and level > alone]
            cached.append((finding.id, finding.screen == "always", alone, combos))
        kb._cache["screen_triggers"] = cached
    return cached


class ScreenCandidates(NamedTuple):
    """The screening findings that could raise a level of a given rank (alone, or in a combination)."""

    checklist: list[tuple[int, int, str, int]]
    """The universal ones and those that alone demand emergency care, as (0 universal or 1,
    minus the level alone, finding, candidate), in the order they are asked."""
    by_cost: list[tuple[int, str, int]]
    """The candidates screened by the cost of missing them (not on the checklist), as (candidate,
    finding, the level it demands on its own or -1)."""
    findings: list[str]
    columns: NDArray[np.float64]
    """P(finding | row), for their chance in one product."""
    combos: dict[str, list[tuple[int, int, frozenset[str]]]]
    """Their combinations indexed by each finding a combination needs present: finding ->
    (candidate, level, the findings it needs present)."""
    checklist_alone: list[tuple[int, int, str]]
    """The checklist's entries that raise the level on their own, as (0 or 1, minus the level alone,
    finding): all of the checklist that is pending when no answer has started a combination."""
    by_cost_alone: list[tuple[int, str, int]]
    """The same of `by_cost`."""
    entries: list[tuple[bool, int, int, str]]
    """Per candidate: on the checklist or not, its group there (0 universal, 1 not), the level it
    demands on its own (or -1) and the finding."""


def _screen_candidates(kb: KnowledgeBase, now: int) -> ScreenCandidates:
    """The screening findings that could raise a level of rank `now` (built once per rank)."""
    key = ("screen_candidates", now)
    cached: ScreenCandidates | None = kb._cache.get(key)
    if cached is None:
        candidates = [
            (finding, universal, alone, [(level, others) for level, others in combos if level > now])
            for finding, universal, alone, combos in _screen_triggers(kb)
            if alone > now or any(level > now for level, _ in combos)
        ]
        model = compile_model(kb)
        index: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
        for k, (_, _, _, combos) in enumerate(candidates):
            for level, others in combos:
                for f in others:
                    index.setdefault(f, []).append((k, level, frozenset(others)))
        on_list = [universal or alone >= EMERGENCY_FROM for _, universal, alone, _ in candidates]
        listed = sorted((0 if c[1] else 1, -c[2], c[0], k) for k, c in enumerate(candidates) if on_list[k])
        by_cost = [(k, c[0], c[2]) for k, c in enumerate(candidates) if not on_list[k]]
        cached = kb._cache[key] = ScreenCandidates(
            checklist=listed,
            by_cost=by_cost,
            findings=[c[0] for c in candidates],
            columns=np.ascontiguousarray(model.p[:, [model.finding_index[c[0]] for c in candidates]]),
            combos=index,
            checklist_alone=[(group, minus_alone, finding) for group, minus_alone, finding, _ in listed if -minus_alone > now],
            by_cost_alone=[entry for entry in by_cost if entry[2] > now],
            entries=[(on_list[k], 0 if c[1] else 1, c[2], c[0]) for k, c in enumerate(candidates)],
        )
    return cached


def screening_weights(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking) -> NDArray[np.float64]:
    """Row weights for a red flag's chance: the ranking mixed with the age-and-sex prior
    (`screening.robustness`), so a ranking built on a misread answer cannot hide a red flag."""
    share = kb.triage.screening.robustness
    if share == 0:
        return ranking.row_posterior
    model = compile_model(kb)
    key = ("screening_prior", model.prior_row(evidence))
    weighted: NDArray[np.float64] | None = None if model.modifiers else kb._cache.get(key)
    if weighted is None:  # the share of the prior, the same for everyone of this age region and sex
        prior = model.prior(evidence)
        prior = np.exp(prior - prior.max())
        weighted = share * (prior / prior.sum())
        if not model.modifiers:
            kb._cache[key] = weighted
    return (1.0 - share) * ranking.row_posterior + weighted


def pending_screening(
    kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage, started: list[str] | None = None
) -> list[str]:
    """Red flags still to ask: universal ones, and those whose miss would cost enough.

    The cost of missing a red flag is its chance of being present (`screening_weights`) times
    the levels a "yes" would raise the triage by above a routine appointment, over two (so an
    emergency flag counts its chance, an ambulance flag half as much again); it is screened when
    that exceeds `screening.risk_threshold`. A reading of the person's words does not count as screened.
    """
    threshold = kb.triage.screening.risk_threshold
    now = rank(current.level)
    answers = evidence.answers
    text = evidence.text
    candidates = _screen_candidates(kb, now)
    # the highest level each candidate demands, alone or completing a combination with the findings present
    completes: dict[int, int] = {}
    present = {f for f, c in answers.items() if c == "present"}
    for f in present:
        for k, level, others in candidates.combos.get(f, ()):
            if level > completes.get(k, -1) and others <= present:
                completes[k] = level
    # answered (a reading of the person's words does not count as screened), or part of broader
    # findings all answered "no"
    screened = {f for f in answers if f not in text} if text else set(answers)
    screened |= settled_by_broader(kb, evidence)
    base = max(now, URGENT_FROM)
    # what raises the level on its own, then what a combination started would raise (sorted below)
    pending: list[tuple[int, float, str]] = [entry for entry in candidates.checklist_alone if entry[2] not in screened]
    by_cost = [(k, alone - base) for k, finding, alone in candidates.by_cost_alone if finding not in screened and k not in completes]
    for k, completed in completes.items():
        on_checklist, group, alone, finding = candidates.entries[k]
        if finding in screened:
            continue
        if not on_checklist:
            by_cost.append((k, max(alone, completed) - base))  # above `now`: every combination indexed is
        elif alone <= now:
            pending.append((group, -alone, finding))
    if by_cost:
        risks = (screening_weights(kb, evidence, ranking) @ candidates.columns).tolist()
        findings = candidates.findings
        for k, levels in by_cost:
            cost = risks[k] * levels / 2.0
            if cost > threshold:
                pending.append((2, -cost, findings[k]))
    # a finding that completes a started rule is asked with the checklist, in the order
    # `started_rule_findings` gives, even when its cost alone would have put it later
    keys: dict[str, tuple[int, float]] = {}
    known = kb.findings
    for group, value, f in pending:
        if f not in keys or (group, value) < keys[f]:
            keys[f] = (group, value)
    for place, finding in enumerate(started_rule_findings(kb, evidence, now) if started is None else started):
        if finding not in screened and (finding not in keys or (1, place / 1000.0) < keys[finding]):
            keys[finding] = (1, place / 1000.0)
    for screen_group, starters in _grouped_starters(kb):  # a started screen's items that start a red-flag rule
        if any(f in screened and known[f].group == screen_group for f in answers):
            for finding in starters:
                if finding not in screened and finding not in keys:
                    keys[finding] = (1, 0.9)
    for part, broader in parts(kb):  # a broader finding is asked before its parts: a "no" settles them
        if part in keys:
            keys[part] = max([keys[part], *(keys[b] for b in broader if b in keys)])
    parted = _parts_of_broader(kb)
    return [f for _, _, _, f in sorted([(group, value, f in parted, f) for f, (group, value) in keys.items()])]


def _grouped_starters(kb: KnowledgeBase) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per grouped screen (`grouped`), its findings that start a red-flag rule of same-day care or above."""
    cached: tuple[tuple[str, tuple[str, ...]], ...] | None = kb._cache.get("grouped_starters")
    if cached is None:
        starters = rule_starters(kb)
        cached = kb._cache["grouped_starters"] = tuple(
            (group, tuple(f.id for f in kb.findings.values() if f.group == group and f.id in starters)) for group in kb.interview.grouped
        )
    return cached


def _parts_of_broader(kb: KnowledgeBase) -> frozenset[str]:
    cached: frozenset[str] | None = kb._cache.get("parts_of_broader")
    if cached is None:
        cached = kb._cache["parts_of_broader"] = frozenset(f for f, _ in parts(kb))
    return cached


STARTED_FROM = LEVELS.index("consultation_24")


def started_rule_findings(kb: KnowledgeBase, evidence: Evidence, now: int) -> list[str]:
    """The unanswered findings of every red-flag rule of same-day care or above that one of the
    person's answers has started: back pain starts the back-pain rules (fever, injury, cancer,
    weight loss, a weak immune system), a swollen leg the clot rules. Asked on the checklist, so a
    combination is never left half asked: first the findings of the most urgent rule started,
    then those the most started rules share, then those of the rule fewest answers from matching."""
    index = flags_by_finding(kb)
    started_by = sorted({i for f, c in evidence.answers.items() if c == "present" for i in index.get(f, ())})
    flags = kb.triage.red_flags
    lowest = max(now + 1, STARTED_FROM)
    order: dict[str, tuple[int, int, int]] = {}  # finding -> (most urgent level, rules sharing it, fewest answers left)
    for i in started_by:
        flag = flags[i]
        level = rank(flag.level)
        if level < lowest:
            continue
        missing = missing_to_match(flag.when, evidence) or ()
        any_open = [f for f in flag.when.any_present if f in missing]
        left = len(missing) - len(any_open) + (1 if any_open else 0)  # one of `any_present` is enough
        for finding in missing:
            if finding in order:
                most, shared, fewest = order[finding]
                order[finding] = (max(most, level), shared + 1, min(fewest, left))
            else:
                order[finding] = (level, 1, left)
    return sorted(order, key=lambda f: (-order[f][0], -order[f][1], order[f][2], f))


def checklist(kb: KnowledgeBase) -> frozenset[str]:
    """The red flags asked of everyone on one screen: the universal safety questions and every
    finding that on its own demands emergency care."""
    cached: frozenset[str] | None = kb._cache.get("checklist")
    if cached is None:
        cached = kb._cache["checklist"] = frozenset(
            finding for finding, universal, alone, _ in _screen_triggers(kb) if universal or alone >= EMERGENCY_FROM
        )
    return cached
