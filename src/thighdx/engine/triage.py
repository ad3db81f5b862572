"""Triage: how urgently to seek care, and why.

The level is the highest of: any red flag (or combination) that is present, the level of
the leading condition, and the level of any condition likely enough to reach the
knowledge base's threshold for its own level. Home care also needs the causes that demand more,
together, to stay below the consultation threshold, and every universal safety question answered
"no". Nothing lowers a red flag's level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.posterior import Ranking
from thighdx.engine.rules import findings_of, matches
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS, Condition, Level, LevelRule, Text

_RANK: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}


def rank(level: str) -> int:
    return _RANK[level]


class Reason(NamedTuple):
    """One thing that sets a triage level."""

    level: str
    kind: str
    """`red_flag`, `condition`, `unclear` (no cause likely enough), `doubt` (`home_care_in_doubt`) or
    `screening` (a universal safety question open)."""
    id: str
    text: Text


class Triage(NamedTuple):
    level: str
    red_flags: tuple[str, ...]
    """Red-flag findings answered present."""
    rules: tuple[str, ...]
    """Red-flag rules that matched."""
    reasons: tuple[Reason, ...]
    """Everything that demanded the final level, the deciding reasons first."""
    unscreened: tuple[str, ...]
    """Universal screening red flags not answered, or answered "don't know"."""

    def reason(self, kb: KnowledgeBase, language: str = "en") -> str:
        """One plain sentence (or a few) saying why this level."""
        deciding = [r.text.get(language) for r in self.reasons if r.level == self.level]
        text = " ".join(dict.fromkeys(deciding))
        if self.unscreened:
            text += " " + _unscreened_sentence(kb, self.unscreened, language)
        return text.strip()


def _unscreened_sentence(kb: KnowledgeBase, unscreened: tuple[str, ...], language: str) -> str:
    """The "not yet ruled out" sentence for the universal safety questions still open (few combinations; kept)."""
    key = ("unscreened", unscreened, language)
    sentence: str | None = kb._cache.get(key)
    if sentence is None:
        labels = ", ".join(kb.findings[f].label.get(language) for f in unscreened)
        sentence = kb._cache[key] = kb.message("triage_unscreened", language, findings=labels)
    return sentence


def deciding_rule(condition: Condition, evidence: Evidence) -> LevelRule | None:
    """The rule that sets a condition's level for this person: its first matching one."""
    return next((rule for rule in condition.triage.rules if matches(rule.when, evidence)), None)


def condition_level(condition: Condition, evidence: Evidence) -> tuple[Level, Text]:
    """The level a condition demands for this person: its deciding rule's, else its default."""
    rule = deciding_rule(condition, evidence)
    return (rule.level, rule.reason) if rule is not None else (condition.triage.level, condition.triage.reason)


def counted_conditions(kb: KnowledgeBase, ranking: Ranking) -> list[str]:
    """The leading condition and every condition likely enough to reach some level's threshold."""
    return [c for c, _ in _counted_with_probability(kb, ranking)]


def _lowest_threshold(kb: KnowledgeBase) -> float:
    lowest: float | None = kb._cache.get("lowest_threshold")
    if lowest is None:
        lowest = kb._cache["lowest_threshold"] = min(kb.triage.posterior.thresholds.values(), default=1.0)
    return lowest


def _counted_with_probability(kb: KnowledgeBase, ranking: Ranking) -> list[tuple[str, float]]:
    """`counted_conditions` with their probabilities: the leader first, then knowledge-base order."""
    return _counted_pairs(kb, ranking.condition_ids, ranking.values(), ranking.order())


def _counted_pairs(kb: KnowledgeBase, ids: tuple[str, ...], values: list[float], order: list[int]) -> list[tuple[str, float]]:
    """The leader (`order[0]`) and, in knowledge-base order, every other condition at or above
    the lowest threshold; `order` lists condition indices most likely first."""
    lowest = _lowest_threshold(kb)
    likely = []
    for i in order[1:]:  # most likely first: stop at the first below the threshold
        if values[i] < lowest:
            break
        likely.append(i)
    leader = order[0]
    return [(ids[leader], values[leader])] + [(ids[i], values[i]) for i in sorted(likely)]


def flags_by_finding(kb: KnowledgeBase) -> dict[str, list[int]]:
    """Red-flag rules indexed by the findings that can trigger them (every rule needs one present)."""
    index: dict[str, list[int]] | None = kb._cache.get("flags_by_finding")
    if index is None:
        index = {}
        for i, flag in enumerate(kb.triage.red_flags):
            for fid in {*flag.when.present, *flag.when.any_present}:
                index.setdefault(fid, []).append(i)
        kb._cache["flags_by_finding"] = index
    return index


def matched_flags(kb: KnowledgeBase, evidence: Evidence) -> list[int]:
    """Indices (in knowledge-base order) of the red-flag rules that match."""
    index = flags_by_finding(kb)
    candidates: set[int] = set()
    for fid, choice in evidence.answers.items():
        if choice == "present" and fid in index:
            candidates.update(index[fid])
    if not candidates:
        return []
    flags = kb.triage.red_flags
    return [i for i in sorted(candidates) if matches(flags[i].when, evidence)]


