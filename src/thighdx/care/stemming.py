"""Words to index terms for the common questions: folding to plain letters and light stemming,
in English (plural and verb endings) and Turkish (case, possessive and verb suffixes, peeled from
the end while a stem of at least three letters is left)."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"})


def fold(text: str) -> str:
    """Lower-case (Turkish-aware) and fold to plain ASCII letters and digits."""
    text = text.replace("I", "ı").replace("İ", "i").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def stem_en(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ness", ""), ("ful", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + repl
            break
    else:
        for suffix in ("ing", "edly", "ed", "ly", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
                word = word[: -len(suffix)]
                break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


# Common Turkish inflectional suffixes (ASCII-folded), stripped from the end before the word is
# cut to its first five letters, so "koşu", "koşmak", "koşabilir" and "koşunca" share a stem.
_TR_SUFFIXES = sorted(
    {
        "abilirim",
        "ebilirim",
        "abilir",
        "ebilir",
        "iyorum",
        "uyorum",
        "iyor",
        "uyor",
        "yor",
        "makta",
        "mekte",
        "mak",
        "mek",
        "arken",
        "erken",
        "irken",
        "urken",
        "unca",
        "ince",
        "inca",
        "unce",
        "yunca",
        "yince",
        "yinca",
        "yunce",
        "dikten",
        "duktan",
        "tikten",
        "tuktan",
        "dim",
        "dum",
        "tim",
        "tum",
        "di",
        "du",
        "ti",
        "tu",
        "ir",
        "ar",
        "er",
        "ur",
        "sa",
        "se",
        "larim",
        "lerim",
        "lari",
        "leri",
        "lar",
        "ler",
        "imiz",
        "umuz",
        "im",
        "um",
        "in",
        "un",
        "nin",
        "nun",
        "ndan",
        "nden",
        "dan",
        "den",
        "tan",
        "ten",
        "nda",
        "nde",
        "da",
        "de",
        "ta",
        "te",
        "ya",
        "ye",
        "yi",
        "yu",
        "yla",
        "yle",
        "la",
        "le",
        "sini",
        "sinin",
        "si",
        "su",
        "ki",
        "ca",
        "ce",
        "is",
        "us",
        "yis",
        "yus",
        "i",
        "u",
        "a",
        "e",
        "masi",
        "mesi",
        "mamasi",
        "memesi",
        "ma",
        "me",
        "miyor",
        "muyor",
        "madan",
        "meden",
        "dir",
        "dur",
        "tir",
        "tur",
        "mi",
        "min",
        # added: relative -ki after a locative, participles, necessity, reported past, -lık
        "ndaki",
        "ndeki",
        "daki",
        "deki",
        "taki",
        "teki",
        "yan",
        "yen",
        "an",
        "en",
        "meli",
        "mali",
        "meliyim",
        "maliyim",
        "ayim",
        "eyim",
        "mis",
        "mus",
        "misim",
        "musum",
        "lik",
        "luk",
        "ligi",
        "lugu",
        "sina",
        "sine",
        "ina",
        "ine",
        "iken",
        "ken",
        "mam",
        "mem",
    },
    key=len,
    reverse=True,
)


def stem_tr(word: str) -> str:
    if word.isdigit():
        return word
    for _ in range(3):
        for suffix in _TR_SUFFIXES:
            # a lone vowel is only cut from a long word ("arka" stays "arka")
            if word.endswith(suffix) and len(word) - len(suffix) >= (4 if len(suffix) == 1 else 3):
                word = word[: -len(suffix)]
                break
        else:
            break
    if len(word) > 3 and word[-1] == "y" and word[-2] in "aeiou":
        word = word[:-1]  # buffer consonant: "yürüy-" -> "yürü"
    word = word[:5]
    if word.endswith("g"):
        word = word[:-1] + "k"  # "bacağ-" -> "bacak", "uyluğ-" -> "uyluk"
    return word


STEMMERS = {"en": stem_en, "tr": stem_tr}
