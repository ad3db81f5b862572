"""Parse-quality report: how well free text is turned into findings, on a labelled set.

A labelled set is JSON Lines, one record per text:

    {"id": "en001", "text": "no swelling but my calf aches", "findings": {"leg_swelling_one_side": "absent", "pain_calf": "present"}}

`findings` lists every finding the text asserts (present or absent) of the person now.
A parsed mention counts when its finding id and its polarity both match; `unknown`
mentions (uncertain, hypothetical) are not assertions and are not counted.

    precision          = matched / parsed assertions
    recall             = matched / labelled assertions
    negation_accuracy  = share of findings found by id (parsed and labelled) whose polarity is right

Run:  python -m thighdx.evaluation.parse_quality tests/data/parse_en.jsonl --language en
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def read_records(path: str | Path) -> list[dict[str, Any]]:
    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not valid JSON: {error}") from error
    return records


def assertions(mentions: Iterable[Any]) -> dict[str, str]:
    """Finding id -> present/absent from parsed mentions (unknown ones are left out)."""
    return {m.id: m.choice_id for m in mentions if m.choice_id in ("present", "absent")}


def parse_report(path_or_records: str | Path | list[dict[str, Any]], language: str = "en", details: bool = False) -> dict[str, Any]:
    """Precision, recall and negation accuracy of `parse` on a labelled set."""
    from thighdx.language import parse

    records = read_records(path_or_records) if isinstance(path_or_records, (str, Path)) else list(path_or_records)
    tp = fp = fn = polarity_right = polarity_wrong = 0
    gold_absent = absent_right = 0
    misses: list[dict[str, Any]] = []
    false_ids: Counter[str] = Counter()
    missed_ids: Counter[str] = Counter()
    for record in records:
        gold: dict[str, str] = dict(record.get("findings") or {})
        predicted = assertions(parse(record.get("text", ""), record.get("language", language)))
        for fid, choice in predicted.items():
            if gold.get(fid) == choice:
                tp += 1
            else:
                fp += 1
                false_ids[fid] += 1
            if fid in gold:
                if gold[fid] == choice:
                    polarity_right += 1
                else:
                    polarity_wrong += 1
        for fid, choice in gold.items():
            if predicted.get(fid) != choice:
                fn += 1
                missed_ids[fid] += 1
            if choice == "absent":
                gold_absent += 1
                absent_right += predicted.get(fid) == "absent"
        if details and (predicted != gold):
            extra = {k: v for k, v in predicted.items() if gold.get(k) != v}
            missing = {k: v for k, v in gold.items() if predicted.get(k) != v}
            misses.append({"id": record.get("id"), "text": record.get("text"), "extra": extra, "missing": missing})
    found = polarity_right + polarity_wrong
    report: dict[str, Any] = {
        "language": language,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "negation_accuracy": round(polarity_right / found, 4) if found else 0.0,
        "absent_recall": round(absent_right / gold_absent, 4) if gold_absent else 0.0,
        "counts": {
            "records": len(records),
            "labelled": tp + fn,
            "labelled_absent": gold_absent,
            "parsed": tp + fp,
            "matched": tp,
            "false_positives": fp,
            "missed": fn,
            "polarity_errors": polarity_wrong,
        },
    }
    if details:
        report["misses"] = misses
        report["most_false"] = false_ids.most_common(10)
        report["most_missed"] = missed_ids.most_common(10)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Parse-quality report on a labelled JSON Lines set.")
    parser.add_argument("path", help="labelled set, e.g. tests/data/parse_en.jsonl")
    parser.add_argument("--language", default="en", choices=["en", "tr"])
    parser.add_argument("--details", action="store_true", help="also list every text with an error")
    args = parser.parse_args(argv)
    try:
        report = parse_report(args.path, args.language, details=args.details)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
