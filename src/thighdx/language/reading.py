"""From matched findings and their ConText modifiers to one reading per finding.

Each finding is read present, absent or unknown, with a confidence: negation, uncertainty,
hypothetical, historical and other-person scope come from ConText; Turkish negative verb forms
and the question particle from `morphology`; a red flag is read absent only from a clear, close
negation, otherwise `unknown` (asked).
"""

from __future__ import annotations

import re
from typing import Any

from thighdx.language import morphology
from thighdx.language.clauses import clause
from thighdx.language.experiencer import FAMILY_HISTORY, written_for_someone_else
from thighdx.language.lexicon import Lexicon, implications
from thighdx.language.mention import Choice, Mention
from thighdx.language.pipeline import GROUP, LIST_BREAKS, LIST_WORDS
from thighdx.language.targets import Target
from thighdx.language.timing import DURATION_ID

# A negation cue this close to its finding (in tokens) becomes part of the mention's text.
CUE_JOIN_TOKENS = 4
# A red flag is read absent only from a negation at most this many tokens from it, with at
# least this confidence; otherwise it comes back `unknown` (to be asked).
RED_FLAG_CLOSE_TOKENS = 3
RED_FLAG_MIN_CONFIDENCE = 0.8
# A finding implied by another's reading (a fall implies a sudden onset) is less sure.
IMPLIED_CONFIDENCE = 0.8
# Clauses longer than this many words lower a reading's confidence.
LONG_CLAUSE_WORDS = 25


def _modifiers(span: Any) -> dict[str, tuple[int, Any]]:
    """Category -> (distance in tokens, nearest modifier) of a finding span, ignoring cues
    inside the span itself ("can't walk" is one finding, not a negated "walk"; medspaCy's
    overlap test misses a cue that lies wholly inside a target)."""
    found: dict[str, tuple[int, Any]] = {}
    for modifier in span._.modifiers:
        start, end = modifier.modifier_span
        if span.start <= start and end <= span.end:
            continue
        distance = start - span.end if start >= span.end else span.start - end
        best = found.get(modifier.category)
        if best is None or distance < best[0]:
            found[modifier.category] = (distance, modifier)
    return found


def _between(span: Any, modifier: Any) -> Any:
    m_start, m_end = modifier.modifier_span
    lo, hi = (m_end, span.start) if m_end <= span.start else (span.end, m_start)
    return span.doc[lo:hi]


def _crosses_list(span: Any, modifier: Any) -> bool:
    """Whether a negation reaches its finding past a comma or a list word ("no swelling,
    numbness or tingling"): a fair reading, but a less certain one."""
    return any(t.lower_ in LIST_BREAKS for t in _between(span, modifier))


def _effective_distance(span: Any, modifier: Any, language: str) -> int:
    """Tokens between a cue and its finding that are neither other findings nor list words:
    in "no chest pain or shortness of breath" the negation is next to both."""
    covered = {i for other in span.doc.spans[GROUP] for i in range(other.start, other.end)}
    words = LIST_WORDS[language]
    return sum(1 for t in _between(span, modifier) if t.i not in covered and t.lower_ not in words and not t.is_space)


def _confidence(target: Target, span: Any, negation: tuple[int, Any] | None, clause_words: int, language: str) -> float:
    """How sure a present/absent reading is (see `Mention.confidence`)."""
    value = 1.0
    if target.stem:
        value *= 0.9
    if target.weak:
        value *= 0.7
    if clause_words > LONG_CLAUSE_WORDS:
        value *= 0.9 if clause_words <= 2 * LONG_CLAUSE_WORDS else 0.8
    if target.absent:
        value *= 0.95
    if negation is not None:
        distance = _effective_distance(span, negation[1], language)
        if distance > 1:
            value *= max(0.5, 1.0 - 0.07 * (distance - 1))
        if _crosses_list(span, negation[1]):
            value *= 0.95
    return round(value, 3)


# A Turkish wording whose own verb is negative or says "cannot" ("idrar yapamadı", "hissetmiyor")
# names the symptom; a negation word before it ("hiç yapamadı": not at all) reinforces it.
_TR_INABILITY = re.compile(r"(?:[ae]m[ae](?:d[iu]|z|y|m|r)|[ae]m[iu]yor|m[iu]yor|m[ae]d[iu]|m[ae]z)\w*$")


def _names_an_inability(norm: str, start: int, end: int) -> bool:
    words = norm[start:end].split()
    return bool(words) and _TR_INABILITY.search(words[-1]) is not None



