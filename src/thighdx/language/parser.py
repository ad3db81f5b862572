"""Free text to canonical findings.

Findings are found by the lexicon's patterns (knowledge-base data, one entry per finding
per language) on a normalised copy of the text that keeps every offset; whether each one
is negated, uncertain, hypothetical, historical or said of someone else is decided by
medspaCy's ConText algorithm, run with the lexicon's own cue lists on a blank spaCy
pipeline (no model is downloaded). spaCy is imported on the first call, not at import.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from thighdx.language import morphology
from thighdx.language.detect import unsupported_language
from thighdx.language.durations import find_durations, find_recent_onsets, over_six_weeks
from thighdx.language.lexicon import LANGUAGES, PREFIX_CHARS, Cue, Lexicon, load_lexicon
from thighdx.language.text import normalise

Choice = Literal["present", "absent", "unknown"]
GROUP = "thighdx_findings"
ABSENT_LABEL = "__absent__"
# A negation cue this close to its finding (in tokens) becomes part of the mention's text.
CUE_JOIN_TOKENS = 4
# A red flag is read absent only from a negation at most this many tokens from it, with at
# least this confidence; otherwise it comes back `unknown` (to be asked).
RED_FLAG_CLOSE_TOKENS = 3
RED_FLAG_MIN_CONFIDENCE = 0.8
# Clauses longer than this many words lower a reading's confidence.
LONG_CLAUSE_WORDS = 25
LIST_ITEM_TOKENS = 3
# Words that may sit between a negation and a finding further along a list
# ("no swelling, numbness or tingling"); anything else ends the list at a comma.
LIST_WORDS = {
    "en": {",", "or", "and", "nor", "any", "my", "the", "a", "of", "in", "no", "other", "real", "/", "-", "either", "neither", "at", "all", "also"},
    "tr": {",", "veya", "ya", "da", "de", "ve", "ile", "hic", "ne", "bir", "/", "-", "ayrica", "herhangi"},
}
# Words that carry a list on past its next item.
LIST_BREAKS = {",", ";", "or", "and", "nor", "ve", "veya", "ya", "ile", "/"}
LIST_JOINERS = {"en": {"or", "nor", "and", "/"}, "tr": {"veya", "ya", "ve", "ile", "/"}}
CATEGORY = {
    "negation": "NEGATED_EXISTENCE",
    "uncertainty": "POSSIBLE_EXISTENCE",
    "hypothetical": "HYPOTHETICAL",
    "family": "FAMILY",
    "other_person": "OTHER_PERSON",
    "historical": "HISTORICAL",
    "terminate": "TERMINATE",
    "pseudo": "PSEUDO",
}
ATTRIBUTES = {
    "NEGATED_EXISTENCE": {"is_negated": True},
    "POSSIBLE_EXISTENCE": {"is_uncertain": True},
    "HYPOTHETICAL": {"is_hypothetical": True},
    "FAMILY": {"is_family": True},
    "OTHER_PERSON": {"is_family": True},
    "HISTORICAL": {"is_historical": True},
}


@dataclass(frozen=True)
class Mention:
    """One finding mentioned in a text: `text[start:end] == mention.text` (code points)."""

    id: str
    choice_id: Choice
    text: str
    start: int
    end: int
    # How sure the reading is, in [0, 1]: lower for stem-only matches, a negation far from
    # its finding or reaching along a list, long clauses, and uncertain mentions.
    confidence: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        """The mention as the API sends it (contract §5)."""
        return {"id": self.id, "choice_id": self.choice_id, "text": self.text, "start": self.start, "end": self.end,
                "confidence": self.confidence}


@dataclass(frozen=True)
class ParseResult:
    """Mentions plus what the caller should be told about the input."""

    mentions: list[Mention]
    truncated: bool
    max_chars: int
    parsed_chars: int
    # The text is clearly in a language the parser does not read (neither English nor
    # Turkish): no mentions are given rather than misreadings.
    unsupported_language: bool = False


_LOCK = threading.Lock()
_PIPELINES: dict[str, Any] = {}


def _token_pattern(cue: Cue, nlp: Any) -> list[dict[str, Any]]:
    if cue.regex:
        return [{"LOWER": {"REGEX": cue.regex}}]
    pattern: list[dict[str, Any]] = []
    for word in (cue.phrase or "").split():
        if word.startswith("^"):  # a word given as a regular expression ("^\\d+/52$")
            pattern.append({"LOWER": {"REGEX": word}})
        elif word.endswith("~"):
            stem = word[:-1]
            pattern.append({"LOWER": {"REGEX": rf"^{stem}\w*$"}})
        else:
            pattern.extend({"LOWER": token.text} for token in nlp.tokenizer(word))
    return pattern


def _build(language: str, lexicon: Lexicon) -> Any:
    from loguru import logger

    logger.disable("PyRuSH")
    logger.disable("medspacy")
    import spacy
    from medspacy.context import ConText, ConTextRule  # the import registers the pipe
    from spacy.language import Language

    if not Language.has_factory("thighdx_newline_sentences"):

        @Language.component("thighdx_newline_sentences")
        def newline_sentences(doc: Any) -> Any:
            for token in doc[:-1]:
                if "\n" in token.text or token.text in {";", "|"}:
                    doc[token.i + 1].is_sent_start = True
            return doc

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("thighdx_newline_sentences")
    context: ConText = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "span_attrs": ATTRIBUTES, "input_span_type": "group", "span_group_name": GROUP},
    )
    list_words = LIST_WORDS[language]
    list_joiners = LIST_JOINERS[language]

    def free_cue(target: Any, modifier: Any, span_between: Any) -> bool:
        """A cue that is part of another finding's words ("hasn't settled") is that
        finding's, not a cue for its neighbours."""
        return not any(s.start <= modifier.start and modifier.end <= s.end for s in target.doc.spans[GROUP])

    def within_list(target: Any, modifier: Any, span_between: Any) -> bool:
        """A negation reaches past a comma only along a list of findings."""
        if not free_cue(target, modifier, span_between):
            return False
        if span_between is None or not any(t.text in {",", "and", "ve", ";"} for t in span_between):
            return True
        # List items are short ("numbness, tingling or weakness"); a longer phrase after a
        # comma starts a new clause ("no swelling, pain shoots into my calf").
        if len(target) > LIST_ITEM_TOKENS:
            return False
        covered = {i for span in target.doc.spans[GROUP] if len(span) <= LIST_ITEM_TOKENS for i in range(span.start, span.end)}
        if not all(t.i in covered or t.lower_ in list_words or t.is_space for t in span_between):
            return False
        if modifier.start < target.start:
            commas = [t.i for t in span_between if t.text in {",", ";"}]
            joined = commas and any(t.lower_ in list_joiners for t in span_between if t.i > commas[-1])
            if not joined and not bare_item(target):
                return False
        return True

    def bare_item(target: Any) -> bool:
        """A list item: what follows it up to the next comma is only more of the list ("or
        tingling"), not a description of its own ("numbness in my foot", "numbness started
        yesterday"), which makes it a new clause."""
        doc = target.doc
        after = []
        for token in doc[target.end : target.sent.end]:
            if token.text in {",", ";", ".", "!", "?"}:
                break
            after.append(token)
        if any(t.lower_ in list_joiners for t in after):
            return True  # "numbness or tingling in my foot": the list goes on
        return all(t.lower_ in list_words or t.is_space or t.is_punct for t in after)

    rules = []
    for cue in lexicon.cues:
        pattern = _token_pattern(cue, nlp)
        if not pattern:
            continue
        # A rule's literal is its name in the matcher: keep it unique per kind and direction.
        literal = f"{cue.kind}:{cue.direction}:{cue.phrase or cue.regex}"
        kwargs: dict[str, Any] = {"direction": cue.direction.upper(), "pattern": pattern}
        scope = cue.max_scope or (lexicon.default_scope if cue.direction in ("forward", "backward", "bidirectional") else None)
        if scope:
            kwargs["max_scope"] = scope
        if cue.kind == "negation" and cue.direction in ("forward", "backward"):
            kwargs["on_modifies"] = within_list
        elif cue.direction not in ("terminate", "pseudo"):
            kwargs["on_modifies"] = free_cue
        rules.append(ConTextRule(literal, CATEGORY[cue.kind], **kwargs))
    context.add(rules)
    return nlp


