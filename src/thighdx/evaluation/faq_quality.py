"""Measure the common-question search on a labelled file of paraphrases.

    python -m thighdx.evaluation.faq_quality tests/data/faq_paraphrases.jsonl

Each line is {"q": ..., "language": "en"|"tr", "expected": entry id or null}; null marks an
off-topic question that must get no answer. The file is split in two halves by position
within each (expected, language) group: even positions are the tuning half (used to choose
`MIN_CONFIDENCE`), odd positions the held-out half. Prints one JSON object with, per half and
language, the share of paraphrases whose first answer is the right one, the share of
off-topic questions rejected, latency, and a sweep of thresholds on the tuning half.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from thighdx.care import faq as faq_search
from thighdx.errors import KnowledgeError


def _knowledge() -> Any:
    try:
        from thighdx.knowledge.loader import load_kb

        return load_kb()
    except KnowledgeError as error:  # the full knowledge base may be mid-edit; the FAQ part is enough
        print(
            f"note: full knowledge base not loadable ({type(error).__name__}); using faq.yaml and sources only", file=sys.stderr
        )
        return faq_search.load_faq_knowledge()


def read_cases(path: Path | str) -> list[dict[str, Any]]:
    cases = []
    position: dict[tuple[Any, str], int] = defaultdict(int)
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            case = json.loads(line)
            key = (case.get("expected"), case["language"])
            case["split"] = "tune" if position[key] % 2 == 0 else "holdout"
            position[key] += 1
            cases.append(case)
    return cases


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def evaluate(cases: list[dict[str, Any]], kb: Any = None, threshold: float | None = None) -> dict[str, Any]:
    kb = kb if kb is not None else _knowledge()
    threshold = faq_search.MIN_CONFIDENCE if threshold is None else threshold
    faq_search.answer_question("warm-up", "en", kb)  # build the index outside the timings
    scored = []
    timings = []
    for case in cases:
        start = time.perf_counter()
        best, confidence = faq_search.score_question(case["q"], case["language"], kb)
        timings.append(time.perf_counter() - start)
        scored.append((case, best, confidence))

    def summary(rows: list[tuple[dict[str, Any], str | None, float]], cut: float) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for language in ("en", "tr"):
            on = [(c, b, s) for c, b, s in rows if c["language"] == language and c["expected"] is not None]
            off = [(c, b, s) for c, b, s in rows if c["language"] == language and c["expected"] is None]
            right = sum(1 for c, b, s in on if b == c["expected"] and s >= cut)
            ranked = sum(1 for c, b, s in on if b == c["expected"])
            rejected = sum(1 for c, b, s in off if s < cut)
            out[language] = {
                "paraphrases": len(on),
                "accuracy": _rate(right, len(on)),
                "ranked_first": _rate(ranked, len(on)),
                "off_topic": len(off),
                "off_topic_rejected": _rate(rejected, len(off)),
            }
        return out

    report: dict[str, Any] = {"threshold": threshold, "cases": len(cases)}
    for split in ("tune", "holdout", "all"):
        rows = [r for r in scored if split == "all" or r[0]["split"] == split]
        report[split] = summary(rows, threshold)
    tune = [r for r in scored if r[0]["split"] == "tune"]
    sweep = {}
    for cut in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        s = summary(tune, cut)
        sweep[f"{cut:.2f}"] = {
            lang: {"accuracy": s[lang]["accuracy"], "off_topic_rejected": s[lang]["off_topic_rejected"]} for lang in ("en", "tr")
        }
    report["threshold_sweep_tune"] = sweep
    report["latency_ms"] = {
        "mean": round(1000 * sum(timings) / len(timings), 3) if timings else None,
        "max": round(1000 * max(timings), 3) if timings else None,
    }
    report["misses"] = [
        {"q": c["q"], "language": c["language"], "expected": c["expected"], "got": b, "confidence": s, "split": c["split"]}
        for c, b, s in scored
        if (c["expected"] is None and s >= threshold) or (c["expected"] is not None and (b != c["expected"] or s < threshold))
    ]
    return report


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m thighdx.evaluation.faq_quality FILE.jsonl", file=sys.stderr)
        return 2
    report = evaluate(read_cases(args[0]))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
