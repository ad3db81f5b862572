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
        "beline bir şey saplandı",
    ],
)
def test_low_back_with_its_noun_endings(text: str) -> None:
    assert found(text).get("pain_low_back") == "present"


@pytest.mark.parametrize("text", ["belki yarın doktora giderim", "belli değil ne olduğu", "başıma bela oldu bu iş"])
def test_words_that_begin_like_bel_are_not_the_back(text: str) -> None:
    assert "pain_low_back" not in found(text)
    assert found(text + ". Belinden aşağı sızlıyor.").get("pain_low_back") == "present"


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
    # the same calf, told with its feeling in one clause, is read
    assert found(text + ". baldırım dün akşamdan beri taş gibi").get("pain_calf") == "present"


# --- a part of the leg and a movement it cannot make ---


@pytest.mark.parametrize(
    "text",
    [
        "ayak parmaklarını zor oynatıyor",
        "ayağımı kaldırırken zorlanıyorum",
        "bacağını kıpırdatırken çok zorlanıyor",
        "ayağımı her gün biraz daha az kaldırabiliyorum",
    ],
)
def test_a_movement_the_leg_cannot_make_is_weakness(text: str) -> None:
    assert found(text).get("leg_weakness") == "present"


def test_not_bearing_weight_is_not_weakness() -> None:
    assert "leg_weakness" not in found("ayağıma basamıyorum, topallıyorum")
    assert found("ayağıma basamıyorum, parmaklarımı zor oynatıyorum").get("leg_weakness") == "present"


# --- "değil" denies the constituent right before it ---


def test_a_side_denied_is_not_the_part_denied() -> None:
    assert found("kalçamın iç tarafında değil, arkasında bir sızı var").get("pain_buttock") != "absent"


def test_a_count_denied_is_not_the_finding_denied() -> None:
    assert found("dizim şişti ama ikisi birden değil, yalnız sol").get("leg_swelling_one_side") == "present"


def test_degil_still_denies_its_own_finding_and_a_list_before_it() -> None:
    assert found("belim değil, uyluğumun arkası ağrıyor").get("pain_low_back") == "absent"
    assert found("bacağım sıcak ya da kırmızı değil").get("leg_warm_red") == "absent"
    # but not across a count of its own
    assert found("bacağım kızardı ama ikisi birden değil").get("leg_warm_red") == "present"


# --- walking: "cannot" in any person, difficulty, and walking said to be fine ---


@pytest.mark.parametrize("text", ["iki gündür yürüyemiyor", "dün akşamdan beri yürüyemedi", "yürürken çok zorlanıyor", "sabahtan beri ayağa kalkamıyor"])
def test_walking_that_cannot_be_done(text: str) -> None:
    assert found(text).get("difficulty_walking") == "present"


@pytest.mark.parametrize(
    "text",
    ["yürümem, merdiven çıkmam normal", "yürüyüşümde hiç aksama yok", "ağrıyor ama yürümeme engel değil", "bugün yürüyorum, topallamıyorum"],
)
def test_walking_said_to_be_fine(text: str) -> None:
    assert found(text).get("difficulty_walking") == "absent"


# --- weakness and a change for the worse over time ---


@pytest.mark.parametrize(
    "text",
    [
        "salı günü merdiveni çıkabiliyordu, bugün ayağını hiç kaldıramıyor",
        "önce parmak ucunda yürüyemedi, şimdi ayağı iyice güçsüz",
        "bacağım sürtüyor. Gün gün ilerliyor.",
    ],
)
def test_weakness_told_before_and_now_is_getting_worse(text: str) -> None:
    assert found(text).get("weakness_getting_worse") == "present"


def test_a_fall_then_a_leg_that_bears_no_weight_is_not_a_worsening_weakness() -> None:
    assert "weakness_getting_worse" not in found("dün merdivenden düştü, şimdi sağ bacağına basamıyor")
    assert found("dün merdiveni çıkabiliyordu, şimdi sağ bacağına basamıyor").get("weakness_getting_worse") == "present"


# --- a medicine stopped, a complaint that does not go away, one side against the other ---