def _pipeline(language: str, lexicon: Lexicon) -> Any:
    nlp = _PIPELINES.get(language)
    if nlp is None:
        with _LOCK:
            nlp = _PIPELINES.get(language)
            if nlp is None:
                nlp = _build(language, lexicon)
                _PIPELINES[language] = nlp
    return nlp


# Where a clause ends: sentence punctuation, a comma, or a word that joins two clauses.
CLAUSE_BREAK = {
    "en": re.compile(r"[.!?;:\n,]|(?<!\w)(?:and|but|though|although|whereas|while|because|so|whilst|plus)(?!\w)"),
    "tr": re.compile(r"[.!?;:\n,]|(?<!\w)(?:ve|ama|fakat|ancak|cunku|ayrica|oysa|yalniz)(?!\w)"),
}
# Words that on their own do not make a clause: ", for three months now" belongs to the
# clause before it.
CLAUSE_FILLER = {
    "en": {"now", "already", "or", "so", "about", "roughly", "nearly", "almost", "over", "for", "the", "last", "past",
           "it's", "its", "been", "has", "have", "i've", "ive", "on", "off", "and", "at", "least", "well", "too", "more", "than"},
    "tr": {"artik", "yaklasik", "neredeyse", "en", "az", "de", "da", "simdi", "oldu", "var", "boyunca", "kadar", "beri"},
}