def _universal(kb: KnowledgeBase) -> list[str]:
    universal: list[str] | None = kb._cache.get("universal")
    if universal is None:
        universal = kb._cache["universal"] = [f.id for f in kb.findings.values() if f.screen == "always"]
    return universal


def screening_gate(kb: KnowledgeBase, evidence: Evidence) -> bool:
    """Home care needs every universal safety question answered "no" (a reading of the person's
    words is not enough, and "don't know" leaves the red flag not ruled out)."""
    answers, text = evidence.answers, evidence.text
    return any(answers.get(f) != "absent" or f in text for f in _universal(kb))


def triage_level(kb: KnowledgeBase, evidence: Evidence, ids: tuple[str, ...], probabilities: NDArray[np.float64]) -> int:
    """The triage level's rank only, for questions that try answers out (no reasons built)."""
    flags = kb.triage.red_flags
    level = max((_RANK[flags[i].level] for i in matched_flags(kb, evidence)), default=0)
    conditions = kb.conditions
    values = probabilities.tolist()
    lowest = _lowest_threshold(kb)
    level = _level(kb, level, values, values.index(max(values)), [i for i, p in enumerate(values) if p >= lowest],
                   lambda i: condition_level(conditions[ids[i]], evidence)[0])
    return 1 if level == 0 and screening_gate(kb, evidence) else level


def _level(kb: KnowledgeBase, level: int, values: list[float], leader: int, likely: list[int], demanded_by: Callable[[int], Level]) -> int:
    """`triage_level` before the screening gate, from the red flags' level, the condition
    probabilities, the leader (the first of the most likely, as in `Ranking.order`), the
    conditions at or above the lowest threshold and the level each condition demands (by index)."""
    thresholds = kb.triage.posterior.thresholds
    leader_min = kb.triage.posterior.leader_min
    counted = False
    for i in likely if leader in likely else [leader, *likely]:
        probability = values[i]
        demanded = demanded_by(i)
        if (i == leader and probability >= leader_min) or probability >= thresholds.get(demanded, 1.0):
            level = max(level, _RANK[demanded])
            counted = True
    level = level if counted else max(level, _RANK[kb.triage.posterior.unclear_level])
    return 1 if level == 0 and home_care_in_doubt(kb, values, lambda i: _RANK[demanded_by(i)]) else level


def home_care_in_doubt(kb: KnowledgeBase, values: list[float], demanded_rank: Callable[[int], int]) -> bool:
    """Home care only while the causes that need a doctor for this person (each at the level its
    rules give) are, together, less likely than the threshold at which one such cause alone would
    send them to one: when several each fall short but together make it likely, a consultation.
    `values` are the conditions' probabilities (by index), `demanded_rank` the level each demands."""
    threshold = kb.triage.posterior.thresholds.get(LEVELS[1], 1.0)
    left = sum(values)
    doubt = 0.0
    for i, (p, beyond) in enumerate(zip(values, beyond_home_care(kb), strict=True)):
        if doubt >= threshold - DOUBT_MARGIN or doubt + left < threshold - DOUBT_MARGIN:
            break
        left -= p
        if beyond or (beyond is None and demanded_rank(i) > 0):
            doubt += p
    return doubt >= threshold - DOUBT_MARGIN


DOUBT_MARGIN = 1e-9
"""Sums that reach the threshold up to rounding count as reaching it (`left` is a running difference)."""


def beyond_home_care(kb: KnowledgeBase) -> list[bool | None]:
    """Per condition: whether it always demands more than home care, never does, or (None) its
    rules decide for each person."""
    cached: list[bool | None] | None = kb._cache.get("beyond_home_care")
    if cached is None:
        cached = []
        for condition in kb.conditions.values():
            beyond = {_RANK[condition.triage.level] > 0, *(_RANK[rule.level] > 0 for rule in condition.triage.rules)}
            cached.append(beyond.pop() if len(beyond) == 1 else None)
        kb._cache["beyond_home_care"] = cached
    return cached


Mentions = tuple[dict[str, frozenset[int]], dict[str, frozenset[int]], dict[str, frozenset[int]]]


def _mentions(kb: KnowledgeBase) -> Mentions:
    """Per finding: the red-flag rules (those that can match: one needs a finding present) that
    leaving it out can stop matching (it is needed present or absent) or start matching (it must
    not be present), and the conditions (by index) with a level rule that mentions it."""
    cached: Mentions | None = kb._cache.get("mentions")
    if cached is None:
        needs: dict[str, set[int]] = {}
        blocks: dict[str, set[int]] = {}
        for i, flag in enumerate(kb.triage.red_flags):
            when = flag.when
            if when.present or when.any_present:
                for f in (*when.present, *when.any_present, *when.absent):
                    needs.setdefault(f, set()).add(i)
                for f in when.not_present:
                    blocks.setdefault(f, set()).add(i)
        conditions: dict[str, set[int]] = {}
        for c, condition in enumerate(kb.conditions.values()):
            for rule in condition.triage.rules:
                for f in findings_of(rule.when):
                    conditions.setdefault(f, set()).add(c)
        cached = kb._cache["mentions"] = tuple({f: frozenset(v) for f, v in d.items()} for d in (needs, blocks, conditions))
    return cached


