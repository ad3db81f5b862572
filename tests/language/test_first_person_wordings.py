"""A relative's or a carer's account is read with the lexicon's first-person wordings: "landed
on her bottom" is "landed on my bottom" of the person the text is about, while whose complaint
it is stays decided on the words as written."""

from __future__ import annotations

import pytest

from thighdx.language import parse
from thighdx.language.text import as_first_person


def test_the_rewrite_keeps_every_offset() -> None:
    text = "writing for my dad: he fell onto his backside, their gp says ur fine"
    out = as_first_person(text)
    assert len(out) == len(text)
    assert "onto my  backside" in out and "my    gp" in out and "my fine" in out
    assert as_first_person("the hershey bar, yours, theirs") == "the hershey bar, yours, theirs"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Writing for my dad (80): he tripped on the kerb and landed on his backside yesterday.", "fall_onto_buttocks"),
        ("My mother is 77. She slipped in the garden on Monday and landed on her bum.", "fall_onto_buttocks"),
    ],
)
def test_a_relatives_account_reads_the_first_person_wordings(text: str, finding: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, "en")}.get(finding) == "present"


def test_a_relatives_history_is_still_theirs() -> None:
    read = {m.id: m.choice_id for m in parse("My sister had a clot in her leg after her flight. My hamstring aches.", "en")}
    assert "previous_dvt_or_pe" not in read


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        # a relative named with their age before the relation
        ("My 19 yo son hurt his back at the gym. Tonight he told me he's numb around his bottom.", "saddle_numbness", "present"),
        # a carer writing about the person they look after
        ("Carer for an 88 year old gentleman. His left leg is bigger than the right and he is more breathless than usual.",
         "shortness_of_breath", "present"),
        # the leg that suddenly cannot be moved, named before as "it"
        ("Out walking and all of a sudden my leg gave way, I couldn't move it at all. Cold and pale compared to the other.",
         "leg_paralysis_or_loss_of_feeling_sudden", "present"),
        ("Out walking and all of a sudden my leg gave way, I couldn't move it at all. Cold and pale compared to the other.",
         "leg_cold_pale", "present"),
    ],
)
def test_whose_account_and_what_it_tells(text: str, finding: str, choice: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, "en")}.get(finding) == choice


def test_a_writers_own_words_are_not_a_carers_account() -> None:
    read = {m.id: m.choice_id for m in parse("I hurt my leg playing football and couldn't move it for a minute or two.", "en")}
    assert read.get("leg_paralysis_or_loss_of_feeling_sudden") != "present"  # at most asked
