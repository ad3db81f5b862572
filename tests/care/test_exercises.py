"""Every exercise can be followed: two drawings with alt text in every language, and its dose in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import thighdx.web
from thighdx.care.dosage import dosage_words, lower_first
from thighdx.knowledge.loader import load_kb
from thighdx.knowledge.schema import LANGUAGES, Dosage, Text

KB = load_kb()
PICTURES = Path(thighdx.web.__file__).parent / "static" / "exercises"
SVG = "{http://www.w3.org/2000/svg}"


def _dosage(**values: object) -> Dosage:
    return Dosage.model_validate({"frequency": {"en": "Twice a day", "tr": "Günde iki kez"},
                                  "progression": {"en": "p", "tr": "p"}, "stop_if": {"en": "s", "tr": "s"}, **values})


@pytest.mark.parametrize("exercise_id", sorted(KB.exercises))
def test_every_exercise_has_a_start_and_end_drawing_with_alt_text(exercise_id: str) -> None:
    exercise = KB.exercises[exercise_id]
    for position in ("start", "end"):
        alt: Text = getattr(exercise.alt, position)
        for language in LANGUAGES:
            assert len(alt.get(language)) >= 10, (exercise_id, position, language)
        path = PICTURES / f"{exercise_id}-{position}.svg"
        assert path.is_file(), path
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and (title.text or "").strip()
        assert root.get("aria-labelledby") == title.get("id")
    assert exercise.alt.start.en != exercise.alt.end.en


def test_no_drawing_without_an_exercise() -> None:
    names = {p.name.rsplit("-", 1)[0] for p in PICTURES.glob("*.svg")}
    assert names == set(KB.exercises)


def test_every_planned_exercise_has_a_dose_in_words() -> None:
    for plan in KB.care.values():
        for planned in plan.exercises:
            for language in LANGUAGES:
                words = dosage_words(KB, planned.dosage, language)
                assert words[0].isupper() or words[0].isdigit(), words
                assert "None" not in words and "sets:" not in words
                assert planned.dosage.frequency.get(language).lower()[1:] in words.lower()


@pytest.mark.parametrize(("values", "en", "tr"), [
    ({"sets": 3, "reps": 10, "hold_seconds": 30}, "3 sets of 10, hold each 30 seconds, twice a day",
     "3 set, her sette 10 tekrar, her tekrarda 30 saniye tutun, günde iki kez"),
    ({"sets": 1, "reps": 5, "hold_seconds": 10}, "5 times, hold each 10 seconds, twice a day",
     "5 tekrar, her tekrarda 10 saniye tutun, günde iki kez"),
    ({"sets": 3, "reps": 12}, "3 sets of 12, twice a day", "3 set, her sette 12 tekrar, günde iki kez"),
    ({"sets": 5, "hold_seconds": 30}, "5 holds of 30 seconds each, twice a day", "5 kez 30 saniye tutun, günde iki kez"),
    ({"sets": 1, "reps": 3, "hold_seconds": 60}, "3 times, hold each 1 minute, twice a day",
     "3 tekrar, her tekrarda 1 dakika tutun, günde iki kez"),
    ({}, "Twice a day", "Günde iki kez"),
])
def test_dosage_words(values: dict[str, int], en: str, tr: str) -> None:
    dosage = _dosage(**values)
    assert dosage_words(KB, dosage, "en") == en
    assert dosage_words(KB, dosage, "tr") == tr


def test_turkish_lower_case_keeps_the_dotted_and_dotless_i() -> None:
    assert lower_first("İki günde bir", "tr") == "iki günde bir"
    assert lower_first("Işıkta", "tr") == "ışıkta"
    assert lower_first("NHS advice", "en") == "NHS advice"
