"""Words with more than one sense in a thigh-pain text: a cough is a pain set off by coughing
only when the text says the cough sets it off; "the fall" is autumn only when nobody fell."""

from __future__ import annotations

import pytest

from thighdx.language import parse

COUGH = "pain_worse_cough_sneeze"
TIME = "symptoms_over_6_weeks"


def read(text: str) -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, "en")}


@pytest.mark.parametrize(
    "text",
    [
        "I've got a chesty cough from a cold and my hamstring is sore from football.",
        "Since having twins I leak a little when I sneeze. The back of my thigh aches after running.",
        "Hay fever season, sneezing all day, and now a tight hamstring too.",
        "Had a bad cough last week that made me tired. Back of thigh sore after football.",
    ],
)
def test_a_cough_or_a_sneeze_alone_is_not_pain_set_off_by_one(text: str) -> None:
    assert COUGH not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Coughing sends a jolt right down the back of my leg.",
        "A sneeze makes the leg pain shoot to my heel.",
        "It's agony in the back of my thigh every time I cough.",
        "Leg pain worse on coughing and straining.",
        "Back of my thigh is worse when coughing.",
        "The leg pain is aggravated by coughing.",
        "Coughing is painful in my buttock and down the leg.",
        "It hurts to cough, right down the back of my leg.",
        "When I cough it doesn't half hurt down my leg.",
    ],
)
def test_a_cough_that_sets_the_pain_off_is_read(text: str) -> None:
    assert read(text).get(COUGH) == "present"


@pytest.mark.parametrize(
    "text",
    [
        "Sneezing makes no difference to the pain in my leg.",
        "Coughing doesn't touch it, it's sitting that hurts.",
        "Cough and sneeze do not change the ache behind my thigh.",
    ],
)
def test_a_cough_that_changes_nothing_is_absent(text: str) -> None:
    assert read(text).get(COUGH) == "absent"


def test_since_the_fall_in_a_text_about_falling_is_not_autumn() -> None:
    assert read("I fell down the stairs. Since the fall the back of my thigh has been sore.").get(TIME) != "present"


@pytest.mark.parametrize(
    "text",
    [
        "I tripped on the kerb. Since the fall the back of my thigh has been sore.",
        "Slipped on ice in the car park and it has hurt behind my thigh since the fall.",
    ],
)
def test_since_the_fall_after_a_trip_or_a_slip_is_not_autumn(text: str) -> None:
    assert read(text).get(TIME) != "present"


@pytest.mark.parametrize(
    "text",
    [
        "The back of my thigh has ached since last fall.",
        # falling asleep is not a fall
        "I fell asleep on the sofa every night, and the back of my thigh has ached since the fall.",
    ],
)
def test_since_the_fall_as_a_season_still_dates_the_pain(text: str) -> None:
    assert read(text).get(TIME) == "present"


SHOOTING = "pain_shooting_or_electric"
SPRINT = "onset_during_sprint_or_kick"


def test_a_pain_that_seems_to_shoot_is_shooting() -> None:
    assert read("The pain seems to shoot down my leg from the buttock.").get(SHOOTING) == "present"


@pytest.mark.parametrize(
    "text",
    [
        # a past injury, or stretches before a race, is not an onset mid-sprint
        "Pulled my hamstring last year in a tackle. Now my calf is swollen on one side.",
        "Did my hamstring stretches before the race, then my calf swelled up.",
    ],
)
def test_an_old_injury_or_a_warm_up_is_not_an_onset_mid_sprint(text: str) -> None:
    assert SPRINT not in read(text)


def test_an_injury_told_with_the_sprint_it_happened_in_is_one() -> None:
    assert read("Pulled my hamstring sprinting for the bus this morning.").get(SPRINT) == "present"


def test_going_to_shoot_at_goal_is_a_kick_not_a_shooting_pain() -> None:
    reading = read("Playing football, went to shoot and felt a pop at the back of my thigh.")
    assert "pain_shooting_or_electric" not in reading
    assert reading.get("onset_during_sprint_or_kick") == "present"


def test_a_pain_that_shoots_is_still_shooting() -> None:
    assert read("After shooting practice a sharp pain shoots down my leg.").get("pain_shooting_or_electric") == "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two weeks of sciatica down my left leg.", "absent"),
        ("Tweaked it at football. Now 10 days on and still sore behind my thigh.", "absent"),
        ("Four months in and the back of my thigh still aches.", "present"),
    ],
)
def test_a_time_told_with_of_on_or_in_is_the_complaints(text: str, expected: str) -> None:
    assert read(text).get(TIME) == expected
