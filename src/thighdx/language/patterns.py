"""Lexicon patterns: how a pattern as written in the lexicon becomes a compiled regular expression.

`@name` macros are expanded, English words are given their inflections (lemminflect), Turkish is
written once for text typed as spoken ("bi", "-yo"), and every compiled pattern knows the few
characters any match can start with (`start_prefixes`), so the parser tries a pattern only where
one of them occurs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from thighdx.language.text import fold_pattern_text

MACRO = re.compile(r"@(\w+)")


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace `@name` by the lexicon's macro `name` (a shared sub-pattern such as `@thigh`)."""
    for _ in range(4):  # macros may use macros, a few levels deep
        if "@" not in pattern:
            break
        pattern = MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})" if m.group(1) in macros else m.group(0), pattern)
    return pattern


# Words never given inflected forms (function words, and words whose "inflections" are
# other words: "is" -> "was", "no" -> "noes").
_NO_INFLECTION = frozenset(
    ["a", "an", "the", "my", "your", "his", "her", "its", "our", "their", "this", "that", "these", "those", "no", "not", "nor", "and", "or", "but", "if", "of", "in", "on", "at", "to", "by", "for", "from", "with", "up", "out", "off", "over", "down", "into", "onto", "as", "so", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "have", "has", "had", "can", "could", "will", "would", "should", "may", "might", "must", "i", "me", "we", "you", "he", "she", "it", "they", "them", "us", "any", "all", "some", "one", "two", "each", "both", "other", "lot", "bit"]
)
_WORD_START = frozenset(" (|:")
_WORD_END = frozenset(" )|")


@lru_cache(maxsize=4096)
def _inflections(word: str) -> tuple[str, ...]:
    """Noun and verb forms of an English base word ("swell" -> swells, swelled, swollen,
    swelling), from lemminflect's tables; () when lemminflect is not installed."""
    if len(word) < 3 or word in _NO_INFLECTION:
        return ()
    try:
        from lemminflect import getAllInflections, getAllLemmas  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - an optional refinement
        return ()
    lemmas = getAllLemmas(word)
    if not any(word in forms for upos, forms in lemmas.items() if upos in ("NOUN", "VERB")):
        return ()
    forms: set[str] = set()
    for tag, values in getAllInflections(word).items():
        if tag in ("NNS", "VBD", "VBN", "VBG", "VBZ"):
            forms.update(v.lower() for v in values if v.isalpha())
    forms.discard(word)
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def inflect_pattern(pattern: str) -> str:
    """Let each plain word of an English pattern match its inflected forms too: `swell calf`
    also matches "swollen calf" and "swelling calf". A word with a `~` stem wildcard, a
    quantifier, an escape next to it, or inside a look-behind (which must keep a fixed
    width) is left as written."""
    out: list[str] = []
    stack: list[bool] = []  # one entry per open group: is it a look-behind?
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            j = i + 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
            continue
        if char == "(":
            stack.append(pattern.startswith("(?<=", i) or pattern.startswith("(?<!", i))
            out.append(char)
            i += 1
            continue
        if char == ")":
            if stack:
                stack.pop()
            out.append(char)
            i += 1
            continue
        if char.isalpha() and char.isascii():
            j = i
            while j < n and pattern[j].isalpha() and pattern[j].isascii():
                j += 1
            word = pattern[i:j]
            before = pattern[i - 1] if i else " "
            after = pattern[j] if j < n else " "
            starts = before in _WORD_START and (before != ":" or pattern[max(0, i - 3) : i] == "(?:")
            forms = _inflections(word) if starts and after in _WORD_END and not any(stack) else ()
            out.append(f"(?:{word}|{'|'.join(forms)})" if forms else word)
            i = j
            continue
        out.append(char)
        i += 1
    return "".join(out)


PREFIX_CHARS = 3
_PREFIX_LIMIT = 4000


class _Unbounded(Exception):
    """A pattern whose start cannot be listed (a wildcard or category first)."""


def _chars(av: list[tuple[Any, Any]]) -> set[str]:
    from re._constants import (  # type: ignore[import-not-found,unused-ignore]
        CATEGORY,
        CATEGORY_DIGIT,
        CATEGORY_SPACE,
        LITERAL,
        RANGE,
    )

    out: set[str] = set()
    for op, value in av:
        if op is LITERAL:
            out.add(chr(value))
        elif op is RANGE and value[1] - value[0] < 64:
            out.update(chr(c) for c in range(value[0], value[1] + 1))
        elif op is CATEGORY and value is CATEGORY_DIGIT:
            out.update("0123456789")
        elif op is CATEGORY and value is CATEGORY_SPACE:
            out.update(" \t\n\r\f\v")
        else:
            raise _Unbounded
    return out


