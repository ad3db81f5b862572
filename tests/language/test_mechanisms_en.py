"""English mechanisms that generalise beyond listed phrases: inflection, normal statements,
named-moment onsets, other people's and hypothetical mentions, clinical shorthand."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.lexicon import inflect_pattern


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
