"""Free-text parsing: negation and its scope, context, Turkish casing, offsets, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thighdx.evaluation.parse_quality import parse_report
from thighdx.language import Mention, check_lexicon, max_chars, parse, parse_text

DATA = Path(__file__).resolve().parents[1] / "data"


def found(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


NEGATION_CASES = [
    # (language, text, expected subset, ids that must not appear)
    ("en", "no swelling", {"leg_swelling_one_side": "absent"}, ()),
    ("en", "I don't have any numbness", {"numbness_or_tingling": "absent"}, ()),
    ("en", "denies tingling", {"numbness_or_tingling": "absent"}, ()),
    ("en", "No chest pain or shortness of breath.", {"chest_pain": "absent", "shortness_of_breath": "absent"}, ()),
    ("en", "no tingling, no numbness, no weakness", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}, ()),
    ("en", "No numbness, but the pain shoots down to my foot.",
     {"numbness_or_tingling": "absent", "pain_below_knee": "present", "pain_shooting_or_electric": "present"}, ()),
    ("en", "no swelling, pain shoots into my calf", {"leg_swelling_one_side": "absent", "pain_shooting_or_electric": "present"}, ()),
    ("en", "My lower back is fine.", {"pain_low_back": "absent"}, ()),
    ("en", "I can walk fine.", {"difficulty_walking": "absent"}, ()),
    ("en", "I can't walk properly.", {"difficulty_walking": "present"}, ()),
    ("en", "The pain doesn't go below the knee.", {"pain_below_knee": "absent"}, ()),
    ("en", "It doesn't wake me at night.", {"pain_at_night_or_rest": "absent"}, ()),
    ("en", "Never had a blood clot.", {"previous_dvt_or_pe": "absent"}, ()),
    ("en", "I've lost half a stone without trying.", {"unexplained_weight_loss": "present"}, ()),
    ("tr", "şişlik yok", {"leg_swelling_one_side": "absent"}, ()),
    ("tr", "uyuşma olmadı", {"numbness_or_tingling": "absent"}, ()),
    ("tr", "Ayağım uyuşmuyor.", {"numbness_or_tingling": "absent"}, ()),
    ("tr", "Bacağım şişmedi.", {"leg_swelling_one_side": "absent"}, ()),
    ("tr", "morluk yok sislik yok", {"bruising_back_of_thigh": "absent", "leg_swelling_one_side": "absent"}, ()),
    ("tr", "Şişlik yok ama baldırıma kadar elektrik çarpar gibi bir ağrı iniyor.",
     {"leg_swelling_one_side": "absent", "pain_below_knee": "present", "pain_shooting_or_electric": "present"}, ()),
    ("tr", "Ağrı sızlama şeklinde, batma yok.", {"pain_dull_ache": "present", "pain_shooting_or_electric": "absent"}, ()),
    ("tr", "Hiç uyuşma ya da karıncalanma yok.", {"numbness_or_tingling": "absent"}, ()),
    ("tr", "Şekerim yok.", {"diabetes": "absent"}, ()),
]


@pytest.mark.parametrize(("language", "text", "expected", "absent_ids"), NEGATION_CASES)
def test_negation_cases(language: str, text: str, expected: dict[str, str], absent_ids: tuple[str, ...]) -> None:
    result = found(text, language)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)
    for fid in absent_ids:
        assert fid not in result


CONTEXT_CASES = [
    ("en", "Last year I had a clot in my leg.", {"previous_dvt_or_pe": "present"}),
    ("en", "My mother had a clot in her leg.", {"family_history_of_clots": "present"}),
    ("en", "My friend had a hamstring tear last year.", {}),
    ("en", "Not sure if my calf is swollen.", {}),
    ("en", "If it gets worse I'll go to A&E.", {}),
    ("en", "If I get chest pain, should I call an ambulance?", {}),
    ("en", "I had cancer five years ago.", {"history_of_cancer": "present"}),
    ("tr", "Annemde de pıhtı atmıştı.", {"family_history_of_clots": "present"}),
    ("tr", "Geçen yıl bacağımda pıhtı olmuştu.", {"previous_dvt_or_pe": "present"}),
    ("tr", "Eğer ağrı artarsa doktora gideceğim.", {}),
    ("tr", "Arkadaşımın bacağında pıhtı çıkmış.", {}),
]


@pytest.mark.parametrize(("language", "text", "expected"), CONTEXT_CASES)
def test_context(language: str, text: str, expected: dict[str, str]) -> None:
    asserted = {k: v for k, v in found(text, language).items() if v != "unknown"}
    assert asserted == expected


def test_uncertain_mentions_are_unknown() -> None:
    assert found("Not sure if my calf is swollen.").get("leg_swelling_one_side") == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "BACAĞIMDA ŞİŞLİK YOK, İSTANBUL'DAN UÇAKLA GELDİM.",
        "bacagimda sislik yok, istanbul'dan ucakla geldim.",
        "Bacağımda şişlik yok, İstanbul'dan uçakla geldim.",
    ],
)
def test_turkish_casing_and_ascii_folding_match_the_same(text: str) -> None:
    assert found(text, "tr") == {"leg_swelling_one_side": "absent", "long_journey_recent": "present"}


def test_dotted_capital_i_is_one_code_point() -> None:
    assert found("İKİ AYDIR BELİM AĞRIYOR.", "tr") == {"symptoms_over_6_weeks": "present", "pain_low_back": "present"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("İİİ İstanbul 🙂🙂 ŞİŞLİK YOK, uyuşma olmadı 😬", "tr"),
        ("İ😀 no swelling 👍🏽 and I can't walk İİ", "en"),
        ("sharp pain behind my left thigh, no swelling", "en"),
        ("e\u0301 cafe\u0301 numbness \u200d\u200d pins and needles", "en"),
    ],
)
def test_offsets_are_exact_on_the_original_text(text: str, language: str) -> None:
    mentions = parse(text, language)
    assert mentions
    for m in mentions:
        assert isinstance(m, Mention)
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)


def test_contract_example() -> None:
    text = "sharp pain behind my left thigh, no swelling"
    (m,) = [m for m in parse(text, "en") if m.id == "leg_swelling_one_side"]
    assert (m.choice_id, m.text, m.start, m.end) == ("absent", "no swelling", 33, 44)


def test_mention_is_frozen() -> None:
    m = parse("no swelling")[0]
    with pytest.raises(AttributeError):
        m.start = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x02", "🙂" * 50, "Das Bein tut weh, keine Schwellung.", "<script>alert('no swelling')</script>", "\u202e\u2066"],
)
def test_bad_input_gives_empty_result(text: str) -> None:
    assert parse(text, "en") == []
    assert parse(text, "tr") == []


def test_html_is_ignored_but_text_between_tags_is_read() -> None:
    text = "<p>No <b>swelling</b></p><script>var x = 'numbness';</script>"
    mentions = parse(text)
    assert [(m.id, m.choice_id) for m in mentions] == [("leg_swelling_one_side", "absent")]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_long_text_is_capped_and_says_so() -> None:
    cap = max_chars("en")
    text = "x" * cap + " no swelling"
    result = parse_text(text, "en")
    assert result.truncated and result.max_chars == cap and result.parsed_chars == cap
    assert result.mentions == []
    assert parse_text("no swelling", "en").truncated is False


def test_unknown_language_reads_as_english_and_non_strings_do_not_crash() -> None:
    assert found("no swelling", "xx") == {"leg_swelling_one_side": "absent"}
    assert parse(None) == []  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["en", "tr"]))
def test_parse_never_raises_and_offsets_hold(text: str, language: str) -> None:
    for m in parse(text, language):
        assert text[m.start : m.end] == m.text
        assert m.choice_id in ("present", "absent", "unknown")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["no", "swelling", "İ", "ı", "🙂", "şişlik", "yok", ",", "pain", "calf", "<b>", "\n", "not", "sure", "if", "uyuşma", "olmadı", "I"]),
        max_size=40,
    ),
    st.sampled_from(["en", "tr"]),
)
def test_parse_never_raises_on_word_soup(words: list[str], language: str) -> None:
    text = " ".join(words)
    for m in parse(text, language):
        assert text[m.start : m.end] == m.text


def test_lexicon_is_valid() -> None:
    assert check_lexicon() == []


def test_import_does_not_load_spacy() -> None:
    code = "import sys, thighdx, thighdx.language; assert 'spacy' not in sys.modules and 'medspacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("language", "precision", "recall"), [("en", 0.90, 0.85), ("tr", 0.85, 0.80)])
def test_labelled_set_meets_the_floors(language: str, precision: float, recall: float) -> None:
    report = parse_report(DATA / f"parse_{language}.jsonl", language)
    assert report["counts"]["records"] >= 150
    assert report["precision"] >= precision, report
    assert report["recall"] >= recall, report
    assert report["negation_accuracy"] >= 0.95, report


def test_report_runs_from_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thighdx.evaluation.parse_quality", str(DATA / "parse_tr.jsonl"), "--language", "tr", "--json"],
        check=True, capture_output=True, text=True,
    )
    assert '"precision"' in out.stdout and '"negation_accuracy"' in out.stdout
    assert '"red_flag_recall"' in out.stdout and '"red_flags_read_absent"' in out.stdout
    plain = subprocess.run(
        [sys.executable, "-m", "thighdx.evaluation.parse_quality", str(DATA / "parse_tr.jsonl"), "--language", "tr"],
        check=True, capture_output=True, text=True,
    )
    assert "precision" in plain.stdout and "read absent" in plain.stdout


def test_pooled_report_counts_every_file_once(tmp_path) -> None:
    import json

    halves = []
    for name, records in (("a-en.jsonl", [{"id": "1", "text": "no swelling", "findings": {"leg_swelling_one_side": "absent"}}]),
                          ("b-en.jsonl", [{"id": "2", "text": "my calf is swollen", "findings": {"pain_calf": "present"}}])):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        halves.append(str(path))
    out = subprocess.run([sys.executable, "-m", "thighdx.evaluation.parse_quality", *halves, "--pool", "--json"],
                         check=True, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["counts"]["records"] == 2 and report["counts"]["labelled"] == 2


def test_report_counts_red_flags_read_absent() -> None:
    records = [
        {"id": "a", "text": "I can't control my bladder.", "findings": {"bladder_dysfunction": "present"}},
        {"id": "b", "text": "Maybe some trouble peeing?", "findings": {"bladder_dysfunction": "present"}},
        {"id": "c", "text": "My bladder is fine.", "findings": {"bladder_dysfunction": "present"}},  # mislabelled on purpose
    ]
    report = parse_report(records, "en")
    assert report["counts"]["red_flags_labelled_present"] == 3
    assert report["red_flags_read_absent"] == 1
    assert report["red_flags_read_absent_list"][0]["id"] == "c"
    assert report["red_flag_recall"] == round(2 / 3, 4)


def test_start_prefixes_cover_every_match() -> None:
    import re

    from thighdx.language.patterns import start_prefixes

    pattern = re.compile(r"(?<!\w)(?:(?:my |the )?(?:left )?calf|[7-9] ?/ ?10|\+ ?ve slr)(?!\w)")
    starts = start_prefixes(pattern, 3)
    assert starts is not None
    for text in ("my calf", "the left calf", "calf", "8/10", "8 / 10", "+ve slr", "+ ve slr"):
        assert text[:3] in starts or text[:2] in starts, text
    assert "num" not in starts
    assert start_prefixes(re.compile(r".+"), 3) is None  # any character: cannot be listed
