"""Mechanisms that carry the reading to wording nobody tuned for: composed red-flag concepts
(a body region x a lost sense, a function x a failure), `ask` readings that come back
`unknown` rather than absent, and texts written about someone else. Every example here is
worded afresh, not copied from a labelled set."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def read(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


@pytest.mark.parametrize(
    ("language", "text", "finding"),
    [
        ("en", "Since last night I can't really feel anything down below when I wipe.", "saddle_numbness"),
        ("en", "The insides of both thighs went numb this afternoon.", "saddle_numbness"),
        ("en", "Haven't managed a wee all day despite drinking plenty.", "bladder_dysfunction"),
        ("en", "I've started wetting myself without warning.", "bladder_dysfunction"),
        ("en", "My stream just trickles out now.", "bladder_dysfunction"),
        ("en", "Have not opened my bowels for five days.", "bowel_dysfunction"),
        ("en", "Since the fall I can't climax with my partner.", "sexual_dysfunction_new"),
        ("en", "My foot slaps a bit more each day.", "weakness_getting_worse"),
        ("en", "My heart keeps fluttering and skipping.", "fainting_or_racing_heart"),
        ("en", "My foot's gone icy and a dusky colour.", "leg_cold_pale"),
        ("en", "My pee came out the colour of strong tea after the race.", "dark_urine_after_exercise"),
        ("en", "Brought up some blood with my cough this morning.", "coughing_blood"),
        ("tr", "Dünden beri çişimi tutamıyorum.", "bladder_dysfunction"),
        ("tr", "Makatımın çevresi uyuşuk, silerken bir şey hissetmiyorum.", "saddle_numbness"),
        ("tr", "Ayagim sarkiyor, gun gectikce daha kotu.", "weakness_getting_worse"),
        ("tr", "Kalbi küt küt çarpıyor, başı dönüyor.", "fainting_or_racing_heart"),
        ("tr", "Birden sol bacağım uyuştu, kımıldatamıyorum.", "leg_paralysis_or_loss_of_feeling_sudden"),
        ("tr", "Eşimle birlikteyken hiçbir şey hissetmiyorum.", "sexual_dysfunction_new"),
        ("tr", "Koşudan sonra idrarım epey az, rengi koyu.", "dark_urine_after_exercise"),
    ],
)
def test_composed_red_flags_read_present(language: str, text: str, finding: str) -> None:
    assert read(text, language).get(finding) == "present"


@pytest.mark.parametrize(
    ("language", "text", "finding"),
    [
        # A lost sense near a word of two senses (a buttock or the saddle): asked, not assumed.
        ("en", "My backside has gone numb.", "saddle_numbness"),
        ("en", "My toes catch the floor and it's getting worse.", "weakness_getting_worse"),
        ("tr", "Dün gece altına kaçırmış.", "bladder_dysfunction"),
        ("tr", "Bacağımı hiç hissetmiyorum.", "leg_paralysis_or_loss_of_feeling_sudden"),
    ],
)
def test_unsure_red_flags_are_asked(language: str, text: str, finding: str) -> None:
    assert read(text, language).get(finding) == "unknown"


@pytest.mark.parametrize(
    ("language", "text", "finding"),
    [
        ("en", "Peeing is fine and there's no numbness down below.", "saddle_numbness"),
        ("en", "Bladder fine, bowels fine.", "bladder_dysfunction"),
        ("tr", "Çiş, kaka normal.", "bladder_dysfunction"),
        ("tr", "İdrarını tutabiliyor.", "bladder_dysfunction"),
        ("tr", "Apış aramda his normal.", "saddle_numbness"),
    ],
)
def test_denied_red_flags_stay_absent(language: str, text: str, finding: str) -> None:
    assert read(text, language).get(finding) == "absent"


@pytest.mark.parametrize(
    ("language", "text", "finding", "expected"),
    [
        # Written about someone else: "his", "she", "my dad" are the person the text is about.
        ("en", "My grandad (79) says his calf is swollen and hot.", "leg_warm_red", "present"),
        ("en", "Writing on behalf of my wife: she can't feel her foot and it's cold.", "leg_cold_pale", "present"),
        ("tr", "Dedem 79 yaşında, baldırı şiş ve sıcak.", "leg_warm_red", "present"),
        # Not written about them: a relative's complaint is not the writer's.
        ("en", "My husband keeps saying his leg goes numb, but I'm asking about my thigh ache.", "numbness_or_tingling", None),
    ],
)
def test_text_about_someone_else(language: str, text: str, finding: str, expected: str | None) -> None:
    assert read(text, language).get(finding) == expected


def test_normal_urine_is_not_a_normal_colour() -> None:
    # "İdrarım normal" tells of the bladder; the colour needs a colour word.
    assert "dark_urine_after_exercise" not in read("İdrarım normal.", "tr")
    assert read("Çişimin rengi açık sarı.", "tr").get("dark_urine_after_exercise") == "absent"



@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Onset told as a named moment: something felt, heard or giving way.
        ("en", "Felt a sudden jolt behind my knee while lunging.", "present"),
        ("en", "My calf went ping as I pushed off.", "present"),
        ("en", "Heard a crack from my hip as I landed.", "present"),
        ("tr", "Merdiven çıkarken kalçama bir şey saplandı.", "present"),
        ("tr", "Koşarken 'pıt' diye bir ses geldi arkadan.", "present"),
        # "iki X birden" is both together, not suddenly.
        ("tr", "İki bacağım birden ağrıyor.", None),
    ],
)
def test_onset_told_as_a_moment(language: str, text: str, expected: str | None) -> None:
    assert read(text, language).get("sudden_onset") == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # "kalça" is the hip or the buttock: the back of it is the buttock; a path or a
        # landmark is not where the pain is.
        ("Kalçamın arka tarafı sızlıyor.", "pain_buttock", "present"),
        ("Belimden kalçama doğru bir sızı var.", "pain_buttock", "unknown"),
        ("Ağrı kalçamdan dizime kadar iniyor.", "pain_buttock", "unknown"),
        ("Kalça protezim var, baldırım ağrıyor.", "pain_buttock", None),
        # "gece" as the time something happened is not night pain.
        ("Dün gece maç izledim, bugün baldırım ağrıyor.", "pain_at_night_or_rest", None),
        ("Geceleri ağrıdan uyanıyorum.", "pain_at_night_or_rest", "present"),
        # Not eased by a posture is not "not getting better"; not gone for weeks is.
        ("Oturunca geçmiyor.", "getting_better", None),
        ("Üç haftadır bir türlü geçmedi.", "getting_better", "absent"),
    ],
)
def test_turkish_word_senses(text: str, finding: str, expected: str | None) -> None:
    assert read(text, "tr").get(finding) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # The Turkish verb "çarp-" in any form, negative ones included; not an electric shock,
        # a pounding heart or a foot slapping the floor.
        ("tr", "Sehpaya çarptım, uyluğum morardı.", "present"),
        ("tr", "Hiçbir yere çarpmadım.", "absent"),
        ("tr", "Elektrik çarpması gibi bir ağrı var.", None),
        ("tr", "Ayağım yürürken yere çarpıyor.", None),
        ("en", "There was no injury that I know of.", "absent"),
    ],
)
def test_blow_or_fall_by_verb_stem(language: str, text: str, expected: str | None) -> None:
    assert read(text, language).get("direct_blow_or_fall") == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # Body part x state: the back as the subject of a bad state, plural legs in pain.
        ("My back's been playing up all week.", "pain_low_back", "present"),
        ("Back and legs have been sore since the move.", "pain_low_back", "present"),
        ("The back of my thigh is sore.", "pain_low_back", None),
        ("My calves are in bits after the hike.", "pain_both_legs", "present"),
        ("Crossing my legs makes the buttock pain worse.", "pain_both_legs", None),
        ("It's the right leg only.", "pain_both_legs", "absent"),
        # Sitting as the situation that brings the pain on.
        ("The ache is worst on long drives and whenever I sit in meetings.", "pain_worse_sitting", "present"),
        ("Sore on the wooden benches at church.", "pain_worse_sitting", "present"),
        # A fast or kicking action with a moment of injury in the same telling.
        ("Went for a loose ball at full speed and felt my hamstring twang.", "onset_during_sprint_or_kick", "present"),
        ("Took a penalty and felt something rip high in my thigh.", "onset_during_sprint_or_kick", "present"),
        ("Bent down to tie a shoe and felt something rip high in my thigh.", "onset_during_sprint_or_kick", None),
        # A fall onto the buttocks told with words between.
        ("Tripped over the dog and landed hard on her side and bottom.", "fall_onto_buttocks", "present"),
    ],
)
def test_english_compositions(text: str, finding: str, expected: str | None) -> None:
    assert read(text).get(finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # A foot or leg that cannot be lifted, moved or is dragged, said of anyone.
        ("Sol ayağını yerden kaldıramıyor.", "leg_weakness", "present"),
        ("Yürürken bacağını sürüyor.", "leg_weakness", "present"),
        ("Ağrı iki haftadır sürüyor.", "leg_weakness", None),
        # First time of this complaint; a first marathon is not.
        ("Böyle bir şey ilk defa oluyor.", "recurrent_episodes", "absent"),
        ("Daha önce hiç böyle bir ağrım olmadı.", "recurrent_episodes", "absent"),
        ("Yılda bir iki kere tutar, geçerdi.", "recurrent_episodes", "present"),
        ("Antrenmanda tepe tekrarları yaptım.", "recurrent_episodes", None),
    ],
)
def test_turkish_compositions(text: str, finding: str, expected: str | None) -> None:
    assert read(text, "tr").get(finding) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "hafif" (mild) of the pain says it is not severe; of another symptom, or as a
        # change ("hafifliyor", easing), it says nothing of severity.
        ("Uyluğumdaki ağrı hafif.", "absent"),
        ("Sadece hafif bir uyuşma kaldı.", None),
        ("Ağrım yavaş yavaş hafifliyor.", None),
    ],
)
def test_mild_is_said_of_the_pain(text: str, expected: str | None) -> None:
    assert read(text, "tr").get("pain_severe") == expected
