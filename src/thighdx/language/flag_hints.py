"""Hints of red flags the lexicon did not read, from a small learned detector.

The lexicon reads what its patterns name; a red flag told in words it has never met is read
as nothing, and the interview then has no reason to ask it early. This module scores, for each
red flag (and each finding that alone demands emergency care), the chance that a text tells of it, with a linear classifier over the text's words,
word pairs, words after a negation and letter groups (so Turkish suffixes and phone-typed
spellings share features). It is trained on every labelled set in the repository
(`python -m thighdx.evaluation.flag_training`) and ships as data beside this module
(`models/red_flags-<language>.npz`); nothing is downloaded.

Its one power is to add, as `unknown`, a red flag the lexicon did not read at all when the
score reaches the model's threshold: the interview then asks it. It never reads a finding
present or absent and never replaces the lexicon's reading, so it cannot make a reading wrong,
only a question earlier.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from thighdx.language.mention import Mention

# Words that open a negation's reach over the next few words ("no", "yok" after its word).
NEGATIONS = {
    "en": frozenset({"no", "not", "never", "without", "nothing", "none", "nor", "denies", "denied", "t", "cannot",
                     "neither", "nope", "negative", "nil"}),
    "tr": frozenset({"yok", "degil", "hic", "yoktu", "olmadi", "hayir", "ne", "yokk"}),
}
NEGATION_REACH = 4
LETTER_GROUPS = (3, 4, 5)
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"[^.!?;\n]+")


def features(norm: str, language: str) -> set[str]:
    """The features of a normalised text (`text.normalise`): words, word pairs, words within
    a negation's reach on either side, and letter groups of 3 to 5 inside each word."""
    words = _WORD.findall(norm)
    negations = NEGATIONS.get(language, NEGATIONS["en"])
    out: set[str] = set()
    reach = 0
    for i, word in enumerate(words):
        if word in negations:
            reach = NEGATION_REACH
            out.update("nb:" + before for before in words[max(0, i - 3) : i])
        out.add("w:" + word)
        if reach:
            out.add("nw:" + word)
            reach -= 1
        if i:
            out.add("b:" + words[i - 1] + "_" + word)
        marked = "<" + word + ">"
        for n in LETTER_GROUPS:
            out.update("c:" + marked[j : j + n] for j in range(len(marked) - n + 1))
    return out


@dataclass(frozen=True)
class FlagModel:
    """One language's detector: feature index, weights (features x red flags), bias, threshold."""

    language: str
    index: dict[str, int]
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    flags: tuple[str, ...]
    threshold: float
    about: dict[str, Any]

    def scores(self, norm: str) -> dict[str, float]:
        """Red flag -> the chance the text tells of it."""
        rows = [self.index[f] for f in features(norm, self.language) if f in self.index]
        if rows:
            z = self.weights[rows].sum(axis=0) / np.float32(np.sqrt(len(rows))) + self.bias
        else:
            z = self.bias
        chance = 1.0 / (1.0 + np.exp(-z.astype(np.float64)))
        return {flag: float(p) for flag, p in zip(self.flags, chance, strict=True)}

    def save(self, path: Any) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(path, features=np.array(names), weights=self.weights.astype(np.float16),
                            bias=self.bias, flags=np.array(self.flags),
                            about=np.array(json.dumps({**self.about, "threshold": self.threshold, "language": self.language})))


def read_model(handle: Any) -> FlagModel:
    """A model from an `.npz` file (path or binary file object)."""
    with np.load(handle, allow_pickle=False) as data:
        about = json.loads(str(data["about"]))
        names = [str(name) for name in data["features"]]
        return FlagModel(language=str(about["language"]), index={name: i for i, name in enumerate(names)},
                         weights=data["weights"].astype(np.float32), bias=data["bias"].astype(np.float32),
                         flags=tuple(str(f) for f in data["flags"]), threshold=float(about["threshold"]), about=about)


_LOCK = threading.Lock()
_MODELS: dict[str, FlagModel | None] = {}


def _packaged(language: str) -> FlagModel | None:
    found = resources.files("thighdx.language") / "models" / f"red_flags-{language}.npz"
    if not found.is_file():
        return None
    with found.open("rb") as handle:
        return read_model(handle)


def model(language: str) -> FlagModel | None:
    """The packaged detector for `language` (None if there is none), loaded once."""
    if language not in _MODELS:
        with _LOCK:
            if language not in _MODELS:
                _MODELS[language] = _packaged(language)
    return _MODELS[language]


def use_model(language: str, replacement: FlagModel | None) -> FlagModel | None:
    """Put `replacement` in place of the detector for `language` (None: no hints) and return
    the one it replaced; for measuring a detector trained without a held-out set."""
    before = model(language)
    with _LOCK:
        _MODELS[language] = replacement
    return before


def with_flag_hints(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    """`mentions` plus, as `unknown`, every red flag the detector finds told of that the lexicon
    did not read at all (its span: the sentence that scores highest for it)."""
    detector = model(language)
    if detector is None or not norm.strip():
        return mentions
    whole = detector.scores(norm)
    read = {m.id for m in mentions}  # the lexicon's own reading of a flag stands
    flagged = [flag for flag, p in whole.items() if p >= detector.threshold and flag not in read]
    if not flagged:
        return mentions
    out = list(mentions)
    sentences = [(s.start(), s.end()) for s in _SENTENCE.finditer(norm) if s.group().strip()]
    per_sentence = [detector.scores(norm[a:b]) for a, b in sentences] if len(sentences) > 1 else []
    for flag in flagged:
        confidence = round(whole[flag], 2)
        start, end = sentences[max(range(len(sentences)), key=lambda i: per_sentence[i][flag])] if per_sentence else (0, len(norm))
        while start < end and work[start].isspace():
            start += 1
        while end > start and work[end - 1].isspace():
            end -= 1
        out.append(Mention(flag, "unknown", work[start:end], start, end, confidence))
    return out
