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
from thighdx.language.clauses import clause, sentence
from thighdx.language.experiencer import FAMILY_HISTORY, about_a_relative_only, written_for_someone_else
from thighdx.language.lexicon import Lexicon, implications, kb_background_findings
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
# An event told as unnoticed ("I didn't realise I'd wet myself") is present, less surely.
UNNOTICED_CONFIDENCE = 0.8
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


# Words that deny what follows them in a sentence; before a red flag's normal-state wording, with
# no other finding between, they may deny that state ("I haven't, since the fall, been peeing
# normally"), so the red flag is asked, not ruled out.
FINDING_TOKENS = "thighdx_finding_tokens"  # doc.user_data key of `_finding_tokens`
DENYING_WORDS = {
    "en": frozenset({"not", "no", "never", "haven't", "hasn't", "hadn't", "didn't", "don't", "doesn't", "can't", "cannot",
                     "couldn't", "isn't", "aren't", "wasn't", "weren't", "won't", "havent", "hasnt", "didnt", "dont", "doesnt",
                     "cant", "isnt", "wasnt", "n't"}),
    "tr": frozenset(),
}


def _finding_tokens(doc: Any) -> frozenset[int]:
    """The token indices every finding's words cover (worked out once per text)."""
    cached: frozenset[int] | None = doc.user_data.get(FINDING_TOKENS)
    if cached is None:
        cached = doc.user_data[FINDING_TOKENS] = frozenset(i for other in doc.spans[GROUP] for i in range(other.start, other.end))
    return cached


def _denied_before(span: Any, language: str) -> bool:
    """Whether a denying word stands earlier in the sentence with no other finding between."""
    words = DENYING_WORDS[language]
    if not words:
        return False
    covered = _finding_tokens(span.doc)
    for token in reversed(span.doc[span.sent.start : span.start]):
        if token.i in covered:
            return False
        if token.lower_ in words:
            return True
    return False


def _across_a_break(span: Any, modifier: Any) -> bool:
    """Whether a cue before a finding is parted from it by a comma or a semicolon with another
    finding of its own in between ("no numbness down below, bladder fine"), not only by an aside
    ("I haven't, since the fall, been peeing normally": the cue is this finding's)."""
    if modifier.modifier_span[1] > span.start:
        return False
    between = _between(span, modifier)
    covered = _finding_tokens(span.doc)
    return any(t.text in {",", ";"} for t in between) and any(t.i in covered for t in between)


