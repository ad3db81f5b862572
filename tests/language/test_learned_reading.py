"""The learned reader: it only adds, never a red flag, never where it hurts or how long, never a
reading that could lower a level a triage rule sets (checked here against the loaded knowledge
base's own rules), fails closed, is worth something on text it never saw, and the packaged model
is the one its data give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thighdx import Interview, load_kb
from thighdx.evaluation.parse_quality import read_records
from thighdx.evaluation.reading_training import TRAINING_DAY, held_out_report, train
from thighdx.knowledge.schema import LEVELS
from thighdx.language import learned_reading, parse
from thighdx.language.learned_reading import left_to_the_lexicon, may_add, reading_features
from thighdx.language.lexicon import kb_emergency_findings, kb_red_flags
from thighdx.language.linear import LinearModel
from thighdx.language.mention import Mention
from thighdx.language.text import normalise

DATA = Path(__file__).resolve().parents[1] / "data"


def _lexicon_mentions(text: str, language: str) -> list[Mention]:
    before = learned_reading.use_model(language, None)
    try:
        return parse(text, language, TRAINING_DAY)
    finally:
        learned_reading.use_model(language, before)


def _unsafe_from_the_knowledge_base() -> tuple[set[str], set[str]]:
    """Readings (present, absent) that could lower a rule's level, worked out from the loaded
    knowledge base's typed rules, independently of the reader's own guard."""
    kb = load_kb()
    rank = {level: i for i, level in enumerate(LEVELS)}
    rules = [(flag.when, True) for flag in kb.triage.red_flags]
    for condition in kb.conditions.values():
        for rule in condition.triage.rules:
            if rank[rule.level] != rank[condition.triage.level]:
                rules.append((rule.when, rank[rule.level] > rank[condition.triage.level]))
    no_present: set[str] = set()
    no_absent: set[str] = set()
    for when, raises in rules:
        if raises:
            no_present |= set(when.absent) | set(when.not_present)
            no_absent |= set(when.present) | set(when.any_present)
        else:
            no_present |= set(when.present) | set(when.any_present)
            no_absent |= set(when.absent)
    return no_present, no_absent


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_packaged_reader_is_loaded(language):
    reader = learned_reading.model(language)
    assert reader is not None and reader.language == language and len(reader.labels) >= 100
    assert not {name.split("=")[0] for name in reader.labels} & left_to_the_lexicon()
    assert 0 < reader.threshold < 1


def test_no_reading_it_may_add_could_lower_a_rule_or_touch_a_red_flag():
    kb = load_kb()
    no_present, no_absent = _unsafe_from_the_knowledge_base()
    assert no_present and no_absent
    protected = kb_red_flags() | kb_emergency_findings()
    assert {"chest_pain", "saddle_numbness"} <= protected
    allowed = 0
    for fid, finding in kb.findings.items():
        for choice in ("present", "absent"):
            if may_add(fid, choice):
                allowed += 1
                assert fid not in protected and finding.group != "location" and fid != "symptoms_over_6_weeks", fid
                assert not (choice == "present" and fid in no_present) and not (choice == "absent" and fid in no_absent), (fid, choice)
    assert allowed > 40


def test_with_the_rules_unreadable_it_adds_nothing(monkeypatch):
    texts = [r["text"] for r in read_records(DATA / "parse_en.jsonl")[:200]]
    added = [t for t in texts if len(parse(t, "en", TRAINING_DAY)) > len(_lexicon_mentions(t, "en"))]
    assert added, "the reader adds to some of these texts"
    monkeypatch.setattr(learned_reading, "kb_unsafe_readings", lambda: None)
    for text in added:
        assert [(m.id, m.choice_id) for m in parse(text, "en", TRAINING_DAY)] == [(m.id, m.choice_id) for m in _lexicon_mentions(text, "en")]


def test_a_broken_model_costs_nothing_the_lexicon_read():
    text = "I have chest pain and my calf is swollen after a long flight."
    alone = [(m.id, m.choice_id) for m in _lexicon_mentions(text, "en")]
    assert ("chest_pain", "present") in alone
    good = learned_reading.model("en")
    assert good is not None
    broken = LinearModel("en", good.index, good.weights[:, :-1], good.bias, good.labels, good.threshold, good.about)
    before = learned_reading.use_model("en", broken)
    try:
        assert [(m.id, m.choice_id) for m in parse(text, "en", TRAINING_DAY)] == alone
    finally:
        learned_reading.use_model("en", before)


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_reader_only_adds(language):
    added = 0
    records = read_records(DATA / f"parse_{language}.jsonl")[:150] + read_records(DATA / "blind" / f"parse-r4-{language}.jsonl")[:150]
    for record in records:
        text = record["text"]
        alone = {(m.id, m.choice_id, m.start, m.end) for m in _lexicon_mentions(text, language)}
        mentions = parse(text, language, TRAINING_DAY)
        assert alone <= {(m.id, m.choice_id, m.start, m.end) for m in mentions}, text  # nothing read is changed
        ids = [m.id for m in mentions]
        assert len(ids) == len(set(ids)), text
        for m in (m for m in mentions if (m.id, m.choice_id, m.start, m.end) not in alone):
            assert m.choice_id in ("present", "absent") and may_add(m.id, m.choice_id), (text, m)
            assert text[m.start : m.end] == m.text and m.text and 0.4 <= m.confidence <= 1, (text, m)
            added += 1
    assert added > 20, added


def test_on_a_set_it_never_saw_the_reader_reads_more_and_no_red_flag_worse():
    files = [DATA / "parse_en.jsonl", *(DATA / "blind" / f"parse-r{i}-en.jsonl" for i in range(1, 6))]
    report = held_out_report(files, DATA / "blind" / "parse-r6-en.jsonl")
    alone, reader = report["lexicon"], report["with_reader"]
    assert reader["recall"] >= alone["recall"] + 0.02, report
    assert reader["precision"] >= alone["precision"] - 0.02, report
    assert reader["red_flag_recall"] == alone["red_flag_recall"] and reader["red_flags_read_absent"] == 0, report


@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_packaged_reader_is_what_its_recorded_data_train(language, recorded_training):
    reader = learned_reading.model(language)
    assert reader is not None
    records = recorded_training(reader, language)
    again = train(records, language)
    assert again.labels == reader.labels
    for record in records[::60]:
        text = record["text"]
        norm = normalise(text, language)
        extra = reading_features(_lexicon_mentions(text, language))
        a, b = reader.scores(norm, extra), again.scores(norm, extra)
        assert np.allclose([a[k] for k in reader.labels], [b[k] for k in reader.labels], atol=5e-3), text


@pytest.mark.parametrize("text", ["My calf swelled up. First time ever.", "My calf is swollen. I felt something in it."])
def test_the_readers_additions_never_lower_the_level_an_interview_starts_at(text):
    kb = load_kb()
    with_reader = Interview.start(kb, 28, "female", "en", text=text).step().triage.level
    before = learned_reading.use_model("en", None)
    try:
        lexicon_only = Interview.start(kb, 28, "female", "en", text=text).step().triage.level
    finally:
        learned_reading.use_model("en", before)
    assert LEVELS.index(with_reader) >= LEVELS.index(lexicon_only), (text, with_reader, lexicon_only)
