"""Clauses and sentences of a normalised text: where a finding's own words end."""

from __future__ import annotations

import re
from functools import lru_cache

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
def clause_breaks(norm: str, language: str) -> tuple[tuple[int, int], ...]:
    """Where clauses break in a text (found once per text, not once per finding)."""
    return tuple((m.start(), m.end()) for m in CLAUSE_BREAK[language].finditer(norm))


def clause(norm: str, start: int, end: int, language: str) -> tuple[int, int]:
    """The clause around norm[start:end]; a fragment with no words of its own beyond the
    match (", for three months now") is read together with the clause before it."""
    breaks = [(s, e) for s, e in clause_breaks(norm, language) if e <= start or s >= end]
    left = max((e for s, e in breaks if e <= start), default=0)
    right = min((s for s, e in breaks if s >= end), default=len(norm))
    rest = (norm[left:start] + " " + norm[end:right]).split()
    if all(word.strip("'\"()-") in CLAUSE_FILLER[language] for word in rest):
        before = [s for s, e in breaks if e == left]
        if before:
            left = max((e for s, e in breaks if e <= before[0]), default=0)
    return left, right


SENTENCE_END = re.compile(r"[.!?;\n]")


def sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around norm[start:end]."""
    left = max((m.end() for m in SENTENCE_END.finditer(norm, 0, start)), default=0)
    match = SENTENCE_END.search(norm, end)
    return left, match.start() if match else len(norm)


def in_clause(norm: str, start: int, end: int, pattern: re.Pattern[str], language: str) -> bool:
    left, right = clause(norm, start, end, language)
    return pattern.search(norm, left, right) is not None


def word_end(norm: str, end: int) -> int:
    while end < len(norm) and norm[end].isalnum():
        end += 1
    return end

