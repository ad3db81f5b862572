"""Text cleaning that never moves a character.

Every function here returns a string of exactly the same length as its input, so an offset
found in the cleaned text is the same offset in the text the person wrote. That is what lets
a mention report `start`/`end` on the original string even though matching happens on a
lower-cased, folded copy (Python's own `"İ".lower()` adds a code point; we never use it on
whole strings).
"""

from __future__ import annotations

import re
import unicodedata

# Turkish letters folded to ASCII, so "şişlik", "sislik" and "SİŞLİK" all match one pattern.
# Phone keyboards without Turkish letters produce the folded form directly.
_TURKISH_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"})

# Markup is blanked out rather than removed (removing would shift every later offset).
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,500}>")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")


def _lower_char(char: str, language: str) -> str:
    """Lower-case one character into exactly one character."""
    if language == "tr":
        if char == "I":
            return "ı"
        if char == "İ":
            return "i"
    lowered = char.lower()
    if len(lowered) == 1:
        return lowered
    # "İ" outside Turkish lowers to "i" + combining dot: keep the base letter only.
    return lowered[0] if lowered[0].isalpha() else char


_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}


def _clean_char(char: str) -> str:
    """A character as the matcher should see it: controls, emoji and symbols become spaces."""
    if char in "\n\t":
        return char
    if char in _QUOTES:
        return _QUOTES[char]
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("So", "Sk", "Zl", "Zp"):  # control, format, private use, emoji
        return " "
    if category == "Zs":
        return " "
    if category == "Mn":  # a combining mark left on its own (for example the dot of a decomposed İ)
        return " "
    return char


def blank_markup(text: str) -> str:
    """Replace HTML tags, script/style blocks and character entities by spaces (same length)."""
    if "<" not in text and "&" not in text:
        return text

    def spaces(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    text = _SCRIPT.sub(spaces, text)
    text = _TAG.sub(spaces, text)
    return _ENTITY.sub(spaces, text)


def normalise(text: str, language: str) -> str:
    """The matching form of `text`: same length, lower case, markup and symbols blanked,
    Turkish folded to ASCII letters (so phone-typed Turkish matches the same patterns)."""
    cleaned = blank_markup(text)
    out = "".join(_clean_char(_lower_char(char, language)) for char in cleaned)
    if language == "tr":
        out = out.translate(_TURKISH_FOLD)
    # Accented Latin letters typed in English text ("naïve", "café"): keep one base letter.
    if not out.isascii():
        out = "".join(_fold_accent(char) for char in out)
    assert len(out) == len(text)
    return out


def _fold_accent(char: str) -> str:
    if char.isascii():
        return char
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def fold_pattern_text(text: str, language: str) -> str:
    """Fold a lexicon pattern the way `normalise` folds text (letters only: patterns are
    written in lower case and may hold regular-expression escapes such as `\\W`)."""
    if language == "tr":
        text = text.replace("İ", "i").translate(_TURKISH_FOLD)
    return "".join(_fold_accent(char) for char in text)


_OTHERS_POSSESSIVE = re.compile(r"(?<![a-z'])(?:his|her|their|your|ur)(?![a-z'])")


def as_first_person(norm: str) -> str:
    """`norm` with another person's possessive written as "my" (same length): the lexicon's
    patterns are worded in the first person ("landed on my bottom"), and a relative's or a
    carer's account says the same of the person it is about ("landed on her bottom"). Used
    for finding the lexicon's wordings only; who the text is about is decided on `norm`."""
    return _OTHERS_POSSESSIVE.sub(lambda m: "my".ljust(len(m.group(0))), norm)
