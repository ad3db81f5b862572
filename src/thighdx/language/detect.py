"""Is a text in a language the parser does not read? A stop-word and script heuristic.

The parser reads English and Turkish. A text clearly written in a third language (German,
French, Spanish, Italian, Portuguese, Dutch, Polish, Russian, Arabic, Chinese ...) is
reported as unsupported instead of being misread. Short texts and mixed texts are given the
benefit of the doubt: only a clear majority of another language's function words, or of
another script's letters, counts.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+")

_EN = {"i", "me", "my", "you", "your", "he", "she", "it", "its", "we", "they", "the", "a", "an", "and", "or", "but", "not", "no", "yes", "is", "are", "was", "were", "be", "been", "have", "has", "had", "do", "does", "did", "of", "in", "on", "at", "to", "for", "from", "with", "by", "about", "as", "so", "if", "when", "then", "than", "this", "that", "these", "those", "there", "here", "what", "which", "who", "how", "can", "can't", "cannot", "will", "would", "should", "could", "just", "very", "too", "also", "only", "after", "before", "up", "down", "out", "over", "under", "back"}
_TR = {"ve", "veya", "ile", "ama", "fakat", "ancak", "de", "da", "ki", "bu", "su", "o", "bir", "iki", "cok", "az", "daha", "en", "gibi", "icin", "kadar", "sonra", "once", "var", "yok", "degil", "mi", "mu", "ben", "sen", "biz", "siz", "onlar", "benim", "bana", "beni", "hic", "her", "ne", "nasil", "neden", "zaman", "simdi", "bugun", "dun", "gun", "ay", "yil"}
_OTHER = {
    "de": "der die das und ist nicht ich mein meine mir mich ein eine einen dem den des zu mit auf fur für von seit wenn aber "
    "oder auch habe hat sind war bei nach noch sehr schon kein keine beim tut weh",
    "fr": "de à le la les et est je mon ma mes une des du au aux avec pour pas ne dans sur mais ou qui que depuis très j'ai ai "
    "suis elle il nous vous cette mal",
    "es": "de a el la los las y es yo mi mis un una unos con para por pero muy desde cuando que tengo tiene estoy está esta del "
    "al duele dolor pierna",
    "it": "di a il lo la gli le e è io mio mia un una con per ma molto da quando che ho ha sono della del nella dolore gamba",
    "pt": "de a o os as e é eu meu minha um uma com para por mas muito desde quando que tenho tem estou está do da dos das dor perna",
    "nl": "de het een en is ik mijn niet met voor op maar ook van sinds als dat heb heeft ben zijn pijn been",
    "pl": "i w z na nie jest mnie mi się to że od do po ale bardzo mam boli noga",
}
_FOREIGN = {lang: set(words.split()) - _EN - _TR for lang, words in _OTHER.items()}
_SHARED = {lang: set(words.split()) for lang, words in _OTHER.items()}
_LATIN = ("LATIN",)


def _latin_share(text: str) -> tuple[int, float]:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0, 1.0
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith(_LATIN))
    return len(letters), latin / len(letters)


def unsupported_language(text: str, language: str) -> bool:
    """Whether `text` is clearly in neither English nor Turkish."""
    letters, latin = _latin_share(text)
    if letters >= 8 and latin < 0.4:
        return True  # Cyrillic, Greek, Arabic, Hebrew, CJK, Devanagari ...
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        return False
    folded = [w.translate(str.maketrans("çğıöşü", "cgiosu")) for w in words]
    for lang, vocabulary in _FOREIGN.items():
        theirs = sum(1 for w in words if w in vocabulary)
        if theirs < 3 or theirs < 0.2 * len(words):
            continue
        shared = _SHARED[lang]  # words both languages use ("de", "a") count for neither
        ours = sum(1 for w in words if w in _EN and w not in shared) + sum(1 for w, f in zip(words, folded, strict=True) if f in _TR and w not in shared)
        if theirs > 2 * ours:
            return True
    return False
