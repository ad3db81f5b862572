"""The lexicon's reading weighed by a model learned from labelled texts.

The lexicon reads what its patterns name and misses what they do not; some of its readings are
wrong in ways its patterns cannot see. A linear model (`linear.LinearModel`), one logistic
regression per reading ("leg_weakness=absent"), scores each reading from the text's words and
letter groups together with what the lexicon read, and was fitted on every labelled set in the
repository (`python -m thighdx.evaluation.reading_training`). It then:

- adds a reading the lexicon did not make when its chance reaches the model's `threshold`
  (its span: the sentence that scores highest for it; its confidence: that chance);
- withdraws a lexicon reading of a finding present to `unknown` when its chance is below the
  model's `veto`, for a reading it saw labelled often enough to judge (`vetoes`: a rare reading's
  low chance says how rare it is, not that this text is wrong). A denial the lexicon read always
  stands: withdrawn, it was one more question before a minor problem could be called so.

It never touches a red flag or a finding that alone demands emergency care (the lexicon's
reading stands and the red-flag detector adds hints), nor where it hurts and how long (read from
structure a bag of words cannot see). On a finding a triage rule names it moves only the safe
way: it may add a finding that can set a rule off, and it may deny a finding that can hold a
rule back or withdraw its presence, never the reverse, so no rule is switched off by it. The
two figures were chosen by leave-one-round-out on the labelled sets (`docs/language.md`).
"""

from __future__ import annotations

from dataclasses import replace

from thighdx.language.lexicon import kb_emergency_findings, kb_findings_in_groups, kb_red_flags, kb_rule_findings
from thighdx.language.linear import LinearModel, packaged, sentence_spans, use_packaged
from thighdx.language.mention import Choice, Mention
from thighdx.language.timing import DURATION_ID

NAME = "readings"
READ = ("present", "absent")
# What the lexicon reads from structure a bag of words cannot see is left to the lexicon:
# where it hurts (a body part with a sensation: "calf fine, thigh sore" is no calf pain) and how
# long (a duration of the complaint, computed by `durations`, not of a holiday). On the labelled
# rounds, left out one at a time, adding them bought as much recall as it cost precision, and
# it withdrew computed durations the text plainly gave.
STRUCTURAL_GROUPS = frozenset({"location"})
COMPUTED = frozenset({DURATION_ID})


def reading_features(mentions: list[Mention]) -> set[str]:
    """The lexicon's readings as model features ("lex:leg_weakness:absent")."""
    return {f"lex:{m.id}:{m.choice_id}" for m in mentions if m.choice_id in READ}


def label(fid: str, choice: str) -> str:
    return f"{fid}={choice}"


def model(language: str) -> LinearModel | None:
    """The packaged model for `language` (None if there is none), loaded once."""
    return packaged(NAME, language)


def use_model(language: str, replacement: LinearModel | None) -> LinearModel | None:
    """Put `replacement` in place of the model for `language` (None: the lexicon alone) and
    return the one it replaced."""
    return use_packaged(NAME, language, replacement)


def _vetoes(reader: LinearModel) -> frozenset[str]:
    """The readings the model saw labelled often enough to withdraw (`about["vetoes"]`)."""
    return frozenset(str(name) for name in reader.about.get("vetoes", ()))


def left_to_the_lexicon() -> frozenset[str]:
    """Findings the model never touches: red flags, findings that alone demand emergency care, and
    what the lexicon reads from structure (`STRUCTURAL_GROUPS`, `COMPUTED`)."""
    return kb_red_flags() | kb_emergency_findings() | kb_findings_in_groups(STRUCTURAL_GROUPS) | COMPUTED


def may_add(fid: str, choice: str) -> bool:
    """Whether the model may add this reading: never of a finding left to the lexicon, never one
    that could hold a triage rule back (a denial of what sets a rule off, a presence of what holds
    one back)."""
    if fid in left_to_the_lexicon():
        return False
    raising, holding = kb_rule_findings()
    return not ((choice == "absent" and fid in raising) or (choice == "present" and fid in holding))


def may_withdraw(fid: str, choice: str) -> bool:
    """Whether the model may withdraw this lexicon reading: only a presence, never of a finding
    left to the lexicon, never of what can set a triage rule off. A denial stands: withdrawn, it
    was one more question before a person with a minor problem could be told so."""
    if choice != "present" or fid in left_to_the_lexicon():
        return False
    raising, _ = kb_rule_findings()
    return fid not in raising


def with_learned_reading(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    """`mentions` (the lexicon's) with the model's additions and withdrawals."""
    reader = model(language)
    if reader is None or not norm.strip():
        return mentions
    scores = reader.scores(norm, reading_features(mentions))
    veto = float(reader.about.get("veto", 0.0))
    vetoes = _vetoes(reader)
    out = []
    for m in mentions:
        name = label(m.id, m.choice_id)
        chance = scores.get(name)
        if chance is not None and chance < veto and name in vetoes and may_withdraw(m.id, m.choice_id):
            out.append(replace(m, choice_id="unknown", confidence=round(chance, 2)))
        else:
            out.append(m)
    read = {m.id for m in mentions}
    best: dict[str, tuple[float, Choice]] = {}
    for name, chance in scores.items():
        fid, _, choice = name.partition("=")
        wanted = chance >= reader.threshold and fid not in read and choice in READ and may_add(fid, choice)
        if wanted and (fid not in best or chance > best[fid][0]):
            best[fid] = (chance, "present" if choice == "present" else "absent")
    if best:
        spans = sentence_spans(norm, work, reader, [label(fid, choice) for fid, (_, choice) in best.items()])
        for fid, (chance, choice) in best.items():
            start, end = spans[label(fid, choice)]
            out.append(Mention(fid, choice, work[start:end], start, end, round(chance, 2)))
    return out
