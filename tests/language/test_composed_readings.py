"""Findings composed from concept words in one clause (lexicon macros @sitact, @eases, @moving,
@sensation, @gap): what is done, and what is felt or what changes, rather than whole phrases."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def read(text: str) -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, "en")}


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Gets up, walks about, it's gone.", "pain_relieved_by_standing_moving"),
        ("worst on sitting in office chair, relief on walking", "pain_relieved_by_standing_moving"),
        ("hill reps and long sits at work make it throb", "pain_worse_sitting"),
        ("the backs of my legs ache in long meetings", "pain_worse_sitting"),
        ("Bloody sore to walk on", "difficulty_walking"),
        ("Unable to WB without aid", "difficulty_walking"),
        ("since yesterday I walk like a penguin", "difficulty_walking"),
    ],
)
def test_an_activity_and_what_it_does_to_the_pain(text: str, fid: str) -> None:
    assert read(text).get(fid) == "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("I can walk around fine, just tight", "pain_relieved_by_standing_moving"),
        ("sitting doesn't hurt at all", "pain_worse_sitting"),
        pytest.param("my sitting bone hurts", "pain_worse_sitting", marks=pytest.mark.xfail(strict=True, reason="the learned reader reads this wording (its measured price: docs/language.md)")),
        ("I can walk fine", "difficulty_walking"),
    ],
)
def test_an_ability_or_a_denial_is_not_read_as_the_finding(text: str, fid: str) -> None:
    assert read(text).get(fid) != "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Dad collapsed in the kitchen this morning, came round quickly. He had a long coach trip last week.", "fainting_or_racing_heart"),
        ("My husband's right foot is icy cold and he can't wiggle his toes, started an hour ago.", "leg_cold_pale"),
    ],
)
def test_a_text_that_opens_with_a_relative_and_never_speaks_of_the_writer_tells_of_the_relative(text: str, fid: str) -> None:
    assert read(text).get(fid) == "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("My dad had a clot at 50 and now my calf hurts", "previous_dvt_or_pe"),
        ("My mother had a clot in her leg.", "previous_dvt_or_pe"),
    ],
)
def test_a_relatives_clot_stays_family_history(text: str, fid: str) -> None:
    assert read(text).get(fid) != "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Mum has MS and is incontinent. Sore hamstring after football.", "bladder_dysfunction"),
        ("Dad died of bowel cancer last year. Pain in back of thigh for two weeks.", "history_of_cancer"),
    ],
)
def test_a_first_line_about_a_relative_then_the_writers_own_complaint_stays_the_relatives(text: str, fid: str) -> None:
    assert read(text).get(fid) != "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("today pleuritic CP and SOB on exertion, HR 112.", "fainting_or_racing_heart"),
        ("Today I coughed into a tissue and there was blood in it.", "coughing_blood"),
        ("can't tell when I need a number two, had an accident at work.", "bowel_dysfunction"),
        ("I've started dribbling wee.", "bladder_dysfunction"),
        ("I've lost feeling 'down there' during sex", "sexual_dysfunction_new"),
    ],
)
def test_red_flags_in_lay_and_clinical_words(text: str, fid: str) -> None:
    assert read(text).get(fid) == "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("HR 88, no SOB", "fainting_or_racing_heart"),
        ("I cough a lot and I'm on blood thinners", "coughing_blood"),
        ("I need a number two and it hurts to sit", "numbness_or_tingling"),
    ],
)
def test_look_alikes_are_not_red_flags(text: str, fid: str) -> None:
    assert read(text).get(fid) != "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Went for a loose ball in sunday league and felt my hammy go.", {"sudden_onset": "present", "onset_during_sprint_or_kick": "present"}),
        ("went to accelerate and it felt like someone had shot me in the back of the thigh", {"sudden_onset": "present", "onset_during_sprint_or_kick": "present"}),
        ("Went up for a header and something pinged at the top of my hamstring.", {"sudden_onset": "present", "onset_during_sprint_or_kick": "present"}),
    ],
)
def test_an_injury_told_as_an_event_during_a_fast_movement(text: str, expected: dict[str, str]) -> None:
    got = read(text)
    assert {fid: got.get(fid) for fid in expected} == expected


@pytest.mark.parametrize("text", ["I popped to the shops.", "My hip has always clicked and popped when I rotate it."])
def test_a_word_of_the_event_kind_used_otherwise_is_not_an_onset(text: str) -> None:
    assert read(text).get("sudden_onset") != "present"


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Did 300 squats for a charity challenge yesterday, never done anything like it.", "onset_after_unaccustomed_exercise"),
        ("rode 80k yesterday, longest ever", "onset_after_unaccustomed_exercise"),
        ("R calf swollen & warm since the op", "leg_warm_red"),
        ("the calf aches again and it's gone a bit red.", "leg_warm_red"),
    ],
)
def test_an_effort_new_to_the_person_and_a_warm_or_red_leg(text: str, fid: str) -> None:
    assert read(text).get(fid) == "present"


def test_a_habit_of_years_is_not_a_new_effort() -> None:
    assert read("I've walked this route for years").get("onset_after_unaccustomed_exercise") != "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i have AF but stopped my blood thinner last month", "absent"),
        ("was on warfarin for 6 months then stopped", "absent"),
        ("On no anticoag.", "absent"),
        ("I'm on warfarin, no problems", "present"),
    ],
)
def test_a_blood_thinner_stopped_is_not_taken_and_a_state_after_it_does_not_deny_it(text: str, expected: str) -> None:
    assert read(text).get("taking_blood_thinners") == expected


@pytest.mark.parametrize(
    ("text", "fid", "expected"),
    [
        ("Ache in my bum cheek, no leg pain, nothing numb", "numbness_or_tingling", "absent"),
        ("Nil LBP, nil paraesthesia.", "numbness_or_tingling", "absent"),
        ("Nothing helps the numbness in my foot", "numbness_or_tingling", "present"),
        ("Weakness? No. Numbness? No. Just a deep ache", "numbness_or_tingling", "absent"),
        ("Chest pain? Yes, when I breathe in.", "chest_pain", "present"),
        ("Uyuşma? Yok.", "numbness_or_tingling", "absent"),
        ("Walking's fine, stairs are fine", "difficulty_walking", "absent"),
        ("Can still walk but any kick hurts.", "difficulty_walking", "absent"),
    ],
)
def test_short_denials_and_questions_the_text_answers(text: str, fid: str, expected: str) -> None:
    language = "tr" if "Uyu" in text else "en"
    assert {m.id: m.choice_id for m in parse(text, language)}.get(fid) == expected


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Is it a clot? No idea.", "previous_dvt_or_pe"),
        ("Could this be sciatica? No numbness though.", "pain_shooting_or_electric"),
        ("walking is not fine", "difficulty_walking"),
    ],
)
def test_what_is_not_an_answer_or_a_state_of_ease_denies_nothing(text: str, fid: str) -> None:
    assert read(text).get(fid) != "absent"


@pytest.mark.parametrize(
    ("text", "fid", "expected"),
    [
        ("Foot's warm and a normal colour", "leg_cold_pale", "absent"),
        ("Both feet are warm and pink, I checked.", "leg_cold_pale", "absent"),
        ("my foot is warm but my toes are white", "leg_cold_pale", "present"),
        ("bladder normal but I've wet myself twice", "bladder_dysfunction", "present"),
        ("Legs not weak, can feel everything, pee and poo normal.", "saddle_numbness", "absent"),
        ("Not numb anywhere, no trouble with the waterworks", "saddle_numbness", "absent"),
    ],
)
def test_a_normal_state_denies_a_red_flag_but_never_outweighs_its_own_words(text: str, fid: str, expected: str) -> None:
    assert read(text).get(fid) == expected


def test_a_denial_inside_the_words_is_never_read_as_the_red_flag() -> None:
    assert read("My legs aren't cold or blue, the colour's fine").get("leg_cold_pale") != "present"


def test_denies_reaches_along_a_written_list() -> None:
    got = read("Denies saddle anaesthesia, urinary retention/incontinence or faecal incontinence.")
    assert (got.get("saddle_numbness"), got.get("bladder_dysfunction"), got.get("bowel_dysfunction")) == ("absent", "absent", "absent")


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("calf's been crook since the flight", "pain_calf"),
        ("Right calf and the back of the thigh tight and sore", "pain_calf"),
        ("my lower back has been giving me grief", "pain_low_back"),
    ],
)
def test_a_body_part_and_what_it_feels_are_read_together(text: str, fid: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, "en")}.get(fid) == "present"


@pytest.mark.parametrize("text", ["my calf is fine but my thigh hurts", "the back of my thigh hurts"])
def test_a_body_part_is_not_given_a_feeling_across_a_turn(text: str) -> None:
    read = {m.id: m.choice_id for m in parse(text, "en")}
    assert read.get("pain_calf") != "present" and read.get("pain_low_back") != "present"


@pytest.mark.parametrize("text", ["Both hamstrings swollen tight and sore", "swelling in both legs", "my thighs feel tight and swollen"])
def test_swelling_said_of_both_sides_is_both_legs(text: str) -> None:
    read = {m.id: m.choice_id for m in parse(text, "en")}
    assert read.get("both_legs_swollen") == "present" and read.get("leg_swelling_one_side") != "present"


def test_the_same_part_hurt_again_is_a_previous_injury() -> None:
    read = {m.id: m.choice_id for m in parse("Same hamstring as last year gone again.", "en")}
    assert read.get("previous_hamstring_injury") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "the missus says I'm dragging the right foot more each week",
        "The numbness in my left foot has crept up to my knee over the last 3 days",
        "bilateral leg weakness progressing since yesterday",
    ],
)
def test_weakness_or_numbness_with_a_change_for_the_worse_is_getting_worse(text: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, "en")}.get("weakness_getting_worse") == "present"


def test_a_change_denied_is_not_read_as_worsening() -> None:
    assert {m.id: m.choice_id for m in parse("the numbness is the same, not spreading", "en")}.get("weakness_getting_worse") != "present"


@pytest.mark.parametrize(
    ("language", "text", "fid"),
    [
        ("en", "bilat thigh pain and swelling, tea-coloured urine, CK pending.", "dark_urine_after_exercise"),
        ("en", "I'm coughing up pink stuff.", "coughing_blood"),
        ("en", "didnt make it to the toilet for a number 2 today, had no warning at all.", "bowel_dysfunction"),
        ("tr", "iki gün sonra uyluk ağrısı, şişlik, koyu renkli idrar", "dark_urine_after_exercise"),
        ("tr", "penisimde his yok, sertleşmiyor", "sexual_dysfunction_new"),
        ("tr", "arkadan kaçırmalar oluyor farkında olmadan", "bowel_dysfunction"),
        ("tr", "dün sol bacağım aniden tutmaz oldu, kaldıramıyorum", "leg_paralysis_or_loss_of_feeling_sudden"),
    ],
)
def test_red_flags_in_words_of_the_fifth_round_kinds(language: str, text: str, fid: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, language)}.get(fid) == "present"
