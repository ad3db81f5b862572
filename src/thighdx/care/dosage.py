"""An exercise's dose in words, from the structured dosage of a care plan.

"3 sets of 10, hold each 30 seconds, twice a day" / "3 set, her sette 10 tekrar, her tekrarda
30 saniye tutun, günde iki kez". The one place that turns sets, repetitions, holds and the
frequency into a sentence; every page, the API and the command line use it.
"""

from __future__ import annotations

from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import Dosage


def lower_first(text: str, language: str) -> str:
    """The text with its first letter in lower case (Turkish I/İ kept right); acronyms left alone."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    first = text[0]
    if language == "tr":
        first = {"I": "ı", "İ": "i"}.get(first, first.lower())
    else:
        first = first.lower()
    return first + text[1:]


def upper_first(text: str, language: str) -> str:
    if not text:
        return text
    first = text[0]
    if language == "tr":
        first = {"i": "İ", "ı": "I"}.get(first, first.upper())
    else:
        first = first.upper()
    return first + text[1:]


def duration_words(kb: KnowledgeBase, seconds: int, language: str) -> str:
    """Whole minutes as minutes, anything else as seconds."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return kb.message("duration_minute", language) if minutes == 1 else kb.message("duration_minutes", language, n=minutes)
    return kb.message("duration_second", language) if seconds == 1 else kb.message("duration_seconds", language, n=seconds)


def dosage_words(kb: KnowledgeBase, dosage: Dosage, language: str) -> str:
    """The whole dose as one phrase: amount, hold and how often."""
    parts: list[str] = []
    sets, reps, hold = dosage.sets, dosage.reps, dosage.hold_seconds
    duration = duration_words(kb, hold, language) if hold else ""
    if reps and sets and sets > 1:
        parts.append(kb.message("dosage_sets_reps", language, sets=sets, reps=reps))
    elif reps:
        parts.append(kb.message("dosage_once", language) if reps == 1 else kb.message("dosage_reps", language, reps=reps))
    if hold:
        if reps:
            parts.append(kb.message("dosage_hold_each", language, duration=duration))
        elif sets and sets > 1:
            parts.append(kb.message("dosage_holds", language, sets=sets, duration=duration))
        else:
            parts.append(kb.message("dosage_hold", language, duration=duration))
    elif sets and not reps:
        parts.append(kb.message("dosage_sets", language, sets=sets))
    frequency = dosage.frequency.get(language).strip()
    if not parts:
        return frequency
    # A frequency that is itself a list ("3 days a week, with a rest day in between") follows a semicolon.
    joiner = "; " if any(mark in frequency for mark in ",;") else ", "
    return upper_first(", ".join(parts), language) + joiner + lower_first(frequency, language)