def _effective_distance(span: Any, modifier: Any, language: str) -> int:
    """Tokens between a cue and its finding that are neither other findings nor list words:
    in "no chest pain or shortness of breath" the negation is next to both."""
    covered = _finding_tokens(span.doc)
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
    worded: dict[str, list[tuple[int, int]]] = {}  # a finding's own wording (not a group word)
    for target in info:
        spans_by_id.setdefault(target.fid, []).append((target.start, target.end))
        if not target.group:
            worded.setdefault(target.fid, []).append((target.start, target.end))
    # Wording that says a finding is absent ("my bladder is fine") outweighs a bare mention
    # of the same finding in that sentence ("bladder").
    # (Two times in one sentence are both told: "for 3 months, 2 days ago it went numb".)
    absent_in = {(t.fid, span.sent.start) for span, t in zip(doc.spans[GROUP], info, strict=False) if t.absent and t.fid != DURATION_ID}
    for span, target in zip(doc.spans[GROUP], info, strict=False):
        start, end, fid = target.start, target.end, target.fid
        entry = by_entry[fid]
        if not target.absent and (fid, span.sent.start) in absent_in and not (
                fid in lexicon.red_flags and not target.group and not target.ask):
            continue  # (a red flag's own words stand: "my foot is warm but my toes are white")
        if any(s < end and start < e for other in entry.suppressed_by for s, e in spans_by_id.get(other, ())):
            continue  # a more specific finding covers the same words
        if target.group and any(s <= start and end <= e for s, e in worded.get(fid, ())):
            continue  # "no trouble breathing": the finding's own words are read, not the group word in them
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
        elif not proxy and fid != DURATION_ID and fid in kb_background_findings() and not fid.startswith("family_history") and about_a_relative_only(
                norm[slice(*sentence(norm, start, end))], lang):
            out_id = entry.family  # "Mum had a DVT after her op.", "Babam şeker hastası.": the relative's history
        elif "HISTORICAL" in modifiers and entry.historical != "keep":
            out_id = None if entry.historical == "drop" else entry.historical
        if out_id is None:
            continue
        negation = modifiers.get("NEGATED_EXISTENCE")
        if fid == DURATION_ID:
            negation = None  # "it has not healed for 3 months": the time is still told
        if negation is not None and target.absent and _cue_text(negation[1], span) in STATE_CUES[lang]:
            negation = None  # "normal wee, normal poo": one state said beside another denies neither
        if (negation is not None and not target.absent and fid in kb_background_findings()
                and _cue_text(negation[1], span) in EASE_CUES[lang] and negation[1].modifier_span[0] >= span.end):
            negation = None  # "on warfarin, no problems": a state said after a medicine or a history does not deny it
        if negation is not None and target.absent and _across_a_break(span, negation[1]):
            negation = None  # "no numbness down below, bladder fine": a state said in its own list item
        # A negative verb ending or wording that itself says "absent", negated once more, is present.
        negated = (negation is not None) != (target.negative or target.absent)
        unsure = unnoticed = False
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
        if negated and negation is not None and not target.absent:
            contrast = _habitual(span, negation[1], lang)
            if contrast == "present":
                negation, negated = None, target.negative  # "it went brown, normally it isn't"
            elif contrast == "unknown":
                unsure = True
            elif _unnoticed(span, negation[1], lang):
                negation, negated, unnoticed = None, target.negative, True
        elif negated and negation is None and target.negative and _habitual_before(span, lang):
            unsure = True  # "normalde bacağım şişmez": what is usual, not what is now
        left, right = clause(norm, start, end, lang)
        confidence = _confidence(target, span, negation if negated else None, len(norm[left:right].split()), lang)
        if unnoticed:
            confidence = round(confidence * UNNOTICED_CONFIDENCE, 3)
        choice: Choice
        if unsure or "POSSIBLE_EXISTENCE" in modifiers or "HYPOTHETICAL" in modifiers or _asked(span, lang) or _queried(norm, start):
            choice = "unknown"
        elif target.ask and not negated:
            choice = "unknown"  # it may be said, not surely: ask it
        else:
            choice = "absent" if negated else "present"
        if choice == "absent" and target.absent and _state_denied(span, lang):
            choice = "unknown"  # "idrarım normal değil": the normal state itself is denied
        if choice == "absent" and target.absent and out_id in lexicon.red_flags and _denied_before(span, lang):
            choice = "unknown"  # "I haven't, since the fall, been peeing normally": a denial of the state itself may reach it
        if choice == "absent" and target.group and not _plain_group_denial(span, negation, lang):
            choice = "unknown"  # "my bladder doesn't empty" denies nothing: ask it
        if choice == "absent" and out_id in lexicon.red_flags and not (
                _clear_negation(target, negation, confidence, span, lang) and _plain_denial(target, negation, span, lang)):
            choice = "unknown"  # a red flag the text may deny, but not plainly: ask it
        answer = _answered(span, lang) if not target.absent and not target.group else None
        if answer is not None:
            choice, confidence = answer, ANSWERED_CONFIDENCE  # "Numbness? No.": a question the text answers itself
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
    "tr": frozenset({"normal", "iyi", "sorunsuz", "rahat", "rahatim", "gayet iyi", "normal gibi", "temiz", "tamam", "korunmus",
                     "yerinde"}),
}
# States of ease said after something ("on warfarin, no problems"): they tell how it goes, and
# deny a symptom or a function, never a medicine or a history (as "denied", "negative" do).
EASE_CUES = {
    "en": frozenset({"fine", "grand", "ok", "okay", "all good", "no problem", "no problems", "no issues", "is fine", "are fine",
                     "feels fine", "is ok", "is okay", "are ok", "are okay", "as usual", "as normal", "stable", "seems fine",
                     "seem fine", "is working fine", "as ever"}),
    "tr": frozenset({"iyi", "sorunsuz", "rahat", "rahatim", "gayet iyi", "tamam"}),
}
# (A verb's negation counts only with a word of trouble: "haven't had any trouble with my
# bladder" denies it; "my bladder doesn't empty" does not.)
PLAIN_DENIALS = {
    "en": frozenset({"no", "without", "without any", "none", "nil", "free of", "negative for", "absence of", "no sign of", "no signs of",
                     "not", "never", "have not", "haven't", "havent", "has not", "hasn't", "hasnt", "had no", "did not", "didn't",
                     "didnt", "do not", "don't", "dont", "does not", "doesn't", "doesnt"}),
    "tr": frozenset({"yok", "yoktu", "yoktur", "hic yok"}),
}
TROUBLE_WORDS = {
    "en": re.compile(r"(?:problems?|probs?|issues?|trouble|bother|symptoms?|sx|signs?|involvement|disturbance|dysfunction|deficits?|"
                     r"changes?|complaints?|concerns?|difficulty|difficulties|incontinence|accidents?)$"),
    "tr": re.compile(r"(?:sorun\w*|problem\w*|sikayet\w*|bulgu\w*|belirti\w*|rahatsizli\w*|bozuklu\w*|defisit\w*|kacir\w*|inkontinans\w*|degisiklik\w*)$"),
}


