"""A linear model over a text's words and letter groups: the form of the parser's learned parts.

Each label (a red flag for the detector, a finding's reading for the learned reader) gets one
logistic regression over `features`: the text's words, word pairs, words within a negation's
reach and letter groups (so Turkish suffixes and phone-typed spellings share features), plus any
features the caller adds. Models ship as data beside this module (`models/*.npz`); nothing is
downloaded.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

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

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def features(norm: str, language: str) -> frozenset[str]:
    """The features of a normalised text (`text.normalise`): words, word pairs, words within
    a negation's reach on either side, and letter groups of 3 to 5 inside each word (kept for
    the last few texts read, as the parser's models read the same text in turn)."""
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
    return frozenset(out)


@dataclass(frozen=True)
class LinearModel:
    """One language's model: feature index, weights (features x labels), bias, labels, threshold."""

    language: str
    index: dict[str, int]
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    labels: tuple[str, ...]
    threshold: float
    about: dict[str, Any]

    def scores(self, norm: str, extra: Iterable[str] = ()) -> dict[str, float]:
        """Label -> its chance for the normalised text (`text.normalise`), given `extra` features too."""
        index = self.index
        rows = [i for f in features(norm, self.language) if (i := index.get(f)) is not None]
        rows += [i for f in extra if (i := index.get(f)) is not None]
        if rows:
            z = self.weights[rows].sum(axis=0) / np.float32(np.sqrt(len(rows))) + self.bias
        else:
            z = self.bias
        chance = 1.0 / (1.0 + np.exp(-z.astype(np.float64)))
        return {label: float(p) for label, p in zip(self.labels, chance, strict=True)}

    def save(self, path: Any) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(path, features=np.array(names), weights=self.weights.astype(np.float16),
                            bias=self.bias, labels=np.array(self.labels),
                            about=np.array(json.dumps({**self.about, "threshold": self.threshold, "language": self.language})))


def read_model(handle: Any) -> LinearModel:
    """A model from an `.npz` file (path or binary file object); a file whose parts do not fit
    together is refused (ValueError)."""
    with np.load(handle, allow_pickle=False) as data:
        about = json.loads(str(data["about"]))
        names = [str(name) for name in data["features"]]
        labels = tuple(str(f) for f in data["labels" if "labels" in data else "flags"])
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
    if weights.shape != (len(names), len(labels)) or bias.shape != (len(labels),):
        raise ValueError(f"model file: weights {weights.shape} and bias {bias.shape} do not fit {len(names)} features x {len(labels)} labels")
    return LinearModel(language=str(about["language"]), index={name: i for i, name in enumerate(names)}, weights=weights,
                       bias=bias, labels=labels, threshold=float(about["threshold"]), about=about)


_LOCK = threading.Lock()
_MODELS: dict[tuple[str, str], LinearModel | None] = {}


def _packaged(name: str, language: str) -> LinearModel | None:
    found = resources.files("thighdx.language") / "models" / f"{name}-{language}.npz"
    if not found.is_file():
        return None
    try:
        with found.open("rb") as handle:
            return read_model(handle)
    except Exception:  # an unreadable model is no model: the parser reads with the lexicon alone
        log.exception("model %s-%s.npz could not be read; reading without it", name, language)
        return None


def packaged(name: str, language: str) -> LinearModel | None:
    """The packaged model `models/<name>-<language>.npz` (None if there is none), loaded once."""
    key = (name, language)
    if key not in _MODELS:
        with _LOCK:
            if key not in _MODELS:
                _MODELS[key] = _packaged(name, language)
    return _MODELS[key]


def use_packaged(name: str, language: str, replacement: LinearModel | None) -> LinearModel | None:
    """Put `replacement` in place of a packaged model (None: no model) and return the one it
    replaced; for measuring a model trained without a held-out set."""
    before = packaged(name, language)
    with _LOCK:
        _MODELS[(name, language)] = replacement
    return before


def sentence_spans(norm: str, work: str, model: LinearModel, labels: list[str]) -> dict[str, tuple[int, int]]:
    """For each label, the span of the sentence of `norm` that scores highest for it under
    `model`, trimmed of spaces in `work` (the text as sent, same offsets)."""
    sentences = [(s.start(), s.end()) for s in _SENTENCE.finditer(norm) if s.group().strip()] or [(0, len(norm))]
    per_sentence = [model.scores(norm[a:b]) for a, b in sentences] if len(sentences) > 1 else []
    out = {}
    for label in labels:
        start, end = sentences[max(range(len(sentences)), key=lambda i: per_sentence[i][label])] if per_sentence else sentences[0]
        while start < end and work[start].isspace():
            start += 1
        while end > start and work[end - 1].isspace():
            end -= 1
        out[label] = (start, end)
    return out
