"""Train the red-flag detector (`thighdx.language.flag_hints`) from labelled parse sets.

    python -m thighdx.evaluation.flag_training FILE... [--out-dir DIR] [--threshold 0.15]
    python -m thighdx.evaluation.flag_training FILE... --hold-out FILE [--json]

Each FILE is a labelled set in `parse_quality`'s format. For each language, every red flag
(findings.yaml `red_flag: true`) and every finding that alone demands emergency care labelled present in at least `MIN_PRESENT` texts gets one
logistic regression over `linear.features`, fitted together by full-batch Adam from zero
weights (deterministic): a text's label is 1 when the flag is labelled present in it.

With `--hold-out`, the detector is trained on the other files only and the held-out file is
read twice by the parser, without hints and with them, so the detector's worth on text it
never saw is one command (`parse_quality`'s figures for both readings, and how many hints it
gave where the flag was not present). Without it, the models are written to `--out-dir`
(default: the package's `language/models/`), each recording the files and their SHA-256.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from thighdx.evaluation.fitting import MODELS_DIR, design_matrix, files_in, fit, labelled_records, language_of, sources
from thighdx.evaluation.parse_quality import parse_report, read_records
from thighdx.language import flag_hints
from thighdx.language.lexicon import kb_emergency_findings, kb_red_flags
from thighdx.language.linear import LinearModel, features
from thighdx.language.text import normalise

MIN_PRESENT = 3
MIN_FEATURE_TEXTS = 2
STEPS = 300
STEP_SIZE = 0.5
L2 = 1e-4
THRESHOLD = 0.15


def train(records: list[dict[str, Any]], language: str, threshold: float = THRESHOLD, about: dict[str, Any] | None = None) -> LinearModel:
    """Fit one language's detector on labelled texts."""
    red_flags = kb_red_flags() | kb_emergency_findings()
    counts: dict[str, int] = {}
    for record in records:
        for fid, choice in (record.get("findings") or {}).items():
            if choice == "present" and fid in red_flags:
                counts[fid] = counts.get(fid, 0) + 1
    flags = tuple(sorted(f for f, n in counts.items() if n >= MIN_PRESENT))
    rows = [features(normalise(str(r.get("text", "")), language), language) for r in records]
    x, index = design_matrix(rows, MIN_FEATURE_TEXTS)
    y = np.array([[1.0 if (r.get("findings") or {}).get(f) == "present" else 0.0 for f in flags] for r in records], dtype=np.float32)
    weights, bias = fit(x, y.reshape(len(records), len(flags)), L2, STEPS, STEP_SIZE)
    return LinearModel(language, index, weights, bias, flags, threshold, dict(about or {}, texts=len(records), features=len(index)))


def held_out_report(paths: list[Path], held_out: Path, threshold: float = THRESHOLD) -> dict[str, Any]:
    """The parser on `held_out`, without hints and with a detector trained on `paths` only."""
    language = language_of(held_out)
    records = read_records(held_out)
    language = str(records[0].get("language", language)) if records else language
    detector = train(labelled_records(paths, language), language, threshold)
    before = flag_hints.use_model(language, None)
    try:
        without = parse_report(records, language)
        plain = _readings(records, language)
        flag_hints.use_model(language, detector)
        with_hints = parse_report(records, language)
        hinted = _readings(records, language)
    finally:
        flag_hints.use_model(language, before)
    false_hints = sum(
        1
        for record, lexicon_only, read in zip(records, plain, hinted, strict=True)
        for fid, choice in read.items()
        if choice == "unknown" and fid not in lexicon_only and (record.get("findings") or {}).get(fid) != "present"
    )
    keep = ("precision", "recall", "polarity", "red_flag_recall", "red_flags_read_absent")
    return {"held_out": held_out.name, "trained_on": [p.name for p in paths], "language": language, "threshold": threshold,
            "without_hints": {k: without.get(k) for k in keep}, "with_hints": {k: with_hints.get(k) for k in keep},
            "hints_where_not_present": false_hints}


def _readings(records: list[dict[str, Any]], language: str) -> list[dict[str, str]]:
    from thighdx.language import parse

    return [{m.id: m.choice_id for m in parse(str(r.get("text", "")), language)} for r in records]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m thighdx.evaluation.flag_training", description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out-dir", type=Path, default=MODELS_DIR)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--hold-out", type=Path, action="append", default=[])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    for path in [*args.files, *args.hold_out]:
        if not path.is_file():
            ap.error(f"{path}: no such file")
    if args.hold_out:
        reports = [held_out_report([p for p in args.files if p not in args.hold_out], h, args.threshold) for h in args.hold_out]
        print(json.dumps(reports, indent=None if args.json else 2, ensure_ascii=False))
        return 0
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for language in ("en", "tr"):
        paths = files_in(args.files, language)
        detector = train(labelled_records(paths, language), language, args.threshold, {"trained_on": sources(paths)})
        out = args.out_dir / f"red_flags-{language}.npz"
        detector.save(out)
        print(f"{out}: {len(detector.labels)} findings, {detector.about['features']} features, {detector.about['texts']} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
