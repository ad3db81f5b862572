"""The learned reader: it never touches a red flag, moves a finding a triage rule names only the
safe way, is worth something on text it never saw, and the packaged model is the one its data give."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from thighdx.evaluation.parse_quality import read_records
from thighdx.evaluation.reading_training import held_out_report, train
from thighdx.language import learned_reading, parse
from thighdx.language.learned_reading import left_to_the_lexicon, may_add, may_withdraw, reading_features
from thighdx.language.lexicon import kb_emergency_findings, kb_red_flags, kb_rule_findings
from thighdx.language.mention import Mention
from thighdx.language.text import normalise

DATA = Path(__file__).resolve().parents[1] / "data"


def _lexicon_mentions(text: str, language: str) -> list[Mention]:
    before = learned_reading.use_model(language, None)
    try:
        return parse(text, language)
    finally:
        learned_reading.use_model(language, before)


def _lexicon_alone(text: str, language: str) -> dict[str, str]:
    return {m.id: m.choice_id for m in _lexicon_mentions(text, language)}


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_packaged_reader_is_loaded(language):
    reader = learned_reading.model(language)
    assert reader is not None and reader.language == language and len(reader.labels) >= 100
    assert not {name.split("=")[0] for name in reader.labels} & left_to_the_lexicon()
    assert 0 < reader.about["veto"] < reader.threshold < 1


def test_the_safe_directions():
    raising, holding = kb_rule_findings()
    assert "chest_pain" in kb_red_flags() | kb_emergency_findings()
    assert not may_add("chest_pain", "present") and not may_withdraw("chest_pain", "absent")
    assert "recent_surgery_or_bed_rest" in raising
    assert may_add("recent_surgery_or_bed_rest", "present") and not may_add("recent_surgery_or_bed_rest", "absent")
    assert not may_withdraw("recent_surgery_or_bed_rest", "absent") and not may_withdraw("recent_surgery_or_bed_rest", "present")
    assert may_withdraw("pain_dull_ache", "present") and not may_withdraw("pain_dull_ache", "absent")  # a denial stands
    for fid in ("pain_calf", "symptoms_over_6_weeks"):  # where it hurts, how long: the lexicon's
        assert not any(f(fid, c) for f in (may_add, may_withdraw) for c in ("present", "absent"))
    assert "pain_relieved_sitting_bending_forward" in holding
    assert may_add("pain_relieved_sitting_bending_forward", "absent") and not may_add("pain_relieved_sitting_bending_forward", "present")
    assert may_withdraw("pain_relieved_sitting_bending_forward", "present")
    assert not may_withdraw("pain_relieved_sitting_bending_forward", "absent")


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_reader_never_moves_a_red_flag_or_a_rule_the_unsafe_way(language):
    raising, holding = kb_rule_findings()
    protected = kb_red_flags() | kb_emergency_findings()
    added = withdrawn = 0
    records = read_records(DATA / f"parse_{language}.jsonl")[:150] + read_records(DATA / "blind" / f"parse-r4-{language}.jsonl")[:150]
    for record in records:
        text = record["text"]
        alone = _lexicon_alone(text, language)
        mentions = parse(text, language)
        read = {m.id: m.choice_id for m in mentions}
        for m in mentions:
            assert text[m.start : m.end] == m.text and 0 <= m.confidence <= 1
        for fid, choice in read.items():
            if fid in protected:
                assert alone.get(fid) == choice or (choice == "unknown" and fid not in alone), (text, fid)
                continue
            if fid not in alone:  # added
                added += 1
                assert not (choice == "absent" and fid in raising) and not (choice == "present" and fid in holding), (text, fid)
            elif alone[fid] != choice:  # withdrawn
                withdrawn += 1
                assert choice == "unknown" and alone[fid] == "present" and fid not in raising, (text, fid, alone[fid])
        assert set(alone) <= set(read), text  # nothing the lexicon read disappears
    assert added > 20 and withdrawn > 0, (added, withdrawn)


def test_on_a_set_it_never_saw_the_reader_reads_more_and_no_red_flag_worse():
    files = [DATA / "parse_en.jsonl", *(DATA / "blind" / f"parse-r{i}-en.jsonl" for i in range(1, 6))]
    report = held_out_report(files, DATA / "blind" / "parse-r6-en.jsonl")
    alone, reader = report["lexicon"], report["with_reader"]
    assert reader["recall"] >= alone["recall"] + 0.02, report
    assert reader["precision"] >= alone["precision"] - 0.01, report
    assert reader["red_flag_recall"] == alone["red_flag_recall"] and reader["red_flags_read_absent"] == 0, report


def test_the_packaged_reader_is_what_its_recorded_data_train():
    language = "tr"
    reader = learned_reading.model(language)
    assert reader is not None
    names = {"parse_en.jsonl", "parse_tr.jsonl"}
    records = []
    for source in reader.about["trained_on"]:
        path = DATA / source["file"] if source["file"] in names else DATA / "blind" / source["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"], f"{path.name} changed since the reader was trained"
        records += [r for r in read_records(path) if r.get("language", language) == language]
    again = train(records, language)
    assert again.labels == reader.labels
    for record in records[::60]:
        text = record["text"]
        norm = normalise(text, language)
        extra = reading_features(_lexicon_mentions(text, language))
        a, b = reader.scores(norm, extra), again.scores(norm, extra)
        assert np.allclose([a[k] for k in reader.labels], [b[k] for k in reader.labels], atol=5e-3), text
