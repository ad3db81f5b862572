"""Free text to canonical findings.

Findings are found by the lexicon's patterns (knowledge-base data, one entry per finding
per language) on a normalised copy of the text that keeps every offset; whether each one
is negated, uncertain, hypothetical, historical or said of someone else is decided by
medspaCy's ConText algorithm, run with the lexicon's own cue lists on a blank spaCy
pipeline (no model is downloaded). spaCy is imported on the first call, not at import.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

from thighdx.language.detect import unsupported_language
from thighdx.language.flag_hints import with_flag_hints
from thighdx.language.learned_reading import with_learned_reading
from thighdx.language.lexicon import LANGUAGES, Lexicon, load_lexicon
from thighdx.language.mention import Choice, Mention, ParseResult
from thighdx.language.pipeline import ABSENT_LABEL, FINITE, GROUP, pipeline
from thighdx.language.reading import decide
from thighdx.language.targets import Target, find_targets
from thighdx.language.text import as_first_person, normalise
from thighdx.language.timing import with_durations

__all__ = ["Choice", "Mention", "ParseResult", "parse", "parse_text"]


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
    targets = find_targets(as_first_person(norm) if lang == "en" else norm, lexicon)
    targets = with_durations(targets, norm, lexicon, today)
    mentions = _read(targets, norm, work, lexicon) if targets else []
    mentions = with_learned_reading(mentions, norm, work, lang)
    return ParseResult(with_flag_hints(mentions, norm, work, lang), truncated, cap, len(work))


def _read(targets: list[Target], norm: str, work: str, lexicon: Lexicon) -> list[Mention]:
    """The lexicon's reading: each matched target decided by ConText on the spaCy pipeline."""
    nlp = pipeline(lexicon.language, lexicon)
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
    doc.user_data[FINITE] = {(span.start, span.end) for span, target in zip(spans, info, strict=True) if target.finite}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return decide(doc, info, norm, work, lexicon)



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
        mentions.append(replace(m, text=work[start:end], start=start, end=end))
    return ParseResult(mentions, truncated, cap, len(work), inner.unsupported_language)


def parse(text: str, language: str = "en", today: date | None = None) -> list[Mention]:
    """The findings `text` mentions, each present, absent or unknown, with its span.

    Never raises on any string. An empty or unreadable text gives an empty list; text beyond
    `max_chars(language)` characters is ignored (use `parse_text` to learn whether it was);
    an unsupported language code is read as English."""
    try:
        return parse_text(text, language, today).mentions
    except (ValueError, IndexError, KeyError, RecursionError):  # defensive: bad input must not crash a caller
        return []
