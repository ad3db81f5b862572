"""A small Turkish suffix analyser over the folded text the parser matches on.

The parser matches a finding's stem ("uyus~", "his~") and hands the rest of the word (its
suffixes) here. Folded text has no Turkish letters (ı->i, ü->u, ş->s ...), so suffixes are
written with both vowels of a harmony pair: `m[iu]yor` is -mıyor/-miyor/-muyor/-müyor.

- A negative verb ending (-mA-, -mIyor, -mAz, -mAdI, -mAmIş, -mAyAcAk, -mAsA) negates the
  finding: "uyuşmuyor" (it does not go numb).
- The privative -sIz ("without") is word formation, not negation: "hissiz" (without feeling)
  is numb, "güçsüz" (without strength) is weak, "güçsüzleşiyor" (becoming strengthless) is
  getting weaker; any privative followed by -lAş (become) is a change into the lacking
  state, never a negation. Only when the stem names the complaint itself ("ağrısız", without pain)
  does it say the complaint is absent; stems that name a faculty the person lacks are listed
  in `LACK_STEMS`.
- The question particle mI (a separate word, with person endings: "mi", "mu", "misin",
  "muydu") makes the clause a question, not an assertion.

zeyrek (a full analyser, on PyPI) was measured for this and not used: 2.3 s to load, 1-5 ms
a word cold, and no analysis at all for Turkish typed without Turkish letters ("bacagimda",
"uyusmuyor"), a third of real texts.
"""

from __future__ import annotations

import re

# Negative verb endings, at the start of the rest of a word after a verb stem.
NEGATIVE_VERB = re.compile(r"(?:m[iu]yor?|m[ae]d[iu]|m[ae]m[iu]s|m[ae]z|m[ae]y[ae]c[ae]k|m[ae]y[ae]c|m[ae]s[ae]|m[ae]yin|m[ae]yacag)")
# The privative suffix, with what may follow it: -lIk (noun), -lAş (become), case endings.
PRIVATIVE = re.compile(r"s[iu]z(?P<after>\w*)")
BECOME = re.compile(r"l[ae]s")
# Stems whose "without" form names the complaint: without feeling = numb, without strength = weak.
LACK_STEMS = ("his", "guc", "derman", "mecal", "takat", "kuvvet", "hal", "can")
# The question particle as its own word, with person and tense endings.
QUESTION_PARTICLE = re.compile(r"m[iu](?:yim|yum|sin|sun|siniz|sunuz|yiz|yuz|dir|dur|ydi|ydu|ymis|ymus)?")
# The particle typed together with the word before it ("varmi", "yokmu").
JOINED_QUESTION = re.compile(r"(?:var|yok|olur|oluyor|normal)m[iu]\w*")


def negative_rest(rest: str) -> bool:
    """Whether the suffixes after a verb stem make it negative ("uyuş" + "muyor")."""
    return NEGATIVE_VERB.match(rest) is not None


def privative_rest(rest: str) -> bool:
    """Whether the suffixes begin with the privative -sIz ("ağrı" + "sız")."""
    return PRIVATIVE.match(rest) is not None


def names_a_lack(word: str) -> bool:
    """Whether a privative word names a lack the person has ("hissiz", "güçsüzleşiyor",
    "dermansız") rather than the absence of a complaint ("ağrısız")."""
    for stem in LACK_STEMS:
        if word.startswith(stem) and PRIVATIVE.match(word, len(stem)):
            return True
    return False


def becoming(word: str) -> bool:
    """Whether a privative word says the lack is growing: "güç-süz-leş-iyor"."""
    match = PRIVATIVE.search(word)
    return match is not None and BECOME.match(match.group("after")) is not None


def is_question_particle(token: str) -> bool:
    """Whether a (folded) token is the question particle mI or a word carrying it."""
    return QUESTION_PARTICLE.fullmatch(token) is not None or JOINED_QUESTION.fullmatch(token) is not None


# A finite verb form closes its clause: past -DI after a consonant, present -(I)yor, reported
# -mIş, with person and tense endings after them ("uyuştu", "güçsüzleşti", "şişiyordu",
# "kopmuş"). A possessive after a vowel or -t ("ameliyatı", "fıtık") is a noun; so are -ntI
# nouns ("bulantı", "kaşıntı") and a few adverbs.
FINITE_VERB = re.compile(
    r"\w+[bcfghjklmprsvyz][dt][iu](?:m|n|k|niz|nuz|lar|ler)?|\w{2,}(?:[iu]?yor(?:um|sun|uz|lar|du|dum|mus)?|yo(?:m|z)?|m[iu]s(?:im|sin|iz|lar|ler|tir|tur|ti|tu)?)"
)
NOT_VERBS = frozenset({"simdi", "hemdi", "kendi", "hadi"})


def finite_verb(word: str) -> bool:
    """Whether a (folded) word is a finite, affirmative verb form that ends its own clause:
    a negation word after it ("bacağım güçsüzleşti, yürüyemiyor") is another clause's."""
    return FINITE_VERB.fullmatch(word) is not None and word not in NOT_VERBS and not negative_rest_anywhere(word)


def negative_rest_anywhere(word: str) -> bool:
    """Whether a word carries a negative verb ending after its first two letters."""
    return any(NEGATIVE_VERB.match(word, i) for i in range(2, len(word)))


# The privative followed by -lAş ("become") makes a verb of change into the lacking state:
# "güçsüzleşti" (became strengthless) is getting weaker, a state, never a negation.
def becoming_lack(rest: str) -> bool:
    """Whether the suffixes are the privative followed by -lAş: "-sızlaştı", "-süzleşiyor"."""
    match = PRIVATIVE.match(rest)
    return match is not None and BECOME.match(match.group("after")) is not None


def negative_word(core: str, rest: str) -> bool:
    """Whether a matched word (its stem `core`, its suffixes `rest`) denies the finding: a
    negative verb ending, or a privative that is not the complaint itself."""
    if not rest:
        return False
    if negative_rest(rest):
        return True
    if privative_rest(rest):
        if becoming_lack(rest):
            return False
        last = core.split()[-1] if core.split() else core
        return not names_a_lack(last + rest)
    return False
