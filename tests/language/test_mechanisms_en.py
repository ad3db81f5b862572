"""English mechanisms that generalise beyond listed phrases: inflection, normal statements,
named-moment onsets, other people's and hypothetical mentions, clinical shorthand; a denial
inside a pattern's run of words; denials told as a prefix, a dialect word, a note's "(-)" or a
word for a whole list (with their Turkish forms)."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.patterns import inflect_pattern


def found(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


def test_plain_pattern_words_gain_their_inflections() -> None:
    pattern = inflect_pattern("swell calf")
    assert "swollen" in pattern and "calves" in pattern
    # stems, escapes, quantified letters and look-behinds stay as written
    assert inflect_pattern("lift~") == "lift~"
    assert inflect_pattern("\\bpad\\b") == "\\bpad\\b"
    assert inflect_pattern("legs? out") == "legs? out"
    assert inflect_pattern("(?<!the\\s)walk") .startswith("(?<!the\\s)")
    assert "the" not in inflect_pattern("(?<!the\\s)x").replace("(?<!the\\s)", "")


@pytest.mark.parametrize(
    ("text", "fid", "choice"),
    [
        ("I've had some trouble peeing since Tuesday.", "bladder_dysfunction", "present"),
        ("Both of my calves started cramping on the hill.", "pain_calf", "present"),
        ("Couldn't feel the loo paper when I wiped.", "saddle_numbness", "present"),
    ],
)
def test_inflected_forms_match(text: str, fid: str, choice: str) -> None:
    assert found(text).get(fid) == choice, found(text)


def test_coughing_up_blood_is_not_pain_on_coughing() -> None:
    result = found("Coughed up a little blood after breakfast.")
    assert result.get("coughing_blood") == "present"
    assert "pain_worse_cough_sneeze" not in result


NORMAL_CASES = [
    ("en", "Peeing normally and my bowels are the same as ever, no problems there.", {"bladder_dysfunction": "absent"}),
    ("en", "I can walk to the shops fine; walking normally apart from the ache.", {"difficulty_walking": "absent"}),
    ("en", "I'm otherwise fit and well, just this thigh.", {"feeling_generally_unwell": "absent"}),
    ("en", "No trouble at all with my waterworks or bowels.", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
    ("tr", "Büyük tuvaletimde sorun yok, yürümem de rahat.", {"bowel_dysfunction": "absent", "difficulty_walking": "absent"}),
    ("tr", "Çişimde bir sıkıntı yok.", {"bladder_dysfunction": "absent"}),
]


@pytest.mark.parametrize(("language", "text", "expected"), NORMAL_CASES)
def test_normal_statements_read_as_absent(language: str, text: str, expected: dict[str, str]) -> None:
    result = found(text, language)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Reached for a high ball and felt it go right at the top of the hamstring."),
        ("en", "Halfway through the race my hamstring just went on me."),
        ("tr", "Topa uzanırken arka adalem koptu sandım."),
        ("tr", "Halı sahada o an bir şey çekti, yere oturdum."),
    ],
)
def test_onset_told_as_a_moment_is_sudden(language: str, text: str) -> None:
    assert found(text, language).get("sudden_onset") == "present", found(text, language)


@pytest.mark.parametrize(
    ("language", "text", "fid", "not_choice"),
    [
        ("en", "Gran had a clot after her hip op, could this be the same?", "previous_dvt_or_pe", "present"),
        ("en", "What if the numbness down there is a sign of something?", "saddle_numbness", "present"),
        ("en", "My husband has had sciatica for years.", "pain_shooting_or_electric", "present"),
        ("tr", "Ya pıhtıysa diye korkuyorum.", "previous_dvt_or_pe", "present"),
    ],
)
def test_other_people_and_what_ifs_are_not_credited(language: str, text: str, fid: str, not_choice: str) -> None:
    assert found(text, language).get(fid) != not_choice, found(text, language)


def test_a_relatives_clot_is_family_history() -> None:
    assert found("My auntie and my mum both had clots in their legs.").get("family_history_of_clots") == "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ref letter: 58M, ?DVT R calf.", {"previous_dvt_or_pe": "unknown"}),
        ("+ve SLR at 40 degrees on the left.", {"positive_straight_leg_raise": "present"}),
        ("Complains of paraesthesia over the dorsum of the foot.", {"numbness_or_tingling": "present"}),
        ("Background of PVD, smoker.", {"known_peripheral_arterial_disease": "present", "smoker": "present"}),
        ("On exam: impalpable dorsalis pedis pulse on the right.", {"weak_foot_pulses": "present"}),
        ("Bilat posterior thigh pain.", {"pain_both_legs": "present"}),
        ("Reports reduced perianal sensation.", {"saddle_numbness": "present"}),
        ("Suspected sciatica.", {"pain_shooting_or_electric": "unknown"}),
    ],
)
def test_clinical_shorthand(text: str, expected: dict[str, str]) -> None:
    result = found(text)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Chesty cough this week but not blood, just green phlegm.", "coughing_blood"),
        ("Coughing since Friday with no blood in it.", "coughing_blood"),
        ("Urine was not dark after the race, I checked.", "dark_urine_after_exercise"),
        ("My heart is definitely not racing, just the thigh aches.", "fainting_or_racing_heart"),
    ],
)
def test_a_denial_between_a_patterns_parts_is_not_crossed(text: str, fid: str) -> None:
    """A run of any words inside a pattern stops at a denial: "a cough but no blood" is no
    report of coughing blood (the denial, read on its own, may still make it absent)."""
    assert found(text).get(fid) != "present", found(text)


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("I keep coughing and this morning there was blood in the tissue.", "coughing_blood"),
        ("My heart has been really racing tonight.", "fainting_or_racing_heart"),
    ],
)
def test_the_same_patterns_still_read_what_is_said(text: str, fid: str) -> None:
    assert found(text).get(fid) == "present", found(text)


@pytest.mark.parametrize(
    ("language", "text", "fid", "choice"),
    [
        ("en", "Lifelong non-smoker, sore hamstring since Sunday.", "smoker", "absent"),
        ("en", "Nae tingling at all in the leg.", "numbness_or_tingling", "absent"),
        ("en", "Obs: fevers (-), weight loss (-).", "fever_or_chills", "not present"),
        ("en", "Non-stop shooting pains into my foot.", "pain_shooting_or_electric", "present"),
        ("tr", "Ateş, çarpıntı, nefes darlığı hiçbiri yok.", "fever_or_chills", "not present"),
        ("tr", "Muayene: ateş (-), öksürük (-), sol uyluk arkası hassas.", "fever_or_chills", "not present"),
    ],
)
def test_denials_told_as_a_prefix_a_dialect_word_a_notes_minus_or_a_word_for_the_whole_list(
    language: str, text: str, fid: str, choice: str
) -> None:
    """"non-smoker", Scots "nae", a note's "(-)" after each item, "none of them" closing a list;
    a red flag denied so is asked (`unknown`) or absent, never present; "non-stop" denies nothing."""
    got = found(text, language).get(fid)
    assert (got != "present") if choice == "not present" else (got == choice), found(text, language)
