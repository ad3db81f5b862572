"""Fitting the parser's linear models (`thighdx.language.linear`) from labelled texts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from thighdx.evaluation.parse_quality import read_records

MODELS_DIR = Path(__file__).resolve().parents[1] / "language" / "models"


def language_of(path: Path) -> str:
    """A labelled set's language, from its file name (`parse_tr.jsonl`, `parse-r3-tr.jsonl`)."""
    return "tr" if path.stem.endswith("tr") else "en"


def labelled_records(paths: list[Path], language: str) -> list[dict[str, Any]]:
    """The labelled texts of `language` in `paths`."""
    return [r for p in paths for r in read_records(p) if r.get("language", language_of(p)) == language]


def files_in(paths: list[Path], language: str) -> list[Path]:
    """The files of `paths` with at least one labelled text of `language`."""
    return [p for p in paths if any(r.get("language", language_of(p)) == language for r in read_records(p))]


def sources(paths: list[Path]) -> list[dict[str, str]]:
    """What a model was trained on: each file's name and SHA-256."""
    return [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in paths]


def design_matrix(rows: Sequence[AbstractSet[str]], min_texts: int) -> tuple[npt.NDArray[np.float32], dict[str, int]]:
    """The texts' features as a matrix (each row scaled to unit length) over the features seen
    in at least `min_texts` texts, and the index of those features."""
    seen: dict[str, int] = {}
    for row in rows:
        for f in row:
            seen[f] = seen.get(f, 0) + 1
    names = sorted(f for f, n in seen.items() if n >= min_texts)
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names)), dtype=np.float32)
    for i, row in enumerate(rows):
        cols = [index[f] for f in row if f in index]
        if cols:
            x[i, cols] = 1.0 / np.sqrt(len(cols))
    return x, index


def fit(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32], l2: float, steps: int, step_size: float) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Weights (features x labels) and bias of one logistic regression per column of `y`, fitted
    together by full-batch Adam from zero weights (deterministic), with an L2 penalty `l2` on the
    mean loss."""
    n, d = x.shape
    k = y.shape[1]
    rate = np.clip(y.mean(axis=0), 1e-3, 1 - 1e-3)
    w = np.zeros((d, k), np.float32)
    b = np.log(rate / (1 - rate)).astype(np.float32)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    step = np.float32(step_size * 0.05)
    for t in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = ((p - y) / n).astype(np.float32)
        gw = x.T @ g + np.float32(l2) * w
        gb = g.sum(axis=0)
        mw, vw = 0.9 * mw + 0.1 * gw, 0.999 * vw + 0.001 * gw * gw
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        w -= step * (mw / (1 - 0.9**t)) / (np.sqrt(vw / (1 - 0.999**t)) + 1e-8)
        b -= step * (mb / (1 - 0.9**t)) / (np.sqrt(vb / (1 - 0.999**t)) + 1e-8)
    return w.astype(np.float32), b.astype(np.float32)
