"""A pain word, a connector of time or cause and an activity compose "worse when walking or
standing" / "worse sitting" without a listed phrase; a clause with "but not" stops it. A body
part naming a diagnosis or a test ("bel fıtığı", "bel MR") is not a pain there."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def read(text: str, language: str) -> dict[str, str]:
    return {x.id: x.choice_id for x in parse(text, language)}


@pytest.mark.parametrize(
    "text",
    [
        "a heavy ache in both calves whenever I walk uphill",
        "my thigh cramps up after I've been standing at the counter",
        "Pain on walking, eases with rest",
        "I can only walk a few hundred yards before the cramp kicks in",
        "known claudication in the left calf",
    ],
)
def test_pain_with_walking_or_standing_composes(text: str) -> None:
    assert read(text, "en").get("pain_worse_walking_standing") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "sharp pain under my bum when I've been sitting in the car a while",
        "it aches at the top of the hamstring after driving to work",
        "I am in a lot of pain sitting",
        "sitting on the sofa for an hour is agony",
    ],
)
def test_pain_with_sitting_composes(text: str) -> None:
    assert read(text, "en").get("pain_worse_sitting") == "present"


def test_but_not_stops_the_composition() -> None:
    assert read("my bum hurts when I sit at my desk but not when I walk around", "en").get("pain_worse_walking_standing") != "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("pain low down in my back", "present"), ("LBP for a week", "present"), ("felt my back seize up lifting", "present")],
)
def test_low_back_pain_wordings(text: str, expected: str) -> None:
    assert read(text, "en").get("pain_low_back") == expected


@pytest.mark.parametrize("text", ["bel fıtığım var", "Bel MR'ımda kanal darlığı çıktı", "babamın bel kanalı daralması tanısı var"])
def test_a_diagnosis_named_by_a_body_part_is_not_a_pain_there(text: str) -> None:
    assert read(text, "tr").get("pain_low_back") is None


def test_a_back_that_hurts_is_still_read() -> None:
    assert read("belim çok ağrıyor", "tr").get("pain_low_back") == "present"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("It never goes down into my calf.", "en"),
        ("the ache doesn't travel down the leg", "en"),
        ("ağrı ayağıma inmiyor", "tr"),
        ("baldırıma vurmuyor, sadece uylukta", "tr"),
        ("bacaga vurma yok artik", "tr"),
    ],
)
def test_a_pains_route_denied_reads_below_the_knee_absent(text: str, language: str) -> None:
    assert read(text, language).get("pain_below_knee") == "absent"


@pytest.mark.parametrize(
    "text",
    [
        "I get maybe three lamp posts down the road and then the backs of my legs give out on me",
        "After twenty minutes of walking round the supermarket my bum and thighs are burning",
        "after a couple of streets I have to stop and lean on a wall till it eases",
    ],
)
def test_a_walk_told_by_how_far_it_gets_is_a_fixed_walking_distance(text: str) -> None:
    found = read(text, "en")
    assert found.get("pain_walking_fixed_distance") == "present", found
    assert found.get("pain_worse_walking_standing") == "present", found


def test_a_length_of_time_that_is_not_a_walk_is_not_a_walking_distance() -> None:
    assert "pain_walking_fixed_distance" not in read("we drove for ten minutes then stopped for coffee", "en")
