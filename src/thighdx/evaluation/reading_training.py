"""Train the learned reader (`thighdx.language.learned_reading`) from labelled parse sets.

    python -m thighdx.evaluation.reading_training FILE... [--out-dir DIR]
    python -m thighdx.evaluation.reading_training FILE... --hold-out FILE [--hold-out FILE ...] [--json]

Each FILE is a labelled set in `parse_quality`'s format. For each language, every reading
("finding=present", "finding=absent") labelled in at least `MIN_LABELS` texts, of a finding the
reader may read (`learned_reading.left_to_the_lexicon`), gets one logistic regression over the text's features (`linear.features`) and
the lexicon's own readings of it (read with the learned reader switched off), fitted together by
full-batch Adam from zero weights (deterministic).

With `--hold-out`, each held-out file in turn is left out, the reader is trained on the other
files and the held-out file is read twice, by the lexicon alone and with the reader, so what
the reader is worth on text it never saw is one command (`parse_quality`'s figures for both).
Without it, the models are written to `--out-dir` (default: the package's `language/models/`),
each recording the files and their SHA-256.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from thighdx.evaluation.fitting import MODELS_DIR, design_matrix, files_in, fit, labelled_records, language_of, sources
from thighdx.evaluation.parse_quality import parse_report, read_records
from thighdx.language import learned_reading
from thighdx.language.learned_reading import label, left_to_the_lexicon, reading_features
from thighdx.language.linear import LinearModel, features
from thighdx.language.text import normalise

MIN_LABELS = 5
MIN_FEATURE_TEXTS = 3
# A penalty on the mean loss this light lets the lexicon's own readings carry their weight.
L2 = 5e-6
STEPS = 400
STEP_SIZE = 1.0
# Chosen by leaving each labelled round out in turn (docs/language.md).
ADD = 0.4
# The lexicon's readings are taken as of this day, so a relative date ("since March") reads the
# same whenever the model is trained.
TRAINING_DAY = date(2026, 12, 2)


def lexicon_readings(texts: list[str], language: str) -> list[set[str]]:
    """Each text's features for the reader: its own and the lexicon's readings of it."""
    from thighdx.language import parse

    before = learned_reading.use_model(language, None)
    try:
        out = []
        for text in texts:
            out.append(set(features(normalise(text, language), language)) | reading_features(parse(text, language, TRAINING_DAY)))
        return out
    finally:
        learned_reading.use_model(language, before)


def train(records: list[dict[str, Any]], language: str, about: dict[str, Any] | None = None) -> LinearModel:
    """Fit one language's reader on labelled texts."""
    counts: dict[str, int] = {}
    for record in records:
        for fid, choice in (record.get("findings") or {}).items():
            if choice in ("present", "absent") and fid not in left_to_the_lexicon():
                counts[label(fid, choice)] = counts.get(label(fid, choice), 0) + 1
    labels = tuple(sorted(name for name, n in counts.items() if n >= MIN_LABELS))
    rows = lexicon_readings([str(r.get("text", "")) for r in records], language)
    x, index = design_matrix(rows, MIN_FEATURE_TEXTS)
    pairs = [name.split("=") for name in labels]
    y = np.array([[1.0 if (r.get("findings") or {}).get(fid) == choice else 0.0 for fid, choice in pairs] for r in records],
                 dtype=np.float32)
    weights, bias = fit(x, y.reshape(len(records), len(labels)), L2, STEPS, STEP_SIZE)
    return LinearModel(language, index, weights, bias, labels, ADD,
                       dict(about or {}, texts=len(records), features=len(index)))


def held_out_report(paths: list[Path], held_out: Path) -> dict[str, Any]:
    """The parser on `held_out`, by the lexicon alone and with a reader trained on `paths` only."""
    records = read_records(held_out)
    language = str(records[0].get("language", language_of(held_out))) if records else language_of(held_out)
    reader = train(labelled_records(paths, language), language)
    before = learned_reading.use_model(language, None)
    try:
        alone = parse_report(records, language)
        learned_reading.use_model(language, reader)
        with_reader = parse_report(records, language)
    finally:
        learned_reading.use_model(language, before)
    keep = ("precision", "recall", "polarity", "red_flag_recall", "red_flags_read_absent")
    return {"held_out": held_out.name, "trained_on": [p.name for p in paths], "language": language,
            "lexicon": {k: alone.get(k) for k in keep}, "with_reader": {k: with_reader.get(k) for k in keep}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m thighdx.evaluation.reading_training", description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out-dir", type=Path, default=MODELS_DIR)
    ap.add_argument("--hold-out", type=Path, action="append", default=[])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    for path in [*args.files, *args.hold_out]:
        if not path.is_file():
            ap.error(f"{path}: no such file")
    if args.hold_out:
        reports = []
        for held in args.hold_out:
            language = language_of(held)
            reports.append(held_out_report([p for p in args.files if p != held and language_of(p) == language], held))
        print(json.dumps(reports, indent=None if args.json else 2, ensure_ascii=False))
        return 0
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for language in ("en", "tr"):
        paths = files_in(args.files, language)
        reader = train(labelled_records(paths, language), language, {"trained_on": sources(paths)})
        out = args.out_dir / f"{learned_reading.NAME}-{language}.npz"
        reader.save(out)
        print(f"{out}: {len(reader.labels)} readings, {reader.about['features']} features, {reader.about['texts']} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
