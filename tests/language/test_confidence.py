"""Every mention carries a confidence; a red flag is read absent only from a clear, close
negation, otherwise it comes back unknown (to be asked), never absent."""

from __future__ import annotations

import pytest

from thighdx.language import Mention, parse
from thighdx.language.lexicon import kb_red_flags


def by_id(text: str, language: str = "en") -> dict[str, Mention]:
    return {m.id: m for m in parse(text, language)}


def test_confidence_is_a_probability_on_every_mention() -> None:
    texts = [
        ("en", "Sharp pain at the back of my thigh since Sunday, no bruising, my bladder is fine."),
        ("en", "Not sure whether my calf is swollen, and my dad once had a clot."),
        ("tr", "Uyluğumun arkası ağrıyor, morluk yok, belki biraz şişlik var."),
    ]
    for language, text in texts:
        mentions = parse(text, language)
        assert mentions
        for m in mentions:
            assert 0.0 <= m.confidence <= 1.0


def test_as_dict_has_the_api_fields() -> None:
    (m,) = [m for m in parse("no swelling") if m.id == "leg_swelling_one_side"]
    assert m.as_dict() == {"id": "leg_swelling_one_side", "choice_id": "absent", "text": "no swelling", "start": 0, "end": 11,
                           "confidence": m.confidence}


def test_default_confidence_keeps_old_constructors_working() -> None:
    assert Mention("x", "present", "x", 0, 1).confidence == 1.0


def test_red_flags_come_from_the_knowledge_base() -> None:
    flags = kb_red_flags()
    assert {"bladder_dysfunction", "saddle_numbness", "chest_pain"} <= flags
    assert "pain_calf" not in flags


@pytest.mark.parametrize(
    ("language", "text", "fid"),
    [
        ("en", "No chest pain at all.", "chest_pain"),
        ("en", "I haven't been short of breath.", "shortness_of_breath"),
        ("en", "No chest pain or shortness of breath.", "shortness_of_breath"),
        ("en", "My waterworks are normal.", "bladder_dysfunction"),
        ("tr", "Göğsümde ağrı yok.", "chest_pain"),
    ],
)
def test_a_clear_close_negation_reads_a_red_flag_absent(language: str, text: str, fid: str) -> None:
    m = by_id(text, language)[fid]
    assert m.choice_id == "absent", m
    assert m.confidence >= 0.8


@pytest.mark.parametrize(
    ("language", "text", "fid"),
    [
        # a question is not a denial
        ("en", "Is the chest pain anything to worry about?", "chest_pain"),
        ("en", "Bladder all fine?", "bladder_dysfunction"),
        # the same red flag hedged elsewhere in the text wins over a denial
        ("en", "No chest pain. Though maybe a bit of chest pain last night?", "chest_pain"),
        ("tr", "Göğüs ağrısı yok mu?", "chest_pain"),
    ],
)
def test_an_unsure_red_flag_is_unknown_never_absent(language: str, text: str, fid: str) -> None:
    m = by_id(text, language).get(fid)
    assert m is not None and m.choice_id == "unknown", (text, m)
    assert m.confidence <= 0.5


def test_a_negation_far_from_a_red_flag_does_not_deny_it() -> None:
    text = "I would not say that after the long drive home from my sister's the other day I got any chest pain."
    m = by_id(text).get("chest_pain")
    assert m is None or m.choice_id != "absent"


def test_an_ordinary_finding_far_from_its_negation_is_less_sure() -> None:
    near = by_id("No bruising.")["bruising_back_of_thigh"]
    far = by_id("There is not, as far as I can see in the mirror, any bruising.").get("bruising_back_of_thigh")
    assert near.confidence == 1.0 or near.confidence >= 0.9
    if far is not None and far.choice_id == "absent":
        assert far.confidence < near.confidence


def test_a_long_clause_lowers_confidence() -> None:
    short = by_id("My calf is swollen.")["leg_swelling_one_side"]
    long_text = ("My calf is swollen from the moment I wake up in the morning until late in the evening when I finally get "
                 "to sit down on the sofa after work with the children asleep upstairs in their beds.")
    long = by_id(long_text)["leg_swelling_one_side"]
    assert long.confidence < short.confidence


@pytest.mark.parametrize(
    ("language", "text", "fid"),
    [
        # a denial before a wording that runs on past a clause break denies the first clause only
        ("tr", "hiç idrar yapamadım, yaptığım da kola gibiydi", "dark_urine_after_exercise"),
        ("tr", "Dün akşamdan beri hiç çiş yapamıyorum, azıcık gelen de koyu çay rengi", "dark_urine_after_exercise"),
        ("en", "I couldn't pee at all, and what came out was like cola", "dark_urine_after_exercise"),
    ],
)
def test_a_denial_before_a_clause_break_never_denies_the_red_flag_after_it(language: str, text: str, fid: str) -> None:
    m = by_id(text, language).get(fid)
    assert m is None or m.choice_id != "absent", (text, m)
