"""Durations computed from numbers and anchors, relative to a given date, into
symptoms_over_6_weeks present (more than six weeks) or absent (less)."""

from __future__ import annotations

from datetime import date

import pytest

from thighdx.language import parse
from thighdx.language.durations import find_durations
from thighdx.language.text import normalise

TODAY = date(2026, 5, 20)


def reading(text: str, language: str = "en", today: date = TODAY) -> str | None:
    return {m.id: m.choice_id for m in parse(text, language, today=today)}.get("symptoms_over_6_weeks")


@pytest.mark.parametrize(
    ("language", "text", "days"),
    [
        ("en", "for a couple of years", 730),
        ("en", "three weeks ago", 21),
        ("en", "for the last 2.5 months", 75),
        ("en", "since january", 125),
        ("tr", "iki aydir", 60),
        ("tr", "1,5 yildir", 547.5),
        ("tr", "bir bucuk yildir", 547.5),
        ("tr", "on gundur", 10),
    ],
)
def test_amounts_and_anchors_become_days(language: str, text: str, days: float) -> None:
    (found,) = find_durations(normalise(text, language), language, TODAY)
    assert found.days == pytest.approx(days, abs=1)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The back of my thigh has been sore for a couple of years.", "present"),
        ("en", "My hamstring started hurting five days ago.", "absent"),
        ("en", "The buttock pain has been there since February.", "present"),
        ("en", "This tightness in my hamstring began back in April.", "absent"),  # mid-April to 20 May: five weeks
        ("en", "I've had the sciatica since last summer.", "present"),
        ("tr", "Baldırım üç aydır ağrıyor.", "present"),
        ("tr", "Kaba etimdeki ağrı 1,5 yıldır geçmedi.", "present"),
        ("tr", "Arka adalemdeki ağrı geçen yazdan beri sürüyor.", "present"),
        ("tr", "Uyluğumun arkası on gündür sızlıyor.", "absent"),
        ("tr", "Bacagim 4 aydir agriyor.", "present"),
    ],
)
def test_durations_read_both_ways(language: str, text: str, expected: str) -> None:
    assert reading(text, language) == expected


def test_month_anchors_depend_on_today() -> None:
    text = "The pain in my thigh started in March."
    assert reading(text, today=date(2026, 3, 25)) == "absent"
    assert reading(text, today=date(2026, 9, 1)) == "present"


def test_a_season_still_ahead_this_year_is_last_years() -> None:
    # early in December, "since Christmas" is last Christmas, not one still to come
    assert reading("Since Christmas I've had a burning pain down the back of my leg.", today=date(2026, 12, 2)) == "present"


@pytest.mark.parametrize(
    "text",
    [
        "Back pain into both thighs for 3 months, 2 days ago the saddle area went numb.",
        "Sciatica down the back of my leg for 6 months, new leaking of urine x2 days.",
    ],
)
def test_a_long_complaint_with_a_new_symptom_is_over_six_weeks(text: str) -> None:
    # two times in one sentence are both told; the complaint's own time is the longer one
    assert reading(text) == "present"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I broke my ankle three years ago."),
        ("en", "My leg was in a cast for a month last year."),
        ("en", "I was off work for a two week holiday."),
        ("tr", "Üç yıl önce diz ameliyatı oldum."),
        ("tr", "İki haftalık tatilden döndüm."),
    ],
)
def test_durations_about_other_things_are_not_read(language: str, text: str) -> None:
    assert reading(text, language) is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # An onset told as a moment, not an amount: the complaint is new.
        ("en", "My calf has throbbed since Thursday night.", "absent"),
        ("en", "Tweaked my back on Sunday and the leg pain followed.", "absent"),
        ("en", "Referral: 2/52 history of right leg pain.", "absent"),
        ("en", "Referral: 3/12 history of buttock ache.", "present"),
        ("en", "Strained it a few days back and it still hurts, three days on it is no better.", "absent"),
        ("en", "The ache in my thigh came on an hour ago.", "absent"),
        ("tr", "Salı gününden beri baldırım ağrıyor.", "absent"),
        ("tr", "Dunden beri bacagim sis.", "absent"),
        ("tr", "Iki saattir ayagim soguk ve agriyor.", "absent"),
        # Time told with a negative verb is still time told.
        ("tr", "Ağrım 4 aydır geçmiyor.", "present"),
        ("en", "This hip ache has not settled for two years.", "present"),
    ],
)
def test_recent_onset_told_as_a_moment(language: str, text: str, expected: str) -> None:
    assert reading(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "It is worse than yesterday."),  # a comparison, not an onset
        ("en", "I see the physio on Monday."),  # no complaint in the sentence
        ("tr", "Dün maç yaptım."),
    ],
)
def test_moments_that_are_not_an_onset(language: str, text: str) -> None:
    assert reading(text, language) is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # An amount introduced by "since" or "from" (as in Indian English), or told as "been".
        ("en", "Knee pit is aching since 4 months.", "present"),
        ("en", "From 3 days my shin is paining.", "absent"),
        ("en", "It's been five days and the hamstring still pulls.", "absent"),
        ("en", "Ten days of this nagging buttock pain.", "absent"),
        # Clinical notes: a joined short unit, an amount before the side, a week or day count.
        ("en", "Clinic: 29F, 5d R hamstring tightness after a sprint.", "absent"),
        ("en", "Triage: 3 weeks L gluteal ache, no trauma.", "absent"),
        ("en", "Rehab day 12: thigh less sore on stretching.", "absent"),
        ("en", "Second week of this sore buttock and no better.", "absent"),
        # A year or a year-long span as the anchor.
        ("en", "The sitting pain has been there since 2019.", "present"),
        ("en", "My sit bone has ached this past year.", "present"),
        # A named moment in a sentence that tells of a leg complaint the lexicon found.
        ("en", "Friday evening at five-a-side my hamstring went.", "absent"),
        ("en", "Slipped on ice today and my calf swelled up.", "absent"),
        ("tr", "Dün halı sahada uyluğumun arkası çekti.", "absent"),
        ("tr", "Bugün 3. gün, baldırım hâlâ şiş.", "absent"),
        # One unit standing for itself.
        ("en", "The hamstring has bothered me for the past month.", "absent"),
        ("en", "Over the last fortnight my buttock has ached on the bus.", "absent"),
        ("en", "Sore behind the knee all week.", "absent"),
        ("tr", "Geçen aydan beri uyluğum ağrıyor.", "absent"),
    ],
)
def test_more_ways_of_telling_time(language: str, text: str, expected: str) -> None:
    assert reading(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Patient is 64 yr M, smoker."),  # an age, not a duration
        ("en", "I go swimming every Sunday."),  # a habit, not an onset
        ("en", "I felt faint this morning."),  # the body as a whole, not the leg
        ("tr", "Bugün doktora gideceğim."),
        ("en", "I had an injection into my lower back last month."),  # an event's date, not the time so far
    ],
)
def test_times_that_are_not_the_complaints(language: str, text: str) -> None:
    assert reading(text, language) is None


@pytest.mark.parametrize(
    "text",
    [
        "Came off my motorbike 2 weeks ago, broke my wrist, and now the back of my thigh is killing me.",
        "Flew home from Perth 5 days ago. Right calf tight and sore.",
        "Had my baby 12 days ago and now my left calf is really sore.",
    ],
)
def test_a_recent_event_the_complaint_follows_bounds_its_time(text: str) -> None:
    assert reading(text) == "absent"


def test_a_long_past_event_says_nothing_of_the_complaints_time() -> None:
    assert reading("I broke my ankle three years ago and my thigh hurts.") is None
