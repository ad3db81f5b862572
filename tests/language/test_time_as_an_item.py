"""A stated time standing as an item of its own ("..., 4 weeks, ...", "3 hfta.", "x2/52") is
how long the complaint has lasted; a rate, a time to come or another thing's length is not."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.durations import find_durations

TIME = "symptoms_over_6_weeks"


def time_read(text: str, language: str) -> str | None:
    return {m.id: m.choice_id for m in parse(text, language)}.get(TIME)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aching left calf, 3 weeks, worse on stairs.", "absent"),
        ("sore hamstring 5 months, on and off", "present"),
        ("Right buttock pain. 10 days now.", "absent"),
        ("Pain down the back of the leg x2/52.", "absent"),
        ("L sciatica x 3/12, no red flags", "present"),
        ("I've had it 4 months in my left leg", "present"),
        ("Sx 2/52.", "absent"),
    ],
)
def test_a_time_standing_alone_is_the_complaints_en(text: str, expected: str) -> None:
    assert time_read(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sol kalca agrisi 4 ay", "present"),
        ("baldırımda ağrı, 2 hafta.", "absent"),
        ("bi haftadir belim agriyor", "absent"),
        ("Kıştan beri, şimdi haziran oldu, bacağımın arkasında ağrı var.", "present"),
    ],
)
def test_a_time_standing_alone_is_the_complaints_tr(text: str, expected: str) -> None:
    assert time_read(text, "tr") == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("i cycle 4 days a week and my hamstring hurts", "en"),
        ("forklift shifts 10hrs a day, pain in my bum", "en"),
        ("physio appointment in 3 weeks.", "en"),
        ("haftada 3 gun kosuyorum", "tr"),
        ("2 hafta sonra kontrol", "tr"),
    ],
)
def test_a_rate_or_a_time_to_come_is_not_how_long(text: str, language: str) -> None:
    assert find_durations(text, language) == []
