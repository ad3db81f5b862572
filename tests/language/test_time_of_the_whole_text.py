"""A text about a pain that tells a time anywhere ("that was four days ago", "since the flight
last week", "been three months") dates the pain, when no time is told in a clause about the
complaint itself and the times it tells agree; the length of something else and a past event
long ago do not."""

from __future__ import annotations

import pytest

from thighdx.language import parse

TIME = "symptoms_over_6_weeks"


def time_read(text: str, language: str) -> str | None:
    return {m.id: m.choice_id for m in parse(text, language)}.get(TIME)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Felt a sharp pull at the top of my hamstring while dancing. That was four days ago.", "en", "absent"),
        ("My calf is tight and swollen. I got back from a long flight on Sunday.", "en", "absent"),
        ("Burning down the back of the leg to the heel. Been going on three months.", "en", "present"),
        ("Uyluğumun arkasında sert bir şişlik var, ağrısız. Beş aydır orada.", "tr", "present"),
        # the length of a job is not the pain's; the new running is
        ("The back of my thigh aches. I have worked at a desk for ten years and took up running three weeks ago.", "en", "absent"),
        ("Merdivenden inerken uyluğumun arkasına bıçak saplandı sanki. Dün sabahtı.", "tr", "absent"),
    ],
)
def test_a_time_told_anywhere_dates_the_pain(text: str, language: str, expected: str) -> None:
    assert time_read(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # times on both sides of six weeks: the text does not say which is the pain's
        ("The back of my thigh aches. That was three weeks ago? My wife says it has been going on three months.", "en"),
        # a past event long ago, no word of onset
        ("The back of my thigh aches when I sit. Two years ago I had my appendix out.", "en"),
        # the length of something else
        ("The back of my thigh aches. I was on antibiotics for two weeks.", "en"),
        # how long the person has been something else: not how long the legs have been numb
        ("Both my legs have gone numb and tingly and my back hurts. Diabetic for 20 years.", "en"),
        ("Both legs numb and weak, lower back pain. I have worked as a nurse for 20 years.", "en"),
        ("Both legs numb with back pain. On statins for 5 years.", "en"),
        ("Both legs feel numb and my back aches. Married 25 years.", "en"),
        ("İki bacağımda uyuşma var, belim ağrıyor. 20 yıldır şeker hastasıyım.", "tr"),
        # a time to come
        ("The back of my thigh hurts. I have an appointment on Friday.", "en"),
        # a long time in a text that calls the complaint new
        ("This new pain behind my thigh is odd. We moved here 3 years ago and I started a desk job back then.", "en"),
    ],
)
def test_times_that_do_not_date_the_pain_are_not_read(text: str, language: str) -> None:
    assert time_read(text, language) is None
