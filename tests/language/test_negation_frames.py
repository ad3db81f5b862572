"""Negations that deny nothing present, and the plain denial a red flag needs to be read absent.

- A negated verb of perceiving or knowing over an event: the event happened unnoticed.
- A Turkish privative followed by -lAş ("became without") is a change into the lacking state,
  and a finite verb closes its clause, so a negation after it is the next clause's.
- A negation about what is usual ("normally", "normalde") contrasts with now.
- A red flag (or a finding that alone demands emergency care) is read absent only from a
  plain denial of its own words; anything wider is asked.
"""

from __future__ import annotations

import pytest

from thighdx.language import morphology as m
from thighdx.language import parse
from thighdx.language.lexicon import kb_emergency_findings, load_lexicon


def read(text: str, language: str) -> dict[str, str]:
    return {x.id: x.choice_id for x in parse(text, language)}


# --- an event that went unnoticed ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I didn't notice I'd wet myself until I got up",
        "I never felt myself wet the bed",
        "I wasn't aware that I'd wet myself",
        "woke up and had wet myself without realising it",
        "I didn't realise I had lost control of my bladder",
    ],
)
def test_an_unnoticed_event_is_not_denied_en(text: str) -> None:
    assert read(text, "en").get("bladder_dysfunction") == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I didn't notice my calf had swollen up", "leg_swelling_one_side"),
        ("did not see the swelling until the weekend", "leg_swelling_one_side"),
    ],
)
def test_an_unnoticed_complaint_is_present_en(text: str, finding: str) -> None:
    assert read(text, "en").get(finding) == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("altımı ıslattığımı fark etmedim", "bladder_dysfunction"),
        ("altini islattigini fark etmedim", "bladder_dysfunction"),
        ("bacağımın şiştiğini fark etmedim", "leg_swelling_one_side"),
    ],
)
def test_an_unnoticed_event_is_not_denied_tr(text: str, finding: str) -> None:
    assert read(text, "tr").get(finding) == "present"


@pytest.mark.parametrize(("text", "language"), [("I didn't notice any swelling", "en"), ("şişlik fark etmedim", "tr")])
def test_not_noticing_a_thing_still_denies_it(text: str, language: str) -> None:
    assert read(text, language).get("leg_swelling_one_side") == "absent"


# --- Turkish: becoming the lacking state; a finite verb ends its clause --------------------


@pytest.mark.parametrize(("rest", "becoming"), [("suzlesti", True), ("sizlesiyor", True), ("sizlasmis", True), ("siz", False), ("suzluk", False)])
def test_privative_then_become(rest: str, becoming: bool) -> None:
    assert m.becoming_lack(rest) is becoming


@pytest.mark.parametrize(("core", "rest"), [("guc", "suzlesti"), ("agri", "sizlasti"), ("derman", "sizlasiyor")])
def test_privative_then_become_is_never_a_negation(core: str, rest: str) -> None:
    assert not m.negative_word(core, rest)


@pytest.mark.parametrize(
    ("word", "finite"),
    [("uyustu", True), ("gucsuzlesti", True), ("sisiyordu", True), ("kopmus", True), ("ameliyati", False), ("fitik", False),
     ("bulanti", False), ("simdi", False), ("yuruyemiyor", False)],
)
def test_finite_verb(word: str, finite: bool) -> None:
    assert m.finite_verb(word) is finite


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("bacaklarım güçsüzleşti, merdiven çıkamıyorum", "weakness_getting_worse"),
        ("iki bacagim da gucsuzlesti yuruyemiyorum", "leg_weakness"),
        ("sol bacağım dermansızlaştı, yürüyemiyorum", "leg_weakness"),
        ("bacağım uyuştu, basamıyorum", "numbness_or_tingling"),
        ("ayak bileğim morardı ama burkmadım", "bruising_around_ankle"),
    ],
)
def test_a_negation_after_a_finite_verb_is_the_next_clauses(text: str, finding: str) -> None:
    assert read(text, "tr").get(finding) == "present"