def _cue_text(modifier: Any, span: Any) -> str:
    m_start, m_end = modifier.modifier_span
    return str(span.doc[m_start:m_end].text).lower()


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
    between = [t.lower_ for t in _between(span, negation[1])]
    words = between + [t.lower_ for t in span] + [t.lower_ for t in span.doc[span.end : min(span.end + 4, span.sent.end)] if not t.is_punct]
    return any(TROUBLE_WORDS[language].match(w) for w in words)


# A finding asked as a short question and answered at once, as in notes and lists:
# "Numbness? No.", "Weakness? Yes, the left foot.", "Uyuşma? Yok."
ANSWERS = {
    "en": {"no": "absent", "nope": "absent", "none": "absent", "nah": "absent", "negative": "absent", "neg": "absent",
           "nil": "absent", "yes": "present", "yep": "present", "yeah": "present", "yup": "present", "positive": "present"},
    "tr": {"yok": "absent", "hayir": "absent", "yoktu": "absent", "var": "present", "evet": "present", "vardi": "present"},
}
ANSWERED_CONFIDENCE = 0.9
QUESTION_OTHER_WORDS = 1  # "Any numbness?"


def _answered(span: Any, language: str) -> Choice | None:
    """The answer right after a short question that is only the finding ("Numbness? No.")."""
    sent = span.sent
    others = [t for t in sent if not t.is_punct and not t.is_space and not span.start <= t.i < span.end]
    if not sent.text.rstrip().endswith("?") or len(others) > QUESTION_OTHER_WORDS:
        return None
    doc = span.doc
    following = [t for t in doc[sent.end : min(sent.end + 3, len(doc))] if not t.is_space]
    if not following or (len(following) > 1 and not following[1].is_punct):
        return None  # "No idea.", "No numbness though": not an answer to the question
    found = ANSWERS[language].get(following[0].lower_)
    return None if found is None else ("absent" if found == "absent" else "present")


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
    if negation[1].modifier_span[1] <= span.start and any(t.text in CLAUSE_BREAKS for t in span):
        return False  # "hiç çiş yapamadım, yaptığım kahverengi": a denial before a wording that runs on past a clause break
    fillers = PLAIN_FILLERS[language]
    words = [t for t in _between(span, negation[1]) if not fillers.fullmatch(t.lower_)]
    return min(len(words), _effective_distance(span, negation[1], language)) <= RED_FLAG_CLOSE_TOKENS


# Tokens that end a clause inside a finding's wording.
CLAUSE_BREAKS = frozenset({",", ";", ":", "."})


# A negated verb of perception or knowing over an event says the event went unnoticed, not
# that it did not happen: "she didn't feel herself wet the bed", "I didn't realise I'd
# wet myself", "without noticing it had gone numb", "altımı ıslattığımı fark etmedim".
PERCEPTION = {
    "en": re.compile(r"(?:feel|feels|felt|feeling|notice|notices|noticed|noticing|reali[sz]e|reali[sz]es|reali[sz]ed|reali[sz]ing|know|knew|"
                     r"knowing|see|saw|seen|seeing|sense|sensed|remember|remembered|remembering|aware|unaware|clue|idea)"),
    "tr": re.compile(r"(?:hisset|fark|farkin|anla|bil|gor|duy|hatirla)\w*"),
}
# What opens a clause after such a verb (a subject, "that", "when"): an event, not a thing.
CLAUSE_OPENERS = {
    "en": frozenset({"i", "i'd", "id", "'d", "she", "he", "they", "we", "it", "she'd", "he'd", "myself", "herself", "himself",
                     "themselves", "itself", "that", "when", "how", "had", "was", "were", "what"}),
    "tr": frozenset(),
}
# "... until", "... till": it was noticed later, so it was there.
LATER = frozenset({"until", "till", "til", "untill"})
# A Turkish verb made a noun to be the object of knowing or noticing: "ıslattığımı",
# "kaçırdığını", "uyuştuğunu", "olacağını", "kaçırmasını".
_TR_NOMINAL_VERB = re.compile(r"\w+(?:[dt][iu]g|[ae]c[ae]g)[iu]\w*|\w+m[ae]s[iu]n[iu]")