def _extend(items: list[Any], partial: set[str], k: int) -> set[str]:
    """The prefixes (up to k characters) of what `items` can match after each of `partial`."""
    from re._constants import (  # type: ignore[import-not-found,unused-ignore]
        ASSERT,
        ASSERT_NOT,
        AT,
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        SUBPATTERN,
    )

    for op, av in items:
        open_ = {p for p in partial if len(p) < k}
        if not open_:
            return partial
        done = partial - open_
        if op in (AT, ASSERT, ASSERT_NOT):
            continue
        if op is LITERAL:
            grown = {p + chr(av) for p in open_}
        elif op is IN:
            grown = {p + c for p in open_ for c in _chars(av)}
        elif op is SUBPATTERN:
            grown = _extend(list(av[3]), open_, k)
        elif op is BRANCH:
            grown = set()
            for alternative in av[1]:
                grown |= _extend(list(alternative), open_, k)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, item = av
            grown = set() if low >= 1 else set(open_)
            current = open_
            for count in range(1, min(high, k) + 1):  # each repeat count that still shapes k characters
                current = _extend(list(item), current, k)
                if count >= low:
                    grown |= current
            if low > k:
                grown = current
        else:
            raise _Unbounded
        partial = done | grown
        if len(partial) > _PREFIX_LIMIT:
            raise _Unbounded
    return partial


def start_prefixes(pattern: re.Pattern[str] | None, k: int = PREFIX_CHARS) -> frozenset[str] | None:
    """Every way (up to k characters) a match of `pattern` can begin, or None when that
    cannot be listed. The parser skips a pattern whose beginnings do not occur in the text."""
    if pattern is None:
        return frozenset()
    try:
        from re import _parser  # type: ignore[attr-defined,unused-ignore]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        return frozenset(_extend(list(parsed.data), {""}, k))
    except (_Unbounded, ImportError, AttributeError, RecursionError):
        return None


_SPOKEN_BIR = re.compile(r"(?<![\w\\])bir(?![\w?])")
_SPOKEN_YOR = re.compile(r"(?<=[\w\]])yor(?P<person>um|du|dum|sun|uz)?(?![\w?])")


def spoken_turkish(pattern: str) -> str:
    """Let a Turkish pattern match the spelling of speech typed as spoken: "bi" for "bir"
    ("bi anda", "bi şey"), "-yo" for the present "-yor" ("geliyo", "yapıyodum", "gelmiyom")."""
    pattern = _SPOKEN_BIR.sub("bir?", pattern)

    def yor(match: re.Match[str]) -> str:
        person = match.group("person") or ""
        if person == "um":
            return "yo(?:rum|m)"
        return f"yor?{person}"

    return _SPOKEN_YOR.sub(yor, pattern)


_GAP = re.compile(r"\(\?:(\\w|\[[^\]]*\\w[^\]]*\])\+ \)(?=\{\d*,\d*\})")
"""A run of any words between two parts of a pattern: `(?:\\w+ ){0,3}`, `(?:[\\w']+ ){0,5}`."""
GAP_STOPS = {
    "en": "no|not|nor|never|nae|none|neither|without|but|dont|didnt|doesnt|isnt|wasnt|arent|werent|havent|hasnt|hadnt",
}
"""Words a run of any words does not cross: a denial or a "but" between a pattern's parts
belongs to the second part ("a cough but no blood", "wee is not dark"), which the reading of
negation then decides on its own. English only: Turkish denies after the word ("kan yok"), and
its "ama" leads as often to the symptom itself ("sıkışıyor ama gelmiyor": the urge, and nothing
comes), so the same stop there lost more right readings than wrong ones on the labelled sets."""


def gaps_stop_at_denials(pattern: str, language: str) -> str:
    """`pattern` with every run of any words kept from crossing a denial (`GAP_STOPS`)."""
    stops = GAP_STOPS.get(language)
    if not stops:
        return pattern
    return _GAP.sub(lambda m: f"(?:(?!(?:{stops}) ){m.group(1)}+ )", pattern)


def compile_pattern(patterns: list[str], language: str) -> re.Pattern[str] | None:
    """One regular expression for a list of lexicon patterns.

    Group `core` is the pattern itself; in Turkish group `rest` is the rest of the word
    (its suffixes), which the parser checks for a negative verb ending."""
    if not patterns:
        return None
    parts = []
    for pattern in patterns:
        folded = fold_pattern_text(pattern.strip(), language)
        if language == "en":
            folded = inflect_pattern(folded)
        else:
            folded = spoken_turkish(folded)
        folded = gaps_stop_at_denials(folded, language)
        folded = folded.replace(" ?", "\x00")  # an optional space
        # In Turkish `~` is lazy, so the suffixes after a stem are left for group `rest`.
        suffix = r"\w*?" if language == "tr" else r"\w*"
        folded = re.sub(r" +", r"[\\s\\-/]+", folded).replace("\x00", r"[\s\-/]*").replace("~", suffix)
        parts.append(f"(?:{folded})")
    body = "|".join(parts)
    tail = r"(?P<rest>\w*)" if language == "tr" else r"(?P<rest>)(?!\w)"
    return re.compile(rf"(?<!\w)(?P<core>{body}){tail}")
