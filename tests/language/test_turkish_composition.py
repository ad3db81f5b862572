"""Turkish composition: a body part, what it feels, how it changes and since when, read
together in one clause; the noun endings of a short stem ("bel"); a movement a part of the
leg cannot make; negation and questions that end such a reading."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def found(text: str) -> dict[str, str]:
    return {x.id: x.choice_id for x in parse(text, "tr")}


# --- "bel" with its possessive and case endings (front-vowel harmony, Black Sea -um) ---


@pytest.mark.parametrize(
    "text",
    [
        "belinden bacağına kadar inen bir sızı var",
        "belinin ortası tutuluyor",
        "belumdan başlayup dizime gidiyi",
        "belimizden aşağı bir çekilme oluyor",
    ],
)
def test_low_back_with_its_noun_endings(text: str) -> None:
    assert found(text).get("pain_low_back") == "present"


@pytest.mark.parametrize("text", ["belki yarın doktora giderim", "belli değil ne olduğu", "başıma bela oldu bu iş"])
def test_words_that_begin_like_bel_are_not_the_back(text: str) -> None:
    assert "pain_low_back" not in found(text)


# --- the calf and what it feels, with words between them in one clause ---


@pytest.mark.parametrize(
    "text",
    [
        "sol baldırım iki gündür şiş, sıcak ve ağrılı",
        "baldırım merdivende taş kesiyor",
        "baldırlarım yokuşta kasıldı kaldı",
        "baldırımda akşamları hafif bir yorgunluk oluyor",
    ],
)
def test_calf_and_a_sensation_in_one_clause(text: str) -> None:
    assert found(text).get("pain_calf") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "baldırım değil, uyluğumun arkası ağrıyor",
        "baldırım sağlam, sızı dizimin üstünde",
        "baldırım şişti, dizim ağrıyor",
        "baldırımda bir şey yok ama uyluğum sızlıyor",
    ],
)
def test_the_gap_does_not_cross_a_turn_a_denial_or_a_finished_clause(text: str) -> None:
    assert found(text).get("pain_calf") != "present"


# --- a part of the leg and a movement it cannot make ---


@pytest.mark.parametrize(
    "text",
    [
        "ayak parmaklarını zor oynatıyor",
        "ayağımı sabahtan beri yukarı çekemiyorum",
        "bacağını kıpırdatırken çok zorlanıyor",
        "ayağımı her gün biraz daha az kaldırabiliyorum",
    ],
)
def test_a_movement_the_leg_cannot_make_is_weakness(text: str) -> None:
    assert found(text).get("leg_weakness") == "present"


def test_not_bearing_weight_is_not_weakness() -> None:
    assert "leg_weakness" not in found("ayağıma basamıyorum, topallıyorum")