@pytest.mark.parametrize("text", ["bacağım şişmiş değil", "bacağım şişmedi", "bacağımda şişlik yok"])
def test_a_finding_still_denied_in_its_own_clause(text: str) -> None:
    assert read(text, "tr").get("leg_swelling_one_side") == "absent"


# --- what is usual against what is now -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "çişimin rengi koyu kahve oldu normalde böyle değil",
        "çişimin rengi koyu kahve oldu, normalde böyle değil",
        "idrarım kola renginde, genelde böyle olmaz",
        "idrarım koyulaştı, her zaman böyle değildir",
    ],
)
def test_usual_state_denies_nothing_now_tr(text: str) -> None:
    assert read(text, "tr").get("dark_urine_after_exercise") == "present"


@pytest.mark.parametrize(
    "text",
    ["my pee has gone really dark, it is not normally like this", "my wee is the colour of cola, not usual for me"],
)
def test_usual_state_denies_nothing_now_en(text: str) -> None:
    assert read(text, "en").get("dark_urine_after_exercise") == "present"


@pytest.mark.parametrize(
    ("text", "language", "finding"),
    [
        ("I don't normally get swelling in my calf", "en", "leg_swelling_one_side"),
        ("normally I don't have any numbness", "en", "numbness_or_tingling"),
        ("normalde bacağım şişmez", "tr", "leg_swelling_one_side"),
        ("genelde bacağım uyuşmaz", "tr", "numbness_or_tingling"),
    ],
)
def test_a_usual_absence_is_asked(text: str, language: str, finding: str) -> None:
    assert read(text, language).get(finding) == "unknown"


def test_a_manner_word_is_not_a_usual_state() -> None:
    assert read("No saddle anaesthesia, PU normally, BO normally.", "en").get("saddle_numbness") == "absent"


# --- a red flag is read absent only from a plain denial ------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "finding"),
    [
        ("Denies chest pain.", "en", "chest_pain"),
        ("Chest pain: none.", "en", "chest_pain"),
        ("hasn't had chest pain", "en", "chest_pain"),
        ("no proper chest pain, just heartburn", "en", "chest_pain"),
        ("never been short of breath", "en", "shortness_of_breath"),
        ("no numbness around my back passage", "en", "saddle_numbness"),
        ("denies CP/SOB", "en", "shortness_of_breath"),
        ("göğüs ağrım yok", "tr", "chest_pain"),
        ("göğsümde ağrı yok", "tr", "chest_pain"),
        ("göğsüm ağrımıyor", "tr", "chest_pain"),
        ("idrar kaçırma olmadı", "tr", "bladder_dysfunction"),
        ("nefes darlığı hiç olmadı", "tr", "shortness_of_breath"),
        ("balgamda kan falan yok", "tr", "coughing_blood"),
    ],
)
def test_a_plain_denial_reads_a_red_flag_absent(text: str, language: str, finding: str) -> None:
    assert read(text, language).get(finding) == "absent"


@pytest.mark.parametrize(
    ("text", "language", "finding"),
    [
        ("not that I've noticed any chest pain", "en", "chest_pain"),
        ("the chest pain went away", "en", "chest_pain"),
        ("göğüs ağrım geçti", "tr", "chest_pain"),
        ("nefes darligim yeni degil", "tr", "shortness_of_breath"),
    ],
)
def test_a_wider_negation_leaves_a_red_flag_asked(text: str, language: str, finding: str) -> None:
    assert read(text, language).get(finding) == "unknown"


def test_findings_that_alone_demand_emergency_care_are_guarded_like_red_flags() -> None:
    emergency = kb_emergency_findings()
    assert {"pain_sudden_severe_whole_leg", "major_trauma", "bladder_dysfunction"} <= emergency
    for language in ("en", "tr"):
        assert emergency <= load_lexicon(language).red_flags
