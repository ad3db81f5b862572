"""The lexicon's reading completed by a model learned from labelled texts.

The lexicon reads what its patterns name and misses what they do not. A linear model
(`linear.LinearModel`), one logistic regression per reading ("pain_dull_ache=present"), scores
each reading from the text's words and letter groups together with what the lexicon read; it was
fitted on every labelled set in the repository (`python -m thighdx.evaluation.reading_training`).
Where the lexicon read nothing of a finding, it adds the reading whose chance reaches the model's
`threshold` (its span: the sentence that scores highest for it; its confidence: that chance).

It only adds. It never withdraws or changes what the lexicon read (a plainly stated history, a
denial), and it adds nothing:
- of a red flag or a finding that alone demands emergency care (the lexicon's reading stands;
  the red-flag detector adds hints);
- of where it hurts or how long, which the lexicon reads from structure a bag of words cannot
  see ("calf fine, thigh sore" is no calf pain; "a two week holiday" is not the complaint's time);
- that could lower a level a triage rule sets (`lexicon.kb_unsafe_readings`: a reading that
  would hold back a rule raising the level, or let one lowering it match, in triage.yaml or any
  condition's own rules); when those rules cannot be read, it adds nothing at all.
- present, of a finding the lexicon's present reading excludes (`lexicon/implies.yaml`
  `excludes`: "both legs swollen" and "swelling on one side");
- of an illness in the person's history (`HISTORY_GROUPS`; not a risk of a clot) whose best evidence is a
  sentence that opens with a relative and never names the writer ("Dad had gout for years":
  the family's history, not the person's), in a text not written about that relative.
Its threshold was chosen by leaving each labelled round out in turn (`docs/language.md`). If the
model fails in any way, the lexicon's reading is returned unchanged.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from thighdx.language.experiencer import about_a_relative_only, written_for_someone_else
from thighdx.language.lexicon import exclusions, kb_emergency_findings, kb_findings_in_groups, kb_red_flags, kb_unsafe_readings
from thighdx.language.linear import LinearModel, packaged, sentence_spans, use_packaged
from thighdx.language.mention import Choice, Mention
from thighdx.language.timing import DURATION_ID

NAME = "readings"
READ: tuple[Choice, Choice] = ("present", "absent")
STRUCTURAL_GROUPS = frozenset({"location"})
COMPUTED = frozenset({DURATION_ID})
HISTORY_GROUPS = frozenset({"health"})

log = logging.getLogger(__name__)


def reading_features(mentions: list[Mention]) -> set[str]:
    """The lexicon's readings as model features ("lex:leg_weakness:absent")."""
    return {f"lex:{m.id}:{m.choice_id}" for m in mentions if m.choice_id in READ}


def label(fid: str, choice: str) -> str:
    """A reading's name in the model ("leg_weakness=absent")."""
    return f"{fid}={choice}"


def model(language: str) -> LinearModel | None:
    """The packaged model for `language` (None if there is none), loaded once."""
    return packaged(NAME, language)


def use_model(language: str, replacement: LinearModel | None) -> LinearModel | None:
    """Put `replacement` in place of the model for `language` (None: the lexicon alone) and
    return the one it replaced."""
    return use_packaged(NAME, language, replacement)


@lru_cache(maxsize=1)
def left_to_the_lexicon() -> frozenset[str]:
    """Findings the model never reads: red flags, findings that alone demand emergency care, and
    what the lexicon reads from structure (`STRUCTURAL_GROUPS`, `COMPUTED`)."""
    return kb_red_flags() | kb_emergency_findings() | kb_findings_in_groups(STRUCTURAL_GROUPS) | COMPUTED


@lru_cache(maxsize=1)
def histories() -> frozenset[str]:
    """Illnesses and risks a relative may have had too (a family history itself excepted)."""
    return frozenset(f for f in kb_findings_in_groups(HISTORY_GROUPS) if not f.startswith("family_history"))


def may_add(fid: str, choice: str) -> bool:
    """Whether the model may add this reading (see the module's docstring)."""
    unsafe = kb_unsafe_readings()
    if unsafe is None or not kb_red_flags() or fid in left_to_the_lexicon():
        return False
    not_present, not_absent = unsafe
    return choice in READ and fid not in (not_present if choice == "present" else not_absent)


def with_learned_reading(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    """`mentions` (the lexicon's) with the model's additions; the lexicon's alone if it fails."""
    try:
        return mentions + _additions(mentions, norm, work, language)
    except Exception:  # a broken model must never cost the lexicon's reading, red flags first
        log.exception("the learned reader failed; the lexicon's reading is used alone")
        return mentions


def _additions(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    reader = model(language)
    if reader is None or not norm.strip():
        return []
    scores = reader.scores(norm, reading_features(mentions))
    read = {m.id for m in mentions}
    excluded = {other for m in mentions if m.choice_id == "present" for other in exclusions().get(m.id, ())}
    best: dict[str, tuple[float, Choice]] = {}
    for name, chance in scores.items():
        fid, _, choice = name.partition("=")
        wanted = chance >= reader.threshold and fid not in read and choice in READ and may_add(fid, choice)
        wanted = wanted and not (choice == "present" and fid in excluded)
        if wanted and (fid not in best or chance > best[fid][0]):
            best[fid] = (chance, "present" if choice == "present" else "absent")
    if not best:
        return []
    spans = sentence_spans(norm, work, reader, [label(fid, choice) for fid, (_, choice) in best.items()])
    out = []
    for fid, (chance, choice) in best.items():
        start, end = spans[label(fid, choice)]
        if fid in histories() and about_a_relative_only(norm[start:end], language) and not written_for_someone_else(norm, language):
            continue  # its best evidence is what a relative has or had: left unknown, for the interview to ask

        out.append(Mention(fid, choice, work[start:end], start, end, round(chance, 2), learned=True))
    return out
