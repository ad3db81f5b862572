"""Time told in the shapes people type it: units spelt as they come ("mnths", "wks", "gundr"),
hedged amounts ("been like a week and a half"), Turkish amounts that say "and still"
("iki senedir") or "past" ("altı haftayı geçti"), an anchor some words after "since", a date
the complaint began on, and amounts that are a rate or an episode's length, not a duration."""

from __future__ import annotations

from datetime import date

import pytest

from thighdx.language import parse
from thighdx.language.durations import find_durations, unit_days
from thighdx.language.text import normalise

TODAY = date(2026, 5, 20)


def reading(text: str, language: str = "en") -> str | None:
    return {m.id: m.choice_id for m in parse(text, language, today=TODAY)}.get("symptoms_over_6_weeks")


@pytest.mark.parametrize(
    ("language", "unit", "days"),
    [("en", "mnths", 30), ("en", "monts", 30), ("en", "wks", 7), ("en", "weks", 7), ("en", "yeras", 365), ("en", "dys", 1),
     ("en", "fortnight", 14), ("tr", "gn", 1), ("tr", "hfta", 7), ("tr", "sne", 365), ("tr", "ay", 30)],
)
def test_a_unit_is_known_by_its_shape(language: str, unit: str, days: int) -> None:
    assert unit_days(unit, language) == days


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "hamstring has been sore for 3 mnths now", "present"),
        ("en", "the ache behind my knee has been there for like a week and a half", "absent"),
        ("en", "Sciatica down my right leg. Been like this a good few years.", "present"),
        ("en", "ten days of tingling and aching behind the thigh", "absent"),
        ("en", "My sit bone has throbbed ever since the wedding last summer.", "present"),
        ("en", "It came on in the 3rd of February and it's still a dull ache at the back of my leg today.", "present"),
        ("tr", "uylugumun arkasi agriyo 3 gundr", "absent"),
        ("tr", "Sol kalçamdan dizime kadar sızı var, iki senedir gelip gidiyor.", "present"),
        ("tr", "Bacağımın arkasındaki ağrı altı haftayı geçti.", "present"),
        ("tr", "Otuz gündür oturak kemiğim ağrıyor.", "absent"),
    ],
)
def test_time_in_the_shapes_people_type(language: str, text: str, expected: str) -> None:
    assert reading(text, language) == expected, text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Lorry driver, 11 hrs a day in the cab. Deep ache in my right buttock."),
        ("en", "Both buttocks ache and I'm stiff for an hour every morning."),
        ("tr", "Annem 4 aydır yatağa bağımlı. Sağ bacağı soldan şiş."),
        ("tr", "Bir haftadır koşuya ara verdim. Uyluğumun arkasında bir nokta acıyor."),
    ],
)
def test_a_rate_an_episode_or_anothers_time_is_no_duration(language: str, text: str) -> None:
    assert reading(text, language) is None, text


def test_a_turkish_amount_with_dir_says_it_lasts() -> None:
    (found,) = find_durations(normalise("üç aydır", "tr"), "tr", TODAY)
    assert found.lasting and found.days == pytest.approx(90)
    (found,) = find_durations(normalise("üç ay önce", "tr"), "tr", TODAY)
    assert not found.lasting
