"""A sentence tells a relative's history only when the relative is its subject and the writer is
not in it; the learned reader leaves an illness told so unread (unknown, for the interview to
ask), and never a risk of a clot such as a journey."""

from __future__ import annotations

import pytest

from thighdx.language import learned_reading
from thighdx.language.experiencer import about_a_relative_only


@pytest.mark.parametrize(
    "sentence",
    ["dad died of bowel cancer last year.", "and my mum had gout for years.", "my brother's had diabetes since he was ten."],
)
def test_a_sentence_with_a_relative_as_subject_is_theirs(sentence: str) -> None:
    assert about_a_relative_only(sentence, "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "visiting my son in australia, flew back 3 days ago.",
        "flew back from seeing my daughter on sunday.",
        "dad and i both have diabetes.",
    ],
)
def test_a_relative_named_on_the_way_leaves_the_sentence_the_writers(sentence: str) -> None:
    assert not about_a_relative_only(sentence, "en")


def test_risks_of_a_clot_are_never_dropped_as_a_relatives() -> None:
    assert "long_journey_recent" not in learned_reading.histories()