def triage_levels_without(
    kb: KnowledgeBase, evidence: Evidence, findings: list[str], ids: tuple[str, ...], probabilities: NDArray[np.float64]
) -> list[int]:
    """`triage_level(kb, evidence.without(f), ids, row)` for each finding and its row of
    `probabilities` in turn, re-checking only the rules that leaving the finding out can change."""
    flags = kb.triage.red_flags
    conditions = list(kb.conditions.values())
    matched = frozenset(matched_flags(kb, evidence))
    needs, blocks, by_condition = _mentions(kb)
    full: dict[int, Level] = {}

    def demanded(i: int) -> Level:
        if i not in full:
            full[i] = condition_level(conditions[i], evidence)[0]
        return full[i]

    gate = screening_gate(kb, evidence)
    universal = _universal(kb)
    empty: frozenset[int] = frozenset()
    # every row's leader and likely conditions in two array operations
    leaders = probabilities.argmax(axis=1).tolist()
    likely: list[list[int]] = [[] for _ in findings]
    rows, columns = np.nonzero(probabilities >= _lowest_threshold(kb))
    for row, i in zip(rows.tolist(), columns.tolist(), strict=True):
        likely[row].append(i)
    levels: list[int] = []
    flag_level_all = max((_RANK[flags[i].level] for i in matched), default=0)
    answers = evidence.answers
    for finding, row, leader, row_likely in zip(findings, probabilities.tolist(), leaders, likely, strict=True):
        recheck = matched & needs[finding] if matched and finding in needs else empty
        if finding in blocks and answers[finding] == "present":
            recheck |= blocks[finding] - matched
        changed = by_condition.get(finding, empty)
        if not recheck and not changed:  # no rule mentions it: the same flags, the same conditions' levels
            level = _level(kb, flag_level_all, row, leader, row_likely, demanded)
            levels.append(1 if level == 0 and (gate or finding in universal) else level)
            continue
        without = evidence.without(finding)
        now_matched = (matched - recheck) | {i for i in recheck if matches(flags[i].when, without)} if recheck else matched
        flag_level = max((_RANK[flags[i].level] for i in now_matched), default=0)

        def demanded_without(i: int, without: Evidence = without, changed: frozenset[int] = changed) -> Level:
            return condition_level(conditions[i], without)[0] if i in changed else demanded(i)

        level = _level(kb, flag_level, row, leader, row_likely, demanded_without)
        levels.append(1 if level == 0 and (gate or finding in universal) else level)
    return levels


def triage(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking) -> Triage:
    """The triage level with its reasons; a present red flag is never out-ranked."""
    reasons: list[Reason] = []
    rules: list[str] = []
    flagged: list[str] = []
    for i in matched_flags(kb, evidence):
        flag = kb.triage.red_flags[i]
        rules.append(flag.id)
        reasons.append(Reason(flag.level, "red_flag", flag.id, flag.message))
        for fid in [*flag.when.present, *flag.when.any_present]:
            if evidence.choice(fid) == "present" and kb.findings[fid].red_flag and fid not in flagged:
                flagged.append(fid)
    thresholds = kb.triage.posterior.thresholds
    leader_min = kb.triage.posterior.leader_min
    top = ranking.top
    counted = False
    for condition_id, probability in _counted_with_probability(kb, ranking):
        level, text = condition_level(kb.conditions[condition_id], evidence)
        if (condition_id == top and probability >= leader_min) or probability >= thresholds.get(level, 1.0):
            reasons.append(Reason(level, "condition", condition_id, text))
            counted = True
    if not counted:
        unclear = kb.triage.posterior.unclear_level
        reasons.append(Reason(unclear, "unclear", "unclear", kb.messages["triage_unclear"]))
    if max(_RANK[r.level] for r in reasons) == 0:
        conditions, ids = kb.conditions, ranking.condition_ids
        if home_care_in_doubt(kb, ranking.values(), lambda i: _RANK[condition_level(conditions[ids[i]], evidence)[0]]):
            reasons.append(Reason(LEVELS[1], "doubt", "doubt", kb.messages["triage_doubt"]))
    answers = evidence.answers
    unscreened = tuple([f for f in _universal(kb) if answers.get(f, "unknown") == "unknown" or f in evidence.text and answers[f] == "absent"])
    level = LEVELS[max([_RANK[r.level] for r in reasons], default=0)]
    if level == LEVELS[0] and screening_gate(kb, evidence):
        level = LEVELS[1]
        reasons.append(Reason(level, "screening", "screening", kb.messages["triage_screening_needed"]))
    reasons.sort(key=lambda r: (-_RANK[r.level], r.kind != "red_flag"))
    return Triage(
        level=level,
        red_flags=tuple(flagged),
        rules=tuple(rules),
        reasons=tuple(reasons),
        unscreened=unscreened,
    )
