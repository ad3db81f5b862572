"""Parse-quality report: how well free text is turned into findings, on a labelled set.

A labelled set is JSON Lines, one record per text:

    {"id": "en001", "text": "no swelling but my calf aches", "findings": {"leg_swelling_one_side": "absent", "pain_calf": "present"}}

`findings` lists every finding the text asserts (present or absent) of the person now.
A parsed mention counts when its finding id and its polarity both match; `unknown`
mentions (uncertain, hypothetical) are not assertions and are not counted.

    precision          = matched / parsed assertions
    recall             = matched / labelled assertions
    negation_accuracy  = share of findings found by id (parsed and labelled) whose polarity is right
                         (also reported as `polarity`)
    red_flag_recall    = share of labelled-present red flags read present or unknown (unknown
                         is asked by the interview, so it is not lost)
    red_flags_read_absent = labelled-present red flags the parser read absent: the one error
                         that must not happen (count and list)

Run:  python -m thighdx.evaluation.parse_quality tests/data/parse_en.jsonl --language en
      python -m thighdx.evaluation.parse_quality tests/data/parse_en.jsonl tests/data/parse_tr.jsonl --json
(a record's own `language` field wins over `--language`; several files give one report each,
or with `--pool` one report per language over all of them).
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
    from thighdx.language.lexicon import kb_red_flags

    red_flags = kb_red_flags()
    tp = fp = fn = polarity_right = polarity_wrong = 0
    gold_absent = absent_right = 0
    flag_present = flag_kept = flag_unknown = 0
    flags_absent: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    false_ids: Counter[str] = Counter()
    missed_ids: Counter[str] = Counter()
    for record in records:
        gold: dict[str, str] = dict(record.get("findings") or {})
        mentions = parse(record.get("text", ""), record.get("language", language))
        predicted = assertions(mentions)
        read = {m.id: m.choice_id for m in mentions}
        for fid, choice in gold.items():
            if choice == "present" and fid in red_flags:
                flag_present += 1
                if read.get(fid) in ("present", "unknown"):
                    flag_kept += 1
                    flag_unknown += read.get(fid) == "unknown"
                elif read.get(fid) == "absent":
                    flags_absent.append({"id": record.get("id"), "finding": fid, "text": record.get("text")})
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
        "polarity": round(polarity_right / found, 4) if found else 0.0,
        "red_flag_recall": round(flag_kept / flag_present, 4) if flag_present else None,
        "red_flags_read_absent": len(flags_absent),
        "red_flags_read_absent_list": flags_absent,
        "counts": {
            "records": len(records),
            "labelled": tp + fn,
            "labelled_absent": gold_absent,
            "parsed": tp + fp,
            "matched": tp,
            "false_positives": fp,
            "missed": fn,
            "polarity_errors": polarity_wrong,
            "red_flags_labelled_present": flag_present,
            "red_flags_read_unknown": flag_unknown,
        },
    }
    if details:
        report["misses"] = misses
        report["most_false"] = false_ids.most_common(10)
        report["most_missed"] = missed_ids.most_common(10)
    return report


def _summary(path: str, report: dict[str, Any]) -> str:
    counts = report["counts"]
    flag = report["red_flag_recall"]
    lines = [
        f"{path} ({report['language']}, {counts['records']} texts, {counts['labelled']} labelled findings)",
        (f"  precision {report['precision']:.3f}  recall {report['recall']:.3f}  polarity {report['polarity']:.3f}"
        f"  absent recall {report['absent_recall']:.3f}"),
        (f"  red flags labelled present {counts['red_flags_labelled_present']}: read present or unknown "
        f"{'-' if flag is None else f'{flag:.3f}'} ({counts['red_flags_read_unknown']} unknown), read absent {report['red_flags_read_absent']}"),
    ]
    for item in report["red_flags_read_absent_list"]:
        lines.append(f"    ABSENT {item['finding']} in {item['id']}: {item['text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Parse-quality report on labelled JSON Lines sets.")
    parser.add_argument("paths", nargs="+", metavar="FILE", help="labelled set(s), e.g. tests/data/parse_en.jsonl")
    parser.add_argument("--language", default=None, choices=["en", "tr"],
                        help="language of records without their own (default: from a parse_xx or parse-...-xx file name, else en)")
    parser.add_argument("--details", action="store_true", help="also list every text with an error")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON (one object, or a list for several files)")
    parser.add_argument("--pool", action="store_true", help="one report per language over the records of all the files")
    args = parser.parse_args(argv)
    reports = []
    pooled: dict[str, list[dict[str, Any]]] = {}
    for path in args.paths:
        language = args.language or _language_of(path)
        try:
            if args.pool:
                for record in read_records(path):
                    pooled.setdefault(record.get("language", language), []).append(record)
            else:
                reports.append((path, parse_report(path, language, details=args.details)))
        except (OSError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    for language, records in sorted(pooled.items()):
        reports.append((f"pooled {language} ({len(args.paths)} files)", parse_report(records, language, details=args.details)))
    if args.json:
        data: Any = reports[0][1] if len(reports) == 1 else [{"file": path, **report} for path, report in reports]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_summary(path, report) for path, report in reports))
        if args.details:
            for _, report in reports:
                print(json.dumps(report["misses"], ensure_ascii=False, indent=2))
    return 0


def _language_of(path: str) -> str:
    stem = Path(path).stem
    for language in ("tr", "en"):
        if stem.endswith((f"_{language}", f"-{language}")) or stem == language:
            return language
    return "en"


if __name__ == "__main__":
    raise SystemExit(main())
