"""A reading implies another (a fall onto the buttocks is a fall); a fall is read as the
event, not also as a sudden onset; word senses that are not an injury ("fell asleep", "fell
pregnant", "since the fall")."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.lexicon import check_lexicon, implications


def found(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


def test_implications_name_known_findings() -> None:
    assert implications()
    assert not [p for p in check_lexicon() if "implies" in p]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Went flying off my bike onto the kerb and my backside is black."),
        ("en", "Took a heavy tumble down the garden steps, thigh throbbing since."),
        ("tr", "Merdivenden düştüm, kalçamın arkası mosmor."),
    ],
)
def test_a_fall_is_read_as_the_event_not_twice(language: str, text: str) -> None:
    result = found(text, language)
    assert result.get("direct_blow_or_fall") == "present", result
    assert "sudden_onset" not in result, result  # the knowledge base weighs the fall itself
    assert "long_journey_recent" not in result  # "went flying" is a fall, not a flight


def test_a_fall_onto_the_buttocks_is_a_fall() -> None:
    assert "direct_blow_or_fall" in implications()["fall_onto_buttocks"]
    result = found("Slipped on the ice and landed hard on my tailbone.")
    assert result.get("fall_onto_buttocks") == "present", result
    assert result.get("direct_blow_or_fall") == "present", result


def test_an_implied_reading_gives_way_to_the_texts_own() -> None:
    result = found("I had a fall in the garden but the ache came on gradually over the next weeks.")
    assert result.get("direct_blow_or_fall") == "present"
    assert result.get("sudden_onset") == "absent"


def test_a_denied_fall_implies_nothing() -> None:
    result = found("No fall or knock that I remember, my bum just aches.")
    assert result.get("sudden_onset") is None


@pytest.mark.parametrize(
    "text",
    [
        "I fell asleep on the sofa and woke with a sore hamstring.",
        "I fell pregnant in March and my buttock has ached since.",
        "Been a fell runner for ten years, the hamstring is tight.",
        "Ever since last fall my sit bone has hurt.",
    ],
)
def test_senses_of_fell_and_fall_that_are_no_injury(text: str) -> None:
    assert "direct_blow_or_fall" not in found(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Koli kaldırırken belim kitlendi.",  # a moment (-ken) and a seizing verb
        "Top sürerken bir anda uyluğumun arkası koptu.",
        "Çömelirken bi şey çat etti belimde.",  # spoken "bi" for "bir"
        "Merdiveni inince baldırım kasıldı kaldı.",
    ],
)
def test_turkish_onset_told_as_a_moment_and_an_injury_verb(text: str) -> None:
    assert found(text, "tr").get("sudden_onset") == "present", text


def test_a_foot_that_drops_is_no_fall() -> None:
    assert "direct_blow_or_fall" not in found("Ayağım düşüyor, parmaklarım takılıyor.", "tr")


@pytest.mark.parametrize(
    "text",
    [
        "It started the moment I reached up for the top shelf.",
        "Tweaked my hamstring pushing the car out of the snow.",
        "Physio letter: acute onset posterior thigh pain.",
    ],
)
def test_english_onset_tied_to_one_movement(text: str) -> None:
    assert found(text).get("sudden_onset") == "present", text


def test_a_space_or_a_separator_inside_a_character_class_is_reported(tmp_path) -> None:
    # a space in a pattern means "spaces, hyphens or slashes", which no [...] class can hold
    import shutil
    from pathlib import Path

    import thighdx.language.lexicon as lexicon_module

    source = Path(lexicon_module.LEXICON_DIR)
    for name in ("en.yaml", "tr.yaml", "implies.yaml"):
        shutil.copy(source / name, tmp_path / name)
    text = (tmp_path / "en.yaml").read_text(encoding="utf-8")
    text = text.replace('      - "coumadin"\n', '      - "coumadin"\n      - "tea[- ]coloured"\n'
                        '      - "warfarin (?:[\\\\w\'/]+ ){0,8}stopped"\n', 1)
    (tmp_path / "en.yaml").write_text(text, encoding="utf-8")
    problems = check_lexicon(tmp_path)
    assert any("space inside [...]" in p for p in problems), problems
    # a repeated class holding a slash can split "a/a/a/..." into words in exponentially many ways
    assert any("hyphen or a slash" in p for p in problems), problems
    assert not [p for p in check_lexicon() if "space inside" in p or "hyphen or a slash" in p]