@lru_cache(maxsize=16)
def _clause_breaks(norm: str, language: str) -> tuple[tuple[int, int], ...]:
    """Where clauses break in a text (found once per text, not once per finding)."""
    return tuple((m.start(), m.end()) for m in CLAUSE_BREAK[language].finditer(norm))


def _clause(norm: str, start: int, end: int, language: str) -> tuple[int, int]:
    """The clause around norm[start:end]; a fragment with no words of its own beyond the
    match (", for three months now") is read together with the clause before it."""
    breaks = [(s, e) for s, e in _clause_breaks(norm, language) if e <= start or s >= end]
    left = max((e for s, e in breaks if e <= start), default=0)
    right = min((s for s, e in breaks if s >= end), default=len(norm))
    rest = (norm[left:start] + " " + norm[end:right]).split()
    if all(word.strip("'\"()-") in CLAUSE_FILLER[language] for word in rest):
        before = [s for s, e in breaks if e == left]
        if before:
            left = max((e for s, e in breaks if e <= before[0]), default=0)
    return left, right


_SENTENCE_END = re.compile(r"[.!?;\n]")


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around norm[start:end]."""
    left = max((m.end() for m in _SENTENCE_END.finditer(norm, 0, start)), default=0)
    match = _SENTENCE_END.search(norm, end)
    return left, match.start() if match else len(norm)


def _in_clause(norm: str, start: int, end: int, pattern: re.Pattern[str], language: str) -> bool:
    left, right = _clause(norm, start, end, language)
    return pattern.search(norm, left, right) is not None


def _word_end(norm: str, end: int) -> int:
    while end < len(norm) and norm[end].isalnum():
        end += 1
    return end


_STARTS = re.compile(r"(?<!\w)(?s:.)")


class Target(NamedTuple):
    start: int
    end: int
    fid: str
    absent: bool  # the wording itself says absent ("my bladder is fine")
    negative: bool  # a negative verb ending on the finding's own word (Turkish)
    stem: bool  # matched only through a `~` stem wildcard
    weak: bool = False  # matched only by a word of several senses ("kalça": hip or buttock)
    ask: bool = False  # wording that may tell of the finding, not surely: read `unknown`


def _find_targets(norm: str, lexicon: Lexicon) -> list[Target]:
    """Every lexicon match in the normalised text."""
    found: list[Target] = []
    suffix = lexicon.negative_suffix
    english = lexicon.language == "en"
    # How words (and other match positions) begin in this text: an entry none of whose
    # patterns can begin so is skipped without running its regular expressions.
    starts = {""}
    for match in _STARTS.finditer(norm):
        i = match.start()
        for j in range(1, PREFIX_CHARS + 1):
            starts.add(norm[i : i + j])
    for entry in lexicon.entries:
        absent_spans: list[tuple[int, int]] = []
        present_ok = entry.present_starts is None or not entry.present_starts.isdisjoint(starts)
        absent_ok = entry.absent_starts is None or not entry.absent_starts.isdisjoint(starts)
        if entry.ask is not None and (entry.ask_starts is None or not entry.ask_starts.isdisjoint(starts)):
            for match in entry.ask.finditer(norm):
                start, end = match.start(), _word_end(norm, match.end())
                found.append(Target(start, end, entry.id, False, False, False, True, True))
        if not present_ok and not absent_ok:
            continue
        if entry.absent is not None and absent_ok:
            for match in entry.absent.finditer(norm):
                start, end = match.start(), _word_end(norm, match.end())
                while end > start and norm[end - 1].isspace():
                    end -= 1
                if entry.clause_requires is not None and not _in_clause(norm, start, end, entry.clause_requires, lexicon.language):
                    continue
                absent_spans.append((start, end))
                found.append(Target(start, end, entry.id, True, False, False))
        if entry.present is None or not present_ok:
            continue
        for match in entry.present.finditer(norm):
            start, end = match.start(), _word_end(norm, match.end())
            while end > start and norm[end - 1].isspace():
                end -= 1
            if any(s < end and start < e for s, e in absent_spans):
                continue
            if entry.clause_requires is not None and not _in_clause(norm, start, end, entry.clause_requires, lexicon.language):
                continue
            rest = match.group("rest")
            negative = bool(suffix and rest and suffix.match(rest))
            if not english and not negative and rest and morphology.privative_rest(rest):
                # "ağrısız" (without pain) denies the pain; "hissiz" (without feeling) is numbness
                words = match.group("core").split()
                negative = not morphology.names_a_lack((words[-1] if words else "") + rest)
            stem = english and (entry.exact is None or entry.exact.fullmatch(match.group(0)) is None)
            weak = entry.ambiguous is not None and entry.ambiguous.fullmatch(match.group(0)) is not None
            found.append(Target(start, end, entry.id, False, negative, stem, weak))
    return found


DURATION_ID = "symptoms_over_6_weeks"
# A long time "ago" is the complaint's onset only in a clause that says it began then
# ("it started three months ago"), not a past event ("three years ago I tore it").
ONSET_WORDS = {
    "en": re.compile(r"(?<!\w)(?:start\w*|began|begun|begin\w*|came on|come on|kicked off|flared|first (?:noticed|felt|started)|since)"),
    "tr": re.compile(r"(?<!\w)(?:basla\w*|beri|suruyor|devam)"),
}
# A short time "ago" is the onset when the clause tells of the complaint or the injury.
RECENT_ONSET_WORDS = {
    "en": re.compile(r"(?<!\w)(?:pull\w*|tore|torn|tear\w*|hurt\w*|injur\w*|strain\w*|did it|happened|felt|noticed|went|pain\w*|ach\w*|sore)"),
    "tr": re.compile(r"(?<!\w)(?:incit\w*|sakat\w*|cek\w*|kop\w*|zorla\w*|hisset\w*|fark et\w*|agri\w*|aci\w*|sanci\w*)"),
}
# A duration in a clause about something else: a cast, an operation, a trip, a medicine.
OTHER_SUBJECT = {
    "en": re.compile(r"(?<!\w)(?:cast|plaster|surgery|operation|op|holiday|trip|flight|pill|tablets|medication|course of|antibiotics|steroids|pregnan\w*|baby)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:alci\w*|ameliyat\w*|tatil\w*|ucak\w*|ilac\w*|hap\w*|kortizon\w*|hamile\w*|bebe\w*|dogum\w*)"),
}
AGO = re.compile(r"(?:ago|back|once)$")


def _with_durations(targets: list[Target], norm: str, lexicon: Lexicon, today: date | None) -> list[Target]:
    """Add `symptoms_over_6_weeks` read from computed durations (more than six weeks:
    present; less: absent) in a clause about the complaint; a computed duration replaces a
    lexicon match on the same words."""
    entry = next((e for e in lexicon.entries if e.id == DURATION_ID), None)
    if entry is None:
        return targets
    computed: list[Target] = []
    language = lexicon.language
    for found in find_durations(norm, language, today):
        over = over_six_weeks(found.days)
        if entry.clause_requires is not None and not _in_clause(norm, found.start, found.end, entry.clause_requires, language):
            # A short time tells the complaint is new when its sentence speaks of the complaint.
            s_left, s_right = _sentence(norm, found.start, found.end)
            if over or entry.clause_requires.search(norm, s_left, s_right) is None:
                continue
        left, right = _clause(norm, found.start, found.end, language)
        if OTHER_SUBJECT[language].search(norm, left, right):
            continue
        if AGO.search(norm[found.start : found.end]):
            onset = ONSET_WORDS[language].search(norm, left, right)
            if not onset and (over or not RECENT_ONSET_WORDS[language].search(norm, left, right)):
                continue
        computed.append(Target(found.start, found.end, DURATION_ID, not over, False, False))
    # An onset told as a moment ("yesterday", "on Saturday", "dün akşam", "3/52").
    for found in find_recent_onsets(norm, language):
        if any(c.start < found.end and found.start < c.end for c in computed):
            continue
        over = over_six_weeks(found.days)
        left, right = _clause(norm, found.start, found.end, language)
        if OTHER_SUBJECT[language].search(norm, left, right):
            continue
        # The moment must be told of the complaint: its sentence speaks of it.
        s_left, s_right = _sentence(norm, found.start, found.end)
        if entry.clause_requires is not None and entry.clause_requires.search(norm, s_left, s_right) is None:
            continue
        computed.append(Target(found.start, found.end, DURATION_ID, not over, False, False, weak=True))
    if not computed:
        return targets
    kept = [t for t in targets if t.fid != DURATION_ID or not any(c.start < t.end and t.start < c.end for c in computed)]
    return kept + computed


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


def parse_text(text: str, language: str = "en", today: date | None = None) -> ParseResult:
    """Parse `text` and say whether it was cut at the lexicon's `max_chars`. Dates in the
    text ("since March") are read relative to `today` (default: the system date)."""
    lang = language if language in LANGUAGES else "en"
    lexicon = load_lexicon(lang)
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    cap = lexicon.max_chars
    truncated = len(text) > cap
    work = text[:cap]
    if any(unicodedata.combining(char) for char in work):
        return _without_combining_marks(work, lang, truncated, cap, today)
    if not work.strip() or not lexicon.entries:
        return ParseResult([], truncated, cap, len(work))
    if unsupported_language(work, lang):
        return ParseResult([], truncated, cap, len(work), True)
    norm = normalise(work, lang)
    targets = _find_targets(norm, lexicon)
    targets = _with_durations(targets, norm, lexicon, today)
    if not targets:
        return ParseResult([], truncated, cap, len(work))
    nlp = _pipeline(lang, lexicon)
    doc = nlp.make_doc(norm)
    spans = []
    info: list[Target] = []
    for target in targets:
        span = doc.char_span(target.start, target.end, label=ABSENT_LABEL if target.absent else target.fid, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        spans.append(span)
        info.append(target)
    doc.spans[GROUP] = spans
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    mentions = _decide(doc, info, norm, work, lexicon)
    return ParseResult(mentions, truncated, cap, len(work))


# A text written for someone else: it opens by naming the person with their age ("Mum's 66",
# "My father (77)", "Babam 72 yaşında") or says so ("writing for my dad", "annem için
# yazıyorum"). Then "she", "his leg", "my dad" name the person the text is about.
_RELATIVES = {
    "en": r"mum|mom|mam|mummy|mother|dad|daddy|father|husband|wife|partner|son|daughter|gran|granny|grandma|grandmother|"
    r"grandad|grandpa|grandfather|nan|nana|nanna|brother|sister|uncle|aunt|auntie|boyfriend|girlfriend|father in law|"
    r"mother in law|patient|resident|client|child|kid|boy|girl|friend|neighbour|neighbor",
    "tr": r"annem|babam|oglum|kizim|esim|kocam|karim|nenem|anneannem|babaannem|dedem|kayinpederim|kayinvalidem|"
    r"kayinbabam|kardesim|kiz kardesim|erkek kardesim|ablam|abim|agabeyim|teyzem|amcam|halam|dayim|hastam|komsum|arkadasim",
}
_PROXY = {
    "en": re.compile(
        rf"^\W*(?:\w+\W+){{0,6}}?(?:(?:my|our)\W+)?(?:{_RELATIVES['en']})(?:'s|s)?\W+(?:(?:is|was|aged|age|who is|turned)\W+)?\(?\d{{1,3}}(?!\w*\W*(?:%|mg|kg|km|miles?|mins?|minutes|hours?|days?|weeks?|months?|years? ago|yards?|metres?|meters?))"
        rf"|(?:writing|asking|posting|messaging|enquiring|here) (?:\w+ ){{0,2}}(?:for|about|on behalf of) (?:my|our) (?:\w+ )?(?:{_RELATIVES['en']})"
        rf"|^\W*(?:\w+\W+){{0,6}}?(?:worried|concerned|scared) about (?:my|our) (?:{_RELATIVES['en']})\W+(?:he|she)(?:'s| is) \d{{1,3}}"
    ),
    "tr": re.compile(
        rf"^\W*(?:\w+\W+){{0,8}}?(?:{_RELATIVES['tr']})\w*\W+(?:\w+\W+){{0,3}}?\d{{1,3}}\W+yas(?:inda|indaki|ında)"
        rf"|^\W*(?:\w+\W+){{0,6}}?\d{{1,3}}\W+yasindaki\W+(?:\w+\W+)?(?:{_RELATIVES['tr']})"
        rf"|(?:{_RELATIVES['tr']})\w*\W+(?:icin|adina) (?:yaziyorum|soruyorum|yazmak|sormak|danismak)|ben yaziyorum"
    ),
}
# Context cues that still say "a relative" in such a text: family history, not the person.
_FAMILY_HISTORY = re.compile(r"famil|runs in|aile")


def _proxy(norm: str, language: str) -> bool:
    """Whether the text is written about someone else (see `_PROXY`)."""
    return _PROXY[language].search(norm[:300]) is not None


def _decide(doc: Any, info: list[Target], norm: str, work: str, lexicon: Lexicon) -> list[Mention]:
    """One mention per finding from the matched spans and their ConText modifiers."""
    lang = lexicon.language
    proxy = _proxy(norm, lang)
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
                if cue is not None and not _FAMILY_HISTORY.search(doc[cue[1].modifier_span[0] : cue[1].modifier_span[1]].text):
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
        left, right = _clause(norm, start, end, lang)
        confidence = _confidence(target, span, negation if negated else None, len(norm[left:right].split()), lang)
        choice: Choice
        if "POSSIBLE_EXISTENCE" in modifiers or "HYPOTHETICAL" in modifiers or _asked(span, lang) or _queried(norm, start):
            choice = "unknown"
        elif target.ask and not negated:
            choice = "unknown"  # it may be said, not surely: ask it
        else:
            choice = "absent" if negated else "present"
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
    mentions = [Mention(fid, choice, work[s:e], s, e, conf) for fid, (choice, s, e, conf) in chosen.items()]
    mentions.sort(key=lambda m: (m.start, m.end, m.id))
    return mentions


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


def _without_combining_marks(work: str, language: str, truncated: bool, cap: int, today: date | None) -> ParseResult:
    """Parse text whose letters carry separate accent marks ("s" + cedilla, as some systems
    send "ş"): read it with the marks joined to their letters, then map every span back to
    the text as sent."""
    composed = unicodedata.normalize("NFC", work)
    kept = [i for i, char in enumerate(work) if not unicodedata.combining(char)]
    if len(composed) != len(kept):  # marks that do not compose: read the letters without them
        composed = "".join(work[i] for i in kept)
    inner = parse_text(composed, language, today)
    ends = kept + [len(work)]
    mentions = []
    for m in inner.mentions:
        start, end = ends[m.start], ends[m.end]  # a letter's marks travel with it
        mentions.append(Mention(m.id, m.choice_id, work[start:end], start, end, m.confidence))
    return ParseResult(mentions, truncated, cap, len(work), inner.unsupported_language)


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


def parse(text: str, language: str = "en", today: date | None = None) -> list[Mention]:
    """The findings `text` mentions, each present, absent or unknown, with its span.

    Never raises on any string. An empty or unreadable text gives an empty list; text beyond
    `max_chars(language)` characters is ignored (use `parse_text` to learn whether it was);
    an unsupported language code is read as English."""
    try:
        return parse_text(text, language, today).mentions
    except (ValueError, IndexError, KeyError, RecursionError):  # defensive: bad input must not crash a caller
        return []