def _unnoticed(span: Any, modifier: Any, language: str) -> bool:
    """Whether a negation is a negated verb of perception or knowing whose object is an
    event ("didn't feel herself wet the bed", "didn't notice the swelling until Monday",
    "kaçırdığımı fark etmedim"): the event happened unnoticed, which denies nothing."""
    doc = span.doc
    m_start, m_end = modifier.modifier_span
    pattern = PERCEPTION[language]
    if language == "en":
        if m_start > span.start:
            return False
        words = [t.lower_ for t in doc[m_start : span.start]]
        verbs = [i for i, w in enumerate(words) if pattern.fullmatch(w)]
        if not verbs:
            return False
        after = words[verbs[0] + 1 :]
        later = [t.lower_ for t in doc[span.end : min(span.end + 4, span.sent.end)]]
        return any(w in CLAUSE_OPENERS["en"] for w in after) or any(w in LATER for w in later)
    cue = [t.lower_ for t in doc[m_start:m_end]] + [t.lower_ for t in doc[max(m_start - 1, span.end) : m_start]]
    if m_start < span.end or not any(pattern.fullmatch(w) for w in cue):
        return False
    object_words = [t.lower_ for t in doc[span.end - 1 : m_start]]
    return any(_TR_NOMINAL_VERB.fullmatch(w) for w in object_words)


# A negation about what is usual ("normally it isn't like this", "normalde böyle değil",
# "it doesn't always hurt") contrasts with now: it denies nothing present.
HABITUAL = {
    "en": frozenset({"normally", "usually", "generally", "typically", "ordinarily", "always", "mostly", "customarily"}),
    "tr": frozenset({"normalde", "genelde", "genellikle", "hep", "normal zamanda", "her zaman", "olagan", "eskiden", "oncesinde"}),
}
HABITUAL_REACH = 2


def _habitual(span: Any, modifier: Any, language: str) -> str | None:
    """How a negation framed by a word for what is usual reads: "present" when the finding
    is told first and the usual state between it and the negation ("my pee went brown,
    it's not like that normally" is told apart by its comma; "çiş rengi koyulaştı normalde
    böyle değil"), "unknown" when the usual state frames the negation of the finding itself
    ("I don't normally get swelling", "normally I don't get swelling"), None without such a
    word. Nothing is looked for past punctuation."""
    doc = span.doc
    m_start, m_end = modifier.modifier_span
    words = HABITUAL[language]

    def habitual_at(lo: int, hi: int) -> bool:
        for token in doc[max(lo, span.sent.start) : min(hi, span.sent.end)]:
            pair = f"{token.lower_} {doc[token.i + 1].lower_}" if token.i + 1 < len(doc) else ""
            if token.lower_ in words or pair in words:
                return True
        return False

    def unbroken(lo: int, hi: int) -> bool:
        return not any(t.is_punct for t in doc[max(lo, 0) : hi])

    if m_start >= span.end:  # the negation after the finding
        if unbroken(span.end, m_start) and habitual_at(span.end, m_start):
            return "present"
        if unbroken(m_end, m_end + HABITUAL_REACH) and habitual_at(m_end, m_end + HABITUAL_REACH):
            return "unknown"
        return None
    if unbroken(m_end, span.start) and habitual_at(m_end, span.start):
        return "unknown"
    if unbroken(m_start - HABITUAL_REACH, m_start) and habitual_at(m_start - HABITUAL_REACH, m_start):
        return "unknown"
    return None


def _habitual_before(span: Any, language: str) -> bool:
    """Whether a word for what is usual comes just before a finding, in its clause."""
    doc = span.doc
    lo = max(span.sent.start, span.start - HABITUAL_REACH - 1)
    words = HABITUAL[language]
    for token in doc[lo : span.start]:
        pair = f"{token.lower_} {doc[token.i + 1].lower_}"
        if (token.lower_ in words or pair in words) and not any(t.is_punct for t in doc[token.i : span.start]):
            return True
    return False


