"""Where the lexicon's findings occur in a normalised text (before any reading of scope)."""

from __future__ import annotations

import re
from typing import NamedTuple

from thighdx.language import morphology
from thighdx.language.clauses import in_clause, word_end
from thighdx.language.lexicon import Lexicon
from thighdx.language.patterns import PREFIX_CHARS

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
    group: bool = False  # a word for a function or group ("bladder", "neuro"): see `umbrellas`
    finite: bool = False  # Turkish: the match ends in a finite verb made from its stem ("uyuş-tu")


def find_targets(norm: str, lexicon: Lexicon) -> list[Target]:
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
                start, end = match.start(), word_end(norm, match.end())
                found.append(Target(start, end, entry.id, False, False, False, True, True))
        if entry.umbrella is not None and (entry.umbrella_starts is None or not entry.umbrella_starts.isdisjoint(starts)):
            # A word for the function or group ("sphincters", "neuro"): asked unless denied.
            for match in entry.umbrella.finditer(norm):
                start, end = match.start(), word_end(norm, match.end())
                found.append(Target(start, end, entry.id, False, False, False, False, True, True))
        if not present_ok and not absent_ok:
            continue
        if entry.absent is not None and absent_ok:
            for match in entry.absent.finditer(norm):
                start, end = match.start(), word_end(norm, match.end())
                while end > start and norm[end - 1].isspace():
                    end -= 1
                if entry.clause_requires is not None and not in_clause(norm, start, end, entry.clause_requires, lexicon.language):
                    continue
                absent_spans.append((start, end))
                found.append(Target(start, end, entry.id, True, False, False))
        if entry.present is None or not present_ok:
            continue
        for match in entry.present.finditer(norm):
            start, end = match.start(), word_end(norm, match.end())
            while end > start and norm[end - 1].isspace():
                end -= 1
            if any(s < end and start < e for s, e in absent_spans):
                continue
            if entry.clause_requires is not None and not in_clause(norm, start, end, entry.clause_requires, lexicon.language):
                continue
            rest = match.group("rest")
            negative = bool(suffix and rest and suffix.match(rest))
            if not english and not negative and suffix and rest and match.group("core").endswith(("me", "ma")):
                # a pattern's verbal noun ("dönme", "kaçırma", "yanma") with a verb ending after
                # it is that verb denied: "dön-me-di", "kaçır-ma-dım", "yan-ma-z"
                negative = bool(suffix.match(match.group("core")[-2:] + rest))
            if not english and not negative and rest and morphology.privative_rest(rest) and not morphology.becoming_lack(rest):
                # "ağrısız" (without pain) denies the pain; "hissiz" (without feeling) is numbness;
                # "-sızlaştı" (became without) is a change into the lacking state, never a denial
                words = match.group("core").split()
                negative = not morphology.names_a_lack((words[-1] if words else "") + rest)
            stem = english and (entry.exact is None or entry.exact.fullmatch(match.group(0)) is None)
            weak = entry.ambiguous is not None and entry.ambiguous.fullmatch(match.group(0)) is not None
            last = norm[start:end].split()
            finite = not english and bool(rest) and bool(last) and morphology.finite_verb(last[-1])
            found.append(Target(start, end, entry.id, False, negative, stem, weak, finite=finite))
    return found

