"""Words for a function said to be fine ("breathing's normal", "nefesim rahat", "tuvalet
tamam") deny its findings; alone, or with a verb denied after them, they are asked. A state
said beside another ("normal wee, normal poo") denies neither."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def read(text: str, language: str) -> dict[str, str]:
    return {x.id: x.choice_id for x in parse(text, language)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Breathing normal, just the calf.", "en"),
        ("my breathing's fine", "en"),
        ("no trouble breathing", "en"),
        ("nefesim gayet iyi", "tr"),
        ("nefesi rahat, sadece bacağı ağrıyor", "tr"),
        ("solunum normal", "tr"),
    ],
)
def test_breathing_said_fine_denies_breathlessness(text: str, language: str) -> None:
    assert read(text, language).get("shortness_of_breath") == "absent"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("my breathing is bad", "en", "unknown"),
        ("it hurts to take a breath", "en", "unknown"),
        ("can't get my breath", "en", "present"),
        ("nefesim yetmiyor", "tr", "present"),
        ("nefes alırken göğsüm batıyor", "tr", "unknown"),
        ("merdivende nefes nefese kalıyorum", "tr", "present"),
    ],
)
def test_breathing_otherwise_is_not_denied(text: str, language: str, expected: str) -> None:
    assert read(text, language).get("shortness_of_breath") == expected


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("tuvaletim tamam", "bladder_dysfunction"),
        ("kakam normal, bir sıkıntı yok", "bowel_dysfunction"),
        ("gaita kontrolü tamam", "bowel_dysfunction"),
        ("perianal duyu korunmuş", "saddle_numbness"),
    ],
)
def test_turkish_state_words_deny(text: str, finding: str) -> None:
    assert read(text, "tr").get(finding) == "absent"


def test_a_state_beside_another_denies_neither() -> None:
    found = read("Normal wee, normal poo, everything else fine.", "en")
    assert found.get("dark_urine_after_exercise") in (None, "absent")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("sciatica down my right leg for 3 weeks", "en"),
        ("low back pain radiating to the left foot", "en"),
        ("belimden sol bacağıma vuruyor", "tr"),
        ("ağrı kalçamdan dizime iniyor", "tr"),
    ],
)
def test_a_name_or_a_route_does_not_tell_a_pains_quality(text: str, language: str) -> None:
    assert read(text, language).get("pain_shooting_or_electric") == "unknown"


@pytest.mark.parametrize(
    ("text", "language"),
    [("a shooting pain down the back of my leg", "en"), ("like an electric shock down my calf", "en"),
     ("bacağıma elektrik çarpar gibi bir ağrı", "tr"), ("baldırım yanıyor", "tr")],
)
def test_a_pains_quality_told_is_read(text: str, language: str) -> None:
    assert read(text, language).get("pain_shooting_or_electric") == "present"


@pytest.mark.parametrize(
    ("text", "language", "finding"),
    [
        ("sex life is normal, no change there", "en", "sexual_dysfunction_new"),
        ("everything in the bedroom is fine", "en", "sexual_dysfunction_new"),
        ("cinsel yaşamımda bir sorun yok", "tr", "sexual_dysfunction_new"),
        ("erkeklik konusunda bir değişiklik yok", "tr", "sexual_dysfunction_new"),
        ("the sensation around my back passage is normal", "en", "saddle_numbness"),
        ("I can still feel everything down there", "en", "saddle_numbness"),
        ("makat bölgemde his normal", "tr", "saddle_numbness"),
        ("alt tarafım hissediyor, sorun yok", "tr", "saddle_numbness"),
    ],
)
def test_sexual_function_and_saddle_sensation_said_fine(text: str, language: str, finding: str) -> None:
    assert read(text, language).get(finding) == "absent"


@pytest.mark.parametrize(
    ("text", "language", "finding"),
    [
        ("in the bedroom things have been difficult", "en", "sexual_dysfunction_new"),
        ("cinsel hayatım etkilendi", "tr", "sexual_dysfunction_new"),
    ],
)
def test_sexual_function_otherwise_is_asked(text: str, language: str, finding: str) -> None:
    assert read(text, language).get(finding) == "unknown"


@pytest.mark.parametrize(
    ("text", "language", "finding", "expected"),
    [
        ("Obs stable. No CP.", "en", "chest_pain", "absent"),
        ("no LOC at the time of the fall", "en", "fainting_or_racing_heart", "absent"),
        ("one syncopal episode this morning", "en", "fainting_or_racing_heart", "present"),
        ("dispne yok", "tr", "shortness_of_breath", "absent"),
        ("hastada taşikardi var", "tr", "fainting_or_racing_heart", "present"),
        ("senkop yok, çarpıntı yok", "tr", "fainting_or_racing_heart", "absent"),
        ("senkop öyküsü yok", "tr", "fainting_or_racing_heart", "unknown"),
    ],
)
def test_clinical_shorthand_for_red_flags(text: str, language: str, finding: str, expected: str) -> None:
    assert read(text, language).get(finding) == expected