@pytest.mark.parametrize(
    "text",
    ["kan sulandırıcıyı geçen ay kendi kendine kesmiş", "iki yıl warfarin kullandım sonra bıraktım", "xarelto'yu doktor bıraktırdı"],
)
def test_a_blood_thinner_stopped_is_not_taken(text: str) -> None:
    assert found(text).get("taking_blood_thinners") == "absent"


def test_a_blood_thinner_still_taken_is_taken() -> None:
    assert found("kan sulandırıcı kullanıyorum, hiç bırakmadım").get("taking_blood_thinners") == "present"
    assert found("kan sulandırıcıyı da geçen hafta bıraktım").get("taking_blood_thinners") == "absent"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("uyluğumdaki şişlik geçmiyor", "leg_swelling_one_side"),
        ("ayağımdaki uyuşma hiç düzelmiyor", "numbness_or_tingling"),
        ("uyluğumdaki morluk kaybolmadı", "bruising_back_of_thigh"),
    ],
)
def test_a_complaint_that_does_not_go_away_is_present(text: str, finding: str) -> None:
    assert found(text).get(finding) == "present"


def test_a_denied_verb_of_the_complaint_itself_still_denies_it() -> None:
    assert found("bacağım hiç şişmedi").get("leg_swelling_one_side") == "absent"
    assert found("bacağımdaki şişlik geçmedi").get("leg_swelling_one_side") == "present"


@pytest.mark.parametrize("text", ["sağ bacağım soldan belirgin kalın", "baldırı öbüründen iki parmak kalın görünüyor", "sol bacağım kalın ve gergin"])
def test_one_side_thicker_than_the_other_is_swelling(text: str) -> None:
    assert found(text).get("leg_swelling_one_side") == "present"


# --- "-DAn beri" (since) makes a past time the start of what goes on now ---


@pytest.mark.parametrize(
    "text",
    ["geçen yıl ekimden beri baldırım ağrıyor", "geçen sene marttan beri baldırım sızlıyor", "geçen yıl yazdan beri baldırımda kramp var"],
)
def test_since_a_past_time_is_now(text: str) -> None:
    assert found(text).get("pain_calf") == "present"


def test_a_past_time_without_since_stays_past() -> None:
    assert "pain_calf" not in found("geçen yıl ekimde baldırım ağrımıştı")
    assert found("geçen yıl ekimden beri baldırım ağrıyor").get("pain_calf") == "present"


def test_a_dragging_foot_told_after_other_words_of_its_clause_is_weakness() -> None:
    assert found("sol ayağım da uyuşuk ve yere sürtüyor").get("leg_weakness") == "present"
    assert "leg_weakness" not in found("ayağım ağrıyor ama yeni terlik de biraz sürtüyor")


# --- a sudden onset: "ani" and what it qualifies, something that went in or came down ---


@pytest.mark.parametrize(
    "text",
    [
        "dün akşam baldırımda ani, çok sert bir kramp başladı",
        "ani başlayan bir uyluk ağrısı",
        "merdivende uyluğumun arkasına keskin bir sızı girdi",
        "sabah belimden bacağıma doğru bir şey indi",
        "maçta uyluğuma şimşek gibi bir şey geldi",
        "bacağım birden öyle bir ağrıdı ki oturdum",
    ],
)
def test_a_sudden_onset_composed(text: str) -> None:
    assert found(text).get("sudden_onset") == "present"


def test_both_legs_at_once_is_not_sudden() -> None:
    assert found("iki bacağım birden ağrıyor, yavaş yavaş başladı").get("sudden_onset") != "present"
    assert found("bacağım birden ağrıdı").get("sudden_onset") == "present"


# --- a question about what an assertion means asks its weight, not whether it is so ---


@pytest.mark.parametrize("text", ["baldırımda akşamları kramp oluyor, normal mi?", "baldırımda kramp oluyor, ciddi mi?", "baldırımda sık sık kramp oluyor, tehlikeli mi"])
def test_asking_whether_it_matters_keeps_the_assertion(text: str) -> None:
    assert found(text).get("pain_calf") == "present"


def test_asking_whether_it_is_so_stays_a_question() -> None:
    assert found("baldırımda kramp oluyor mu?").get("pain_calf") == "unknown"
    assert found("baldırımda kramp oluyor, normal mi?").get("pain_calf") == "present"