def decide(doc: Any, info: list[Target], norm: str, work: str, lexicon: Lexicon) -> list[Mention]:
    """One mention per finding from the matched spans and their ConText modifiers."""
    lang = lexicon.language
    proxy = written_for_someone_else(norm, lang)
    by_entry = {entry.id: entry for entry in lexicon.entries}
    chosen: dict[str, tuple[Choice, int, int, float]] = {}
    spans_by_id: dict[str, list[tuple[int, int]]] = {}
    for target in info:
        spans_by_id.setdefault(target.fid, []).append((target.start, target.end))
    # Wording that says a finding is absent ("my bladder is fine") outweighs a bare mention
    # of the same finding in that sentence ("bladder").
    absent_in = {(t.fid, span.sent.start) for span, t in zip(doc.spans[GROUP], info, strict=False) if t.absent}
    for span, target in zip(doc.spans[GROUP], info, strict=False):
        start, end, fid = target.start, target.end, target.fid
        entry = by_entry[fid]
        if not target.absent and (fid, span.sent.start) in absent_in:
            continue
        if any(s < end and start < e for other in entry.suppressed_by for s, e in spans_by_id.get(other, ())):
            continue  # a more specific finding covers the same words
        modifiers = _modifiers(span)
        if proxy:
            for category in ("FAMILY", "OTHER_PERSON"):
                cue = modifiers.get(category)
                if cue is not None and not FAMILY_HISTORY.search(doc[cue[1].modifier_span[0] : cue[1].modifier_span[1]].text):
                    del modifiers[category]
        out_id: str | None = fid
        if "FAMILY" in modifiers:
            out_id = entry.family
        elif "OTHER_PERSON" in modifiers:
            out_id = None
        elif "HISTORICAL" in modifiers and entry.historical != "keep":
            out_id = None if entry.historical == "drop" else entry.historical
        if out_id is None:
            continue
        negation = modifiers.get("NEGATED_EXISTENCE")
        if fid == DURATION_ID:
            negation = None  # "it has not healed for 3 months": the time is still told
        # A negative verb ending or wording that itself says "absent", negated once more, is present.
        negated = (negation is not None) != (target.negative or target.absent)
        if lang == "tr" and negation is not None and (target.negative or target.absent):
            # Turkish negation words reinforce a negative verb ("hiç uyuşmadı"); only
            # "değil" turns one round ("uyuşmuyor değil": it does go numb).
            m_start, m_end = negation[1].modifier_span
            negated = not span.doc[m_start:m_end].text.startswith("degil")
        elif lang == "tr" and negation is not None and _names_an_inability(norm, start, end):
            # The finding's own wording says "cannot" ("idrar yapamadım"): "hiç" (at all) before it
            # reinforces the symptom; only "değil" denies it.
            m_start, m_end = negation[1].modifier_span
            negated = span.doc[m_start:m_end].text.startswith("degil")
        left, right = clause(norm, start, end, lang)
        confidence = _confidence(target, span, negation if negated else None, len(norm[left:right].split()), lang)
        choice: Choice
        if "POSSIBLE_EXISTENCE" in modifiers or "HYPOTHETICAL" in modifiers or _asked(span, lang) or _queried(norm, start):
            choice = "unknown"
        elif target.ask and not negated:
            choice = "unknown"  # it may be said, not surely: ask it
        else:
            choice = "absent" if negated else "present"
        if choice == "absent" and target.absent and _state_denied(span, lang):
            choice = "unknown"  # "idrarım normal değil": the normal state itself is denied
        if choice == "absent" and target.group and not _plain_group_denial(span, negation, lang):
            choice = "unknown"  # "my bladder doesn't empty" denies nothing: ask it
        if choice == "absent" and out_id in lexicon.red_flags and not _clear_negation(target, negation, confidence, span, lang):
            choice = "unknown"  # a red flag the text may deny, but not clearly: ask it
        if choice == "unknown":
            confidence = round(min(confidence, 0.5), 3)
        if choice == "absent" and negation is not None and negated:
            distance, modifier = negation
            m_start, m_end = modifier.modifier_span
            if distance <= CUE_JOIN_TOKENS:
                start = min(start, doc[m_start].idx)
                last = doc[m_end - 1]
                end = max(end, last.idx + len(last.text))
        _keep(chosen, out_id, choice, start, end, confidence, out_id in lexicon.red_flags)
    for fid, (choice, s, e, conf) in list(chosen.items()):
        if choice == "present":
            for implied in implications().get(fid, ()):
                if implied not in chosen:
                    chosen[implied] = ("present", s, e, round(conf * IMPLIED_CONFIDENCE, 3))
    mentions = [Mention(fid, choice, work[s:e], s, e, conf) for fid, (choice, s, e, conf) in chosen.items()]
    mentions.sort(key=lambda m: (m.start, m.end, m.id))
    return mentions