# A red flag is read absent only from a plain denial: a negation word that scopes the
# finding's own words with nothing but these between ("no X", "haven't had any X", "X: none",
# "denies X", "X yok", "X olmadı"), the finding's own negative verb ending, or its own
# wording for "fine". Anything wider ("didn't feel ...", "not that I ...") is asked.
PLAIN_RED_FLAG_CUES = {
    "en": frozenset({"no", "not", "never", "nor", "neither", "without", "without any", "deny", "denies", "denied", "don't", "dont",
                     "do not", "doesn't", "doesnt", "does not", "didn't", "didnt", "did not", "haven't", "havent", "have not",
                     "hasn't", "hasnt", "has not", "hadn't", "isn't", "isnt", "is not", "aren't", "arent", "are not", "wasn't",
                     "wasnt", "was not", "weren't", "free of", "no sign of", "no signs of", "none", "nil", "zero", "absence of",
                     "negative for", "ruled out", ": no", ": none", "- no", "nope", "neg", "-ve", "negative", "is absent"})
    | STATE_CUES["en"],
    "tr": frozenset({"yok", "yoktu", "yoktur", "hic yok", "olmadi", "olmamisti", "olmuyor", "degil", "degildi", "hic", "hicbir",
                     "ne", "asla", "bulunmuyor", "mevcut degil"}) | STATE_CUES["tr"],
}
PLAIN_FILLERS = {
    "en": re.compile(r"any|a|an|the|my|her|his|their|your|our|of|have|has|had|got|get|gotten|been|having|ever|at|all|other|"
                     r"also|either|or|and|,|nor|/|&|-|signs?|evidence|new|is|are|was|were|'s|s|experienced|reported|reports|"
                     r"complain(?:s|ed)?|really|real|proper|actual|true|obvious|major|significant|definite|particular|kind|"
                     r"sort|type|function(?:s|ing)?|control|working|works|feels?|felt|looks?|seems?|still|now|completely|totally|"
                     r"perfectly|pain|pains|ache|aches|discomfort|problems?|probs?|bother|trouble|issues?|episodes?|symptoms?|changes?|with|regarding"),
    "tr": re.compile(r"hic|bir|bi|herhangi|sekilde|de|da|ve|veya|ya|,|/|-|&|hicbir|ne|su|an|simdilik|falan|filan|sey|seyler|"
                     r"gercek|gercekten|belirgin|ciddi|fonksiyon\w*|islev\w*|agri\w*|aci\w*|sanci\w*|sizi\w*|sorun\w*|"
                     r"sikinti\w*|sikayet\w*|problem\w*|belirti\w*|bulgu\w*|kontrol\w*|inkontinans\w*|konu\w*|degisiklik\w*"),
}
# A Turkish negative verb right after a finding's words is the finding's own verb denied
# ("göğsüm ağrımıyor", "kan gelmiyor"), unless it says "cannot" (-(y)AmA-: "tutamıyor" is
# the complaint) or is a verb of perceiving ("hissetmiyor": the complaint, or unnoticed).
_TR_OWN_NEGATIVE_VERB = re.compile(r"\w+m[ae]d[iu]\w*|\w+m[iu]yor?\w*|\w+m[ae]m[iu]s\w*|\w+m[ae]z\w*")
_TR_INABLE = re.compile(r"\w*[ae]m[ae]\w*|\w*[ae]m[iu]yo\w*|\w*[ae]m[ae]d\w*")


def _own_verb_denied(span: Any, modifier: Any, language: str) -> bool:
    m_start, m_end = modifier.modifier_span
    if language != "tr" or m_start != span.end or m_end - m_start != 1:
        return False
    word = span.doc[m_start].lower_
    return (_TR_OWN_NEGATIVE_VERB.fullmatch(word) is not None and _TR_INABLE.fullmatch(word) is None
            and PERCEPTION["tr"].fullmatch(word) is None)


def _plain_denial(target: Target, negation: tuple[int, Any] | None, span: Any, language: str) -> bool:
    """Whether a red flag's absence is a plain denial of its own words (see `PLAIN_RED_FLAG_CUES`)."""
    if negation is None:
        return target.absent or target.negative
    modifier = negation[1]
    m_start, m_end = modifier.modifier_span
    cue = span.doc[m_start:m_end].text.lower()
    if _own_verb_denied(span, modifier, language):
        return True
    if cue not in PLAIN_RED_FLAG_CUES[language]:
        return False
    covered = _finding_tokens(span.doc)
    fillers = PLAIN_FILLERS[language]
    between = _between(span, modifier)
    doc = span.doc
    # an item of a written list ("denies CP/SOB"): a word joined to the next by "/" or "&"
    listed = {t.i for t in between if t.i + 1 < len(doc) and doc[t.i + 1].text in {"/", "&"}}
    return all(t.i in covered or t.i in listed or fillers.fullmatch(t.lower_) or t.is_space for t in between)


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

