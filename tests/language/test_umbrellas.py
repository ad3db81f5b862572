"""Words for a function or a group of findings ("sphincters", "neuro", "power and sensation"):
alone they are asked, denied or said normal they deny every member; a red flag is never read
absent from them unless the denial is plain."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.lexicon import load_lexicon


def found(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Review: sphincter function normal, gait antalgic.", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        ("No neurological deficit in either leg.", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}),
        ("Strength and sensation preserved.", {"leg_weakness": "absent", "numbness_or_tingling": "absent"}),
        ("Urinary and bowel function unremarkable.", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        ("Weight stable over the year.", {"unexplained_weight_loss": "absent"}),
        ("Continence normal.", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        # A denial after its findings reaches back along their list.
        ("Tingling and weakness denied by the patient.", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}),
        ("Patient denies tingling or weakness.", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}),
    ],
)
def test_a_group_denied_or_normal_denies_its_members(text: str, expected: dict[str, str]) -> None:
    result = found(text)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("I'm worried about my bladder.", "bladder_dysfunction"),
        ("The neuro side of things is what scares me.", "numbness_or_tingling"),
        ("My power seems different somehow.", "leg_weakness"),
    ],
)
def test_a_group_named_alone_is_asked(text: str, fid: str) -> None:
    assert found(text).get(fid) == "unknown"


def test_a_stated_symptom_outranks_a_group_said_normal() -> None:
    result = found("Bowels normal, but I have wet myself twice since yesterday.")
    assert result.get("bowel_dysfunction") == "absent"
    assert result.get("bladder_dysfunction") == "present"


def test_every_umbrella_member_has_an_entry() -> None:
    for language in ("en", "tr"):
        assert not [p for p in load_lexicon(language).problems if "umbrella" in p]


@pytest.mark.parametrize(
    ("language", "text", "fid"),
    [
        # A state word denied is no denial of the finding.
        ("en", "My waterworks are not normal since the fall.", "bladder_dysfunction"),
        ("en", "Sensation isn't right in the left foot.", "numbness_or_tingling"),
        ("tr", "Mesanem normal değil.", "bladder_dysfunction"),
        # A verb denied after the word tells of the complaint.
        ("en", "The bladder doesn't seem to empty.", "bladder_dysfunction"),
        ("tr", "Tuvalete yardımsız gidemiyor.", "bladder_dysfunction"),
        # "No" + the word alone may name the complaint itself.
        ("tr", "Hissim yok sol ayakta.", "numbness_or_tingling"),
        # Being unaware of it is no denial.
        ("tr", "Gece altına kaçırmış, farkında bile değildi.", "bladder_dysfunction"),
    ],
)
def test_a_group_word_is_never_read_absent_from_a_denied_verb_or_state(language: str, text: str, fid: str) -> None:
    assert found(text, language).get(fid) != "absent", text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nörolojik şikayeti yok.", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}),
        ("Mesane sorunu yok.", {"bladder_dysfunction": "absent"}),
        ("Kas gücü normal.", {"leg_weakness": "absent"}),
    ],
)
def test_a_group_denied_in_turkish(text: str, expected: dict[str, str]) -> None:
    result = found(text, "tr")
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)


def test_spoken_turkish_spellings_match() -> None:
    from thighdx.language.patterns import spoken_turkish

    assert spoken_turkish("bir sey") == "bir? sey"
    assert spoken_turkish("agriyor") == "agriyor?"
    assert spoken_turkish("gelmiyorum") == "gelmiyo(?:rum|m)"
    assert spoken_turkish("yorgun") == "yorgun"
    assert found("bacagim uyusuyo", "tr").get("numbness_or_tingling") == "present"
    assert found("bacagim uyusmuyo", "tr").get("numbness_or_tingling") == "absent"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("no numbness down below, bladder fine", "bladder_dysfunction"),
        ("No tingling, bowels normal.", "bowel_dysfunction"),
    ],
)
def test_a_state_in_its_own_list_item_is_not_turned_by_an_earlier_negation(text: str, fid: str) -> None:
    # the "no" of the first item does not reach across the comma to deny "fine"
    assert {m.id: m.choice_id for m in parse(text, "en")}.get(fid) == "absent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bladder/bowel normal.", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        ("PU normally, BO normally", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        ("no probs with wee or poo", {"bladder_dysfunction": "absent", "bowel_dysfunction": "absent"}),
        ("Can wee fine, no numbness down below", {"bladder_dysfunction": "absent"}),
    ],
)
def test_lay_and_shorthand_names_of_a_function_said_normal(text: str, expected: dict[str, str]) -> None:
    read = {m.id: m.choice_id for m in parse(text, "en")}
    assert {fid: read.get(fid) for fid in expected} == expected