# A word for a function or a group ("bladder", "sphincters", "neuro", "idrar") is denied only
# by a state said of it ("normal", "intact", "fine") or by a plain denial of trouble with it
# ("no bladder problems", "nörolojik bulgu yok"). A verb denied after it says the opposite
# ("my bladder doesn't empty", "tuvalete gidemiyor") and "no" + the word alone may name the
# complaint ("no sensation", "idrar yok"): those are asked.
STATE_CUES = {
    "en": frozenset({"normal", "intact", "preserved", "unremarkable", "nad", "stable", "fine", "grand", "ok", "okay", "neg", "-ve",
                     "negative", "denied", "denies", "deny", "is fine", "are fine", "feels fine", "is ok", "is okay", "are ok", "is normal",
                     "are normal", "is all fine", "as normal", "as usual", "all good", "no problem", "no problems", "no issues",
                     "are all fine", "are okay", "seems fine", "seem fine", "is working fine", "no different", "as ever", "normally"}),
    "tr": frozenset({"normal", "iyi", "sorunsuz", "rahat", "rahatim", "gayet iyi", "normal gibi", "temiz"}),
}
PLAIN_DENIALS = {
    "en": frozenset({"no", "without", "without any", "none", "nil", "free of", "negative for", "absence of", "no sign of", "no signs of"}),
    "tr": frozenset({"yok", "yoktu", "yoktur", "hic yok"}),
}
TROUBLE_WORDS = {
    "en": re.compile(r"(?:problems?|probs?|issues?|trouble|bother|symptoms?|sx|signs?|involvement|disturbance|dysfunction|deficits?|"
                     r"changes?|complaints?|concerns?|difficulty|difficulties|incontinence|accidents?)$"),
    "tr": re.compile(r"(?:sorun\w*|problem\w*|sikayet\w*|bulgu\w*|belirti\w*|rahatsizli\w*|bozuklu\w*|defisit\w*|kacir\w*)$"),
}


def _state_denied(span: Any, language: str) -> bool:
    """Whether wording that says a finding is absent ("idrarım normal") is itself denied by the
    word after it ("... değil")."""
    after = span.doc[span.end : min(span.end + 1, len(span.doc))]
    return language == "tr" and any(t.lower_.startswith("degil") for t in after)


def _plain_group_denial(span: Any, negation: tuple[int, Any] | None, language: str) -> bool:
    if negation is None:
        return False
    m_start, m_end = negation[1].modifier_span
    cue = span.doc[m_start:m_end].text
    if cue in STATE_CUES[language]:
        return True
    if cue not in PLAIN_DENIALS[language]:
        return False
    words = [t.lower_ for t in span] + [t.lower_ for t in span.doc[span.end : min(span.end + 4, span.sent.end)] if not t.is_punct]
    return any(TROUBLE_WORDS[language].match(w) for w in words)


def _queried(norm: str, start: int) -> bool:
    """Clinical shorthand: a question mark written before a word ("?DVT", "? sciatica")
    marks it as a query, not a finding."""
    i = start - 1
    while i >= 0 and norm[i] == " ":
        i -= 1
    if i < 0 or norm[i] != "?":
        return False
    return i == 0 or not norm[i - 1].isalnum() or start - i == 1


def _asked(span: Any, language: str) -> bool:
    """A Turkish finding followed by the question particle ("uyuşuyor mu", "şişlik var mı")
    is asked, not asserted."""
    if language != "tr":
        return False
    doc = span.doc
    for token in doc[span.end : min(span.end + 3, span.sent.end)]:
        if token.is_punct:
            return False
        if morphology.is_question_particle(token.lower_):
            return True
    last = doc[span.end - 1].lower_
    return morphology.JOINED_QUESTION.fullmatch(last) is not None


def _clear_negation(target: Target, negation: tuple[int, Any] | None, confidence: float, span: Any, language: str) -> bool:
    """A red flag's absence must be said plainly and close to it: by its own wording ("my
    bladder is fine"), a negative ending on its own word, or a negation cue a few tokens away
    (other findings of a list in between do not count); never in a question."""
    if confidence < RED_FLAG_MIN_CONFIDENCE or "?" in span.sent.text:
        return False
    if negation is None:
        return target.absent or target.negative
    return _effective_distance(span, negation[1], language) <= RED_FLAG_CLOSE_TOKENS


RANK = {"present": 2, "absent": 1, "unknown": 0}
# For a red flag, an unsure reading anywhere outranks an absent one: it is asked, not denied.
RED_FLAG_RANK = {"present": 2, "unknown": 1, "absent": 0}


def _keep(chosen: dict[str, tuple[Choice, int, int, float]], fid: str, choice: Choice, start: int, end: int, confidence: float,
          red_flag: bool = False) -> None:
    """One mention per finding: present outranks absent outranks unknown (for a red flag,
    unknown outranks absent); then the first."""
    previous = chosen.get(fid)
    rank = RED_FLAG_RANK if red_flag else RANK
    if previous is None or rank[choice] > rank[previous[0]]:
        chosen[fid] = (choice, start, end, confidence)

