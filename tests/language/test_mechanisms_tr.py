"""Turkish morphology: the privative is not negation, negative verb forms are, the question
particle asks rather than asserts, "kalça" is not always the buttock, "çok" only intensifies."""

from __future__ import annotations

import pytest

from thighdx.language import morphology as m
from thighdx.language import parse


def found(text: str) -> dict[str, str]:
    return {x.id: x.choice_id for x in parse(text, "tr")}


@pytest.mark.parametrize(
    ("word", "lack"),
    [("hissiz", True), ("hissizlesti", True), ("gucsuzlesiyor", True), ("dermansiz", True), ("agrisiz", False), ("sorunsuz", False)],
)
def test_privative_words_that_name_a_lack(word: str, lack: bool) -> None:
    assert m.names_a_lack(word) is lack


@pytest.mark.parametrize(("rest", "negative"), [("muyor", True), ("medi", True), ("maz", True), ("mamis", True), ("uyor", False), ("ma", False)])
def test_negative_verb_endings(rest: str, negative: bool) -> None:
    assert m.negative_rest(rest) is negative


@pytest.mark.parametrize("token", ["mi", "mu", "misin", "muydu", "varmi", "yokmu"])
def test_question_particle(token: str) -> None:
    assert m.is_question_particle(token)


def test_becoming_weaker() -> None:
    assert m.becoming("gucsuzlesiyor") and not m.becoming("gucsuz")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # privative: without feeling = numb, without strength = weak, becoming so = worsening
        ("Sol ayağımın üstü hissiz kaldı.", {"numbness_or_tingling": "present"}),
        ("Topuğum hissizleşti.", {"numbness_or_tingling": "present"}),
        ("Dizimin altı dermansız, merdiven çıkamıyorum.", {"leg_weakness": "present"}),
        ("Sağ bacağım her geçen saat güçsüzleşiyor.", {"leg_weakness": "present", "weakness_getting_worse": "present"}),
        ("Oturak bölgem hissiz gibi.", {"saddle_numbness": "present"}),
        ("OTURAK BOLGEM HISSIZ", {"saddle_numbness": "present"}),
        # negative verb forms
        ("Parmaklarım hiç uyuşmadı.", {"numbness_or_tingling": "absent"}),
        ("Baldırım şişmiyor.", {"leg_swelling_one_side": "absent"}),
        # the plural of a paired part of the leg is both legs
        ("Merdivende baldırlarım yanıyor.", {"pain_both_legs": "present"}),
        ("uyluklarinin arkasi sizliyor diyor", {"pain_both_legs": "present"}),
    ],
)
def test_turkish_morphology_readings(text: str, expected: dict[str, str]) -> None:
    result = found(text)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Ayak parmaklarım karıncalanıyor mu, emin olamadım.", "numbness_or_tingling"),
        ("Baldırımda şişlik var mı bilmiyorum.", "leg_swelling_one_side"),
        ("Idrar kacirma olur mu boyle durumlarda", "bladder_dysfunction"),
        ("Uyusma varmi sizce", "numbness_or_tingling"),
    ],
)
def test_question_particle_makes_a_mention_unknown(text: str, fid: str) -> None:
    assert found(text).get(fid) in (None, "unknown"), found(text)
    assert found(text).get(fid) != "absent"


@pytest.mark.parametrize(
    "text",
    ["Annemin kalça protezi var, ben de onunla ilgileniyorum.", "Geçen yıl kalça ameliyatı oldum.", "Kalca eklemimde kireçlenme var."],
)
def test_kalca_naming_the_hip_joint_is_not_a_buttock_finding(text: str) -> None:
    assert "pain_buttock" not in found(text)


def test_kalca_alone_is_asked_and_the_back_of_it_is_the_buttock() -> None:
    """"Kalça" on its own is the hip as often as the buttock: unsure, so asked; its back is the buttock."""
    (kalca,) = [x for x in parse("Kalçam sızlıyor.", "tr") if x.id == "pain_buttock"]
    (back,) = [x for x in parse("Kalçamın arkası sızlıyor.", "tr") if x.id == "pain_buttock"]
    (popo,) = [x for x in parse("Popom sızlıyor.", "tr") if x.id == "pain_buttock"]
    assert kalca.choice_id == "unknown"
    assert back.choice_id == popo.choice_id == "present"


@pytest.mark.parametrize("text", ["Çok ağrıyor ama dayanılır.", "Uyluğumun arkası çok sızlıyor."])
def test_cok_is_an_intensifier_not_severity(text: str) -> None:
    assert found(text).get("pain_severe") != "present"


def test_painless_still_denies_pain_words() -> None:
    assert found("Artık ağrısız yürüyorum.").get("difficulty_walking") != "present"


@pytest.mark.parametrize("text", [
    "Sabahtan beri hiç idrar yapamadım, çok korktum.",
    "sabahtan beri hic idrar yapamadim",
    "Akşamdan bu yana çişimi hiç yapamıyorum.",
])
def test_a_negation_word_before_a_cannot_wording_reinforces_the_symptom(text: str) -> None:
    readings = {m.id: m.choice_id for m in parse(text, "tr")}
    assert readings.get("bladder_dysfunction") == "present"


def test_a_negative_verb_after_a_negation_word_still_denies() -> None:
    readings = {m.id: m.choice_id for m in parse("Hiç idrar kaçırmadım.", "tr")}
    assert readings.get("bladder_dysfunction") != "present"


@pytest.mark.parametrize(("text", "fid", "choice"), [
    ("Ayağa kalkınca başım dönmedi, sadece uyluk arkası ağrıyor.", "fainting_or_racing_heart", "absent"),
    ("Öksürünce idrar kaçırmadım.", "bladder_dysfunction", "absent"),
    ("Merdivende başım döndü.", "fainting_or_racing_heart", "present"),
    ("Baş dönmesi oluyor arada.", "fainting_or_racing_heart", "present"),
    ("İdrar kaçırmaya başladım.", "bladder_dysfunction", "present"),
])
def test_a_verbal_noun_in_a_pattern_followed_by_a_verb_ending_is_that_verb(text: str, fid: str, choice: str) -> None:
    """A pattern that names a symptom by its verbal noun ("baş dönmesi", "idrar kaçırma") read with a
    verb ending after it: "dön-me-di" (did not spin) and "kaçır-ma-dım" (I did not leak) deny it;
    the noun itself and its case endings ("dönmesi", "kaçırmaya") do not."""
    assert found(text).get(fid) == choice, found(text)
