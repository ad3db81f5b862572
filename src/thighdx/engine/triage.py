"""Triage: how urgently to seek care, and why.

The level is the highest of: any red flag (or combination) that is present, the level of
the leading condition, and the level of any condition likely enough to reach the
knowledge base's threshold for its own level. Nothing lowers a red flag's level.
"""

from __future__ import annotations

from dataclasses import dataclass

from thighdx.engine.evidence import Evidence
from thighdx.engine.posterior import Ranking
from thighdx.engine.rules import matches
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS, Condition, Text


def rank(level: str) -> int:
    return LEVELS.index(level)


@dataclass(frozen=True)
class Reason:
    """One thing that sets a triage level."""

    level: str
    kind: str
    """`red_flag`, `condition` or `screening`."""
    id: str
    text: Text


@dataclass(frozen=True)
class Triage:
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
            labels = ", ".join(kb.findings[f].label.get(language) for f in self.unscreened)
            text += " " + kb.message("triage_unscreened", language, findings=labels)
        return text.strip()


def condition_level(condition: Condition, evidence: Evidence) -> tuple[str, Text]:
    """The level a condition demands for this person: its first matching rule, else its default."""
    for rule in condition.triage.rules:
        if matches(rule.when, evidence):
            return rule.level, rule.reason
    return condition.triage.level, condition.triage.reason


def counted_conditions(kb: KnowledgeBase, ranking: Ranking) -> list[str]:
    """The leading condition and every condition likely enough to reach some level's threshold."""
    lowest = min(kb.triage.posterior.thresholds.values(), default=1.0)
    ranked = ranking.ranked()
    return [ranked[0][0]] + [c for c, p in ranked[1:] if p >= lowest]


def triage(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking) -> Triage:
    """The triage level with its reasons; a present red flag is never out-ranked."""
    reasons: list[Reason] = []
    rules: list[str] = []
    flagged: list[str] = []
    for flag in kb.triage.red_flags:
        if matches(flag.when, evidence):
            rules.append(flag.id)
            reasons.append(Reason(flag.level, "red_flag", flag.id, flag.message))
            for fid in [*flag.when.present, *flag.when.any_present]:
                if evidence.choice(fid) == "present" and kb.findings[fid].red_flag and fid not in flagged:
                    flagged.append(fid)
    for condition_id in counted_conditions(kb, ranking):
        condition = kb.conditions[condition_id]
        level, text = condition_level(condition, evidence)
        threshold = kb.triage.posterior.thresholds.get(level, 1.0)  # type: ignore[call-overload]
        if condition_id == ranking.top or ranking.probability(condition_id) >= threshold:
            reasons.append(Reason(level, "condition", condition_id, text))
    unscreened = tuple(
        f.id for f in kb.findings.values() if f.screen == "always" and evidence.choice(f.id) in (None, "unknown")
    )
    level = max((r.level for r in reasons), key=rank, default=LEVELS[0])
    if level == LEVELS[0] and any(evidence.choice(f) is None for f in unscreened):
        level = LEVELS[1]
        reasons.append(Reason(level, "screening", "screening", kb.messages["triage_screening_needed"]))
    reasons.sort(key=lambda r: (-rank(r.level), r.kind != "red_flag"))
    return Triage(
        level=level,
        red_flags=tuple(flagged),
        rules=tuple(rules),
        reasons=tuple(reasons),
        unscreened=unscreened,
    )
