"""The learned red-flag detector: it only ever adds `unknown` red flags the lexicon did not read,
it is worth something on text it never saw, and the packaged model is the one its data give."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from thighdx.evaluation.flag_training import held_out_report, train
from thighdx.evaluation.parse_quality import read_records
from thighdx.language import flag_hints, parse
from thighdx.language.lexicon import kb_emergency_findings, kb_red_flags
from thighdx.language.linear import read_model
from thighdx.language.text import normalise

DATA = Path(__file__).resolve().parents[1] / "data"


def _without_hints(text: str, language: str) -> list[tuple[str, str]]:
    before = flag_hints.use_model(language, None)
    try:
        return sorted((m.id, m.choice_id) for m in parse(text, language))
    finally:
        flag_hints.use_model(language, before)


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_packaged_detector_is_loaded(language):
    detector = flag_hints.model(language)
    assert detector is not None and detector.language == language
    assert set(detector.labels) <= kb_red_flags() | kb_emergency_findings() and len(detector.labels) >= 8
    assert 0 < detector.threshold < 1


@pytest.mark.parametrize("language", ["en", "tr"])
def test_hints_only_add_unknown_red_flags_and_never_change_a_reading(language):
    red_flags = kb_red_flags() | kb_emergency_findings()
    added = 0
    for record in read_records(DATA / f"parse_{language}.jsonl")[:120] + read_records(DATA / "blind" / f"parse-r3-{language}.jsonl")[:120]:
        text = record["text"]
        plain = _without_hints(text, language)
        hinted = parse(text, language)
        assert [p for p in plain] == sorted((m.id, m.choice_id) for m in hinted if (m.id, m.choice_id) in set(plain)), text
        extra = [m for m in hinted if (m.id, m.choice_id) not in set(plain)]
        for m in extra:
            assert m.choice_id == "unknown" and m.id in red_flags and m.id not in {fid for fid, _ in plain}, (text, m)
            assert text[m.start : m.end] == m.text and m.text.strip() == m.text and m.text
            assert 0 < m.confidence <= 1
        added += len(extra)
    assert added > 0, "the detector never spoke on 240 texts"


@pytest.mark.parametrize("language", ["en", "tr"])
def test_on_a_set_it_never_saw_the_detector_raises_red_flag_recall_and_costs_no_reading(language):
    files = [DATA / f"parse_{language}.jsonl", DATA / "blind" / f"parse-r1-{language}.jsonl", DATA / "blind" / f"parse-r2-{language}.jsonl"]
    report = held_out_report(files, DATA / "blind" / f"parse-r3-{language}.jsonl")
    without, hinted = report["without_hints"], report["with_hints"]
    assert hinted["red_flag_recall"] >= without["red_flag_recall"] + 0.05, report
    assert hinted["precision"] == without["precision"] and hinted["recall"] == without["recall"], report
    assert hinted["red_flags_read_absent"] == 0
    assert report["hints_where_not_present"] <= 0.05 * len(read_records(DATA / "blind" / f"parse-r3-{language}.jsonl"))


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_packaged_detector_is_what_its_recorded_data_train(language, recorded_training):
    detector = flag_hints.model(language)
    assert detector is not None
    records = recorded_training(detector, language)
    again = train(records, language, detector.threshold)
    assert again.labels == detector.labels
    probe = [r["text"] for r in records[::40]]
    for text in probe:
        norm = normalise(text, language)
        a, b = detector.scores(norm), again.scores(norm)
        assert np.allclose([a[f] for f in detector.labels], [b[f] for f in detector.labels], atol=2e-3), text


def test_a_detector_round_trips_through_its_file(tmp_path):
    detector = flag_hints.model("en")
    assert detector is not None
    detector.save(tmp_path / "m.npz")
    again = read_model(tmp_path / "m.npz")
    text = normalise("my leg is cold and white and i feel faint", "en")
    assert again.labels == detector.labels and again.threshold == detector.threshold
    assert json.dumps(again.scores(text), sort_keys=True) == json.dumps(detector.scores(text), sort_keys=True)
