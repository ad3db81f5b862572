"""Turkish texts that look like a composed finding and are not, and the one error that must never
happen: a red flag denied by a "fine" wording that "değil" itself denies."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def read(text: str) -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, "tr")}


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("İdrarımı tutabiliyorum ama her zaman değil", "bladder_dysfunction"),
        ("Cisimi tutabiliyorum ama tek basima degil", "bladder_dysfunction"),
        ("Kakam normal ama her gün değil", "bowel_dysfunction"),
        ("Apış aramı hissediyorum ama her yerini değil", "saddle_numbness"),
        ("İdrarımın rengi normal ama her zaman değil", "dark_urine_after_exercise"),
        ("Cinsel ilişkide his yok", "sexual_dysfunction_new"),
    ],
)
def test_a_fine_wording_denied_by_degil_never_denies_the_red_flag(text: str, fid: str) -> None:
    assert read(text).get(fid) in ("present", "unknown")


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Göğüs ağrısı için değil, uyluğum için yazıyorum", "chest_pain"),
        ("Baldırım kaşınıyor", "pain_calf"),
        ("Baldırım hiç tutulmadı", "pain_calf"),
        ("Önce bacağımı kaldıramıyordum, şimdi rahatça kaldırabiliyorum", "weakness_getting_worse"),
        ("Dünya kadar yürüdüm, şimdi yürüyemiyorum", "weakness_getting_worse"),
        ("Ayağım uyuşuyor, iyice masaj yaptım", "weakness_getting_worse"),
        ("Kasım sertleşmiyor", "sexual_dysfunction_new"),
        ("Penisimde ağrı hissetmedim", "sexual_dysfunction_new"),
        ("Arkadan otobüsü kaçırdım", "bowel_dysfunction"),
        ("Çay idrar söktürüyor", "dark_urine_after_exercise"),
        ("Sıcakta 10 km koştum, akşam bacaklarım kramp kramp.", "leg_warm_red"),
        ("Sıcak havada maç yaptım, uyluğumun arkası ağrıyor.", "leg_warm_red"),
        pytest.param("Bastonsuz yürüyorum", "difficulty_walking", marks=pytest.mark.xfail(strict=True, reason="the learned reader reads this wording (its measured price: docs/language.md)")),
    ],
)
def test_a_look_alike_is_not_read_present(text: str, fid: str) -> None:
    assert read(text).get(fid) != "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kan sulandırıcıyı hiç ara vermeden kullanıyorum", "present"),
        ("Xarelto'yu bıraktım", "absent"),
    ],
)
def test_a_blood_thinner_used_without_a_break_is_taken(text: str, expected: str) -> None:
    assert read(text).get("taking_blood_thinners") == expected


def test_walking_made_hard_is_not_walking_at_ease() -> None:
    assert read("Yürürken iyice zorlanıyorum").get("difficulty_walking") != "absent"
    assert read("Yürümem normalden çok daha yavaş").get("difficulty_walking") != "absent"

