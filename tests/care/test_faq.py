"""Common-question search: right answer by meaning, nothing for off-topic questions, never raises."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thighdx.care import faq as faq_search
from thighdx.care.faq import FaqAnswer, answer_question
from thighdx.errors import KnowledgeError
from thighdx.evaluation import faq_quality

PARAPHRASES = Path(__file__).resolve().parent.parent / "data" / "faq_paraphrases.jsonl"
# Written before the search was last tuned and never used to tune it: the honest held-out figure.
FRESH = Path(__file__).resolve().parent.parent / "data" / "faq_paraphrases_fresh.jsonl"


@pytest.fixture(scope="module")
def kb():
    try:
        from thighdx.knowledge.loader import load_kb

        return load_kb()
    except KnowledgeError:  # the rest of the knowledge base may be mid-edit; the FAQ part is enough
        return faq_search.load_faq_knowledge()


@pytest.fixture(scope="module")
def report(kb):
    return faq_quality.evaluate(faq_quality.read_cases(PARAPHRASES), kb)


def test_paraphrase_set_is_large_enough(kb):
    cases = faq_quality.read_cases(PARAPHRASES)
    ids = {entry.id for entry in kb.faq.faq}
    for language in ("en", "tr"):
        for entry_id in ids:
            n = sum(1 for c in cases if c["expected"] == entry_id and c["language"] == language)
            assert n >= 3, (entry_id, language, n)
        assert sum(1 for c in cases if c["expected"] is None and c["language"] == language) >= 10
    assert {c["expected"] for c in cases if c["expected"]} <= ids


@pytest.mark.parametrize("language", ["en", "tr"])
def test_right_answer_first_for_paraphrases(report, language):
    assert report["all"][language]["accuracy"] >= 0.90, report["all"][language]
    # the half not used for tuning: guards against regressions (see the report for the figure)
    assert report["holdout"][language]["accuracy"] >= 0.88, report["holdout"][language]


@pytest.mark.parametrize("language", ["en", "tr"])
def test_off_topic_questions_get_no_answer(report, language):
    assert report["all"][language]["off_topic_rejected"] == 1.0, report["misses"]


@pytest.fixture(scope="module")
def fresh_report(kb):
    return faq_quality.evaluate(faq_quality.read_cases(FRESH), kb)


def test_fresh_set_covers_every_entry(kb):
    cases = faq_quality.read_cases(FRESH)
    for language in ("en", "tr"):
        for entry in kb.faq.faq:
            assert sum(1 for c in cases if c["expected"] == entry.id and c["language"] == language) >= 3
        assert sum(1 for c in cases if c["expected"] is None and c["language"] == language) >= 20


# Floors a little below the measured figures (en 98.1 % / tr 92.5 % right answer first;
# off-topic rejected en 95 %, tr 80 %), so they catch regressions without being flaky.
@pytest.mark.parametrize(("language", "accuracy", "rejected"), [("en", 0.95, 0.95), ("tr", 0.88, 0.75)])
def test_fresh_set(fresh_report, language, accuracy, rejected):
    assert fresh_report["all"][language]["accuracy"] >= accuracy, fresh_report["all"][language]
    assert fresh_report["all"][language]["off_topic_rejected"] >= rejected, fresh_report["all"][language]


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("hamstirng strain how long to heal", "en", "hamstring_how_long"),
        ("siyatk ne kadar surer", "tr", "sciatica_how_long"),
        ("Tokyo'da saat kaç", "tr", None),
    ],
)
def test_misspellings_and_apostrophes(kb, question, language, expected):
    assert answer_question(question, language, kb).id == expected


def test_answer_shape_and_sources(kb):
    result = answer_question("how long does a pulled hamstring take to heal", "en", kb)
    assert isinstance(result, FaqAnswer)
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.answer = "x"  # type: ignore[misc]
    assert result.id == "hamstring_how_long"
    assert result.question and result.answer
    assert 0.0 <= result.confidence <= 1.0
    assert result.sources and all({"id", "citation", "url"} <= set(s) for s in result.sources)


def test_answers_in_the_requested_language(kb):
    result = answer_question("siyatik ne kadar sürer", "tr", kb)
    assert result.id == "sciatica_how_long"
    entry = next(e for e in kb.faq.faq if e.id == result.id)
    assert result.answer == entry.answer.tr
    assert result.question == entry.question.tr


@pytest.mark.parametrize(
    "question",
    ["BACAĞIMDA PIHTI BELİRTİLERİ NELER", "bacagimda pihti belirtileri neler", "Bacağımda pıhtı belirtileri neler?"],
)
def test_turkish_with_or_without_turkish_letters(kb, question):
    assert answer_question(question, "tr", kb).id == "dvt_symptoms"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("how do I bake bread", "en"),
        ("what's the capital of France", "en"),
        ("ekmek nasıl yapılır", "tr"),
        ("Fransa'nın başkenti neresi", "tr"),
        ("", "en"),
        ("   ", "tr"),
    ],
)
def test_null_answer(kb, question, language):
    result = answer_question(question, language, kb)
    assert result.answer is None and result.id is None and result.question is None
    assert result.sources == []
    assert result.confidence < faq_search.MIN_CONFIDENCE


def test_unknown_language_falls_back_to_english(kb):
    assert answer_question("can I run with a pulled hamstring", "de", kb).id == "hamstring_run"


def test_fast(kb):
    answer_question("warm up", "en", kb)
    start = time.perf_counter()
    for _ in range(20):
        answer_question("my leg is swollen and warm, is it a clot?", "en", kb)
    assert (time.perf_counter() - start) / 20 < 0.05
    start = time.perf_counter()
    answer_question("hamstring " * 20000, "en", kb)
    assert time.perf_counter() - start < 0.05


@settings(max_examples=200, deadline=None)
@given(text=st.text(), language=st.sampled_from(["en", "tr", "xx"]))
def test_never_raises_on_arbitrary_text(kb, text, language):
    result = answer_question(text, language, kb)
    assert 0.0 <= result.confidence <= 1.0
    assert (result.answer is None) == (result.id is None)


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x1b[31m", "🦵🔥😭", "<script>alert(1)</script><b>hamstring</b>", "a" * 100_000, "İIıi" * 1000, "\u202e\ufeff"],
)
def test_never_raises_on_odd_input(kb, text):
    assert isinstance(answer_question(text, "tr", kb), FaqAnswer)
    assert isinstance(answer_question(text, "en", kb), FaqAnswer)
