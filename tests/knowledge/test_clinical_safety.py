"""Clinical safety expectations, stated as a clinician would state them, checked as engine behaviour.

Each row is a short clinical vignette written from general clinical knowledge (red-flag
guidance for cauda equina syndrome, venous thromboembolism, acute limb ischaemia,
rhabdomyolysis, spinal infection, malignancy and trauma), not taken from any case file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from thighdx.engine import Evidence, posterior, triage
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS

SCREENING = ("saddle_numbness", "bladder_dysfunction", "chest_pain", "shortness_of_breath")
"""The questions everyone is asked before home care can be advised."""
NO_LUNG_SYMPTOMS = ("chest_pain", "shortness_of_breath", "coughing_blood", "fainting_or_racing_heart")
"""Asked of anyone with a suspected leg clot: without them a clot in the lungs is not excluded."""


@dataclass(frozen=True)
class Vignette:
    name: str
    age: int
    sex: str
    present: tuple[str, ...]
    absent: tuple[str, ...] = ()
    level: str | None = None
    """The exact level expected."""
    at_least: str | None = None
    """The lowest acceptable level (for flags whose level may rise with more findings)."""
    top: str | None = None
    in_top3: tuple[str, ...] = field(default=())

    def evidence(self, kb: KnowledgeBase) -> Evidence:
        answers = {f: "present" for f in self.present}
        answers.update({f: "absent" for f in self.absent})
        return Evidence.build(kb, self.age, self.sex, answers)


def rank(level: str) -> int:
    return LEVELS.index(level)


# --- Red flags: the level must be reached whatever else is likely -----------------------------
RED_FLAGS = [
    Vignette("saddle numbness on its own is suspected cauda equina syndrome", 45, "male",
             ("saddle_numbness",), level="emergency"),
    Vignette("new difficulty passing urine with low back pain", 39, "female",
             ("bladder_dysfunction", "pain_low_back"), level="emergency"),
    Vignette("new loss of bowel control with sciatica", 50, "male",
             ("bowel_dysfunction", "pain_low_back", "pain_below_knee", "pain_shooting_or_electric"),
             level="emergency"),
    Vignette("new sexual dysfunction with back and leg pain", 41, "male",
             ("sexual_dysfunction_new", "pain_low_back", "pain_buttock"), at_least="emergency"),
    Vignette("sciatica with saddle numbness and bladder change: cauda equina leads", 44, "female",
             ("pain_low_back", "pain_both_legs", "saddle_numbness", "bladder_dysfunction", "numbness_or_tingling"),
             level="emergency", top="cauda_equina_syndrome"),
    Vignette("chest pain with a swollen leg is a possible pulmonary embolism", 52, "female",
             ("chest_pain", "leg_swelling_one_side"), level="emergency_ambulance"),
    Vignette("breathlessness after recent surgery", 63, "male",
             ("shortness_of_breath", "recent_surgery_or_bed_rest"), level="emergency_ambulance"),
    Vignette("breathlessness with a painful calf after a long flight", 38, "female",
             ("shortness_of_breath", "pain_calf", "long_journey_recent"), level="emergency_ambulance",
             in_top3=("pulmonary_embolism",)),
    Vignette("coughing blood while on the pill", 29, "female",
             ("coughing_blood", "estrogen_pill_or_hrt"), level="emergency_ambulance"),
    Vignette("fainting with a swollen tender leg", 70, "male",
             ("fainting_or_racing_heart", "leg_swelling_one_side", "tender_along_deep_veins"),
             level="emergency_ambulance"),
    Vignette("chest pain with breathlessness, no leg signs", 55, "male",
             ("chest_pain", "shortness_of_breath"), level="emergency_ambulance"),
    Vignette("chest pain alone still needs the emergency department now", 48, "male",
             ("chest_pain",), at_least="emergency"),
    Vignette("cold pale leg with sudden severe pain is acute limb ischaemia", 74, "female",
             ("leg_cold_pale", "pain_sudden_severe_whole_leg"), level="emergency_ambulance",
             in_top3=("acute_limb_ischaemia",)),
    Vignette("cold pale leg with numbness in atrial fibrillation", 80, "male",
             ("leg_cold_pale", "numbness_or_tingling", "atrial_fibrillation"), level="emergency_ambulance"),
    Vignette("sudden loss of movement or feeling in the leg", 66, "male",
             ("leg_paralysis_or_loss_of_feeling_sudden",), level="emergency_ambulance"),
    Vignette("a cold pale leg on its own needs checking now", 68, "female",
             ("leg_cold_pale",), at_least="emergency"),
    Vignette("dark urine after unaccustomed exercise is rhabdomyolysis until proved otherwise", 26, "male",
             ("dark_urine_after_exercise", "onset_after_unaccustomed_exercise", "pain_both_legs",
              "pain_both_thighs_diffuse_ache"),
             level="emergency", in_top3=("exertional_rhabdomyolysis",)),
    Vignette("severe swollen thighs after a hard class, urine not checked", 31, "female",
             ("onset_after_unaccustomed_exercise", "pain_severe", "both_legs_swollen", "pain_both_legs"),
             at_least="consultation_24", in_top3=("exertional_rhabdomyolysis",)),
    Vignette("fever and back pain in someone who injects drugs", 36, "male",
             ("fever_or_chills", "pain_low_back", "injecting_drugs_or_immunosuppressed"), level="emergency"),
    Vignette("fever and back pain after a spinal injection", 58, "female",
             ("fever_or_chills", "pain_low_back", "recent_spinal_procedure_or_infection"), level="emergency"),
    Vignette("fever, back pain and new leg numbness", 47, "male",
             ("fever_or_chills", "pain_low_back", "numbness_or_tingling"), at_least="emergency"),
    Vignette("back pain after major trauma", 40, "male",
             ("major_trauma", "pain_low_back"), at_least="emergency"),
    Vignette("major trauma with leg numbness may be an unstable spine", 33, "female",
             ("major_trauma", "pain_low_back", "numbness_or_tingling"), level="emergency_ambulance"),
    Vignette("one swollen leg after a long journey is a suspected DVT", 57, "female",
             ("leg_swelling_one_side", "long_journey_recent", "pain_calf"), absent=NO_LUNG_SYMPTOMS, level="emergency",
             in_top3=("dvt",)),
    Vignette("whole leg swollen after surgery", 67, "male",
             ("whole_leg_swollen", "recent_surgery_or_bed_rest"), absent=NO_LUNG_SYMPTOMS, level="emergency"),
    Vignette("past cancer, back pain and leg weakness: possible cord compression", 64, "female",
             ("history_of_cancer", "pain_low_back", "leg_weakness"), level="emergency"),
    Vignette("past cancer, back pain and leg numbness: possible cord compression", 61, "male",
             ("history_of_cancer", "pain_low_back", "numbness_or_tingling"), level="emergency"),
    Vignette("current cancer with new back pain", 59, "female",
             ("active_cancer", "pain_low_back"), at_least="consultation_24"),
    Vignette("weakness getting worse in both legs", 52, "male",
             ("weakness_getting_worse", "pain_both_legs"), level="emergency"),
    Vignette("weakness getting worse in one leg", 45, "female",
             ("weakness_getting_worse", "pain_below_knee"), at_least="consultation_24"),
    Vignette("a pop at the sitting bone with bruising after a forced split", 42, "female",
             ("popping_sensation", "pain_at_sitting_bone", "bruising_back_of_thigh",
              "onset_forced_hip_flexion_knee_straight"),
             at_least="consultation_24", in_top3=("proximal_hamstring_avulsion",)),
    Vignette("pain at rest at night in known arterial disease", 72, "male",
             ("pain_at_night_or_rest", "known_peripheral_arterial_disease"), at_least="consultation_24"),
    Vignette("thin bones and new back pain", 76, "female",
             ("osteoporosis_or_long_term_steroids", "pain_low_back"), at_least="consultation_24"),
]


@pytest.mark.parametrize("case", RED_FLAGS, ids=lambda c: c.name)
def test_red_flags_reach_their_level(kb: KnowledgeBase, case: Vignette) -> None:
    evidence = case.evidence(kb)
    ranking = posterior(kb, evidence)
    result = triage(kb, evidence, ranking)
    if case.level is not None:
        assert result.level == case.level, result.reason(kb)
    if case.at_least is not None:
        assert rank(result.level) >= rank(case.at_least), result.reason(kb)
    ranked = [c for c, _ in ranking.ranked()]
    if case.top is not None:
        assert ranked[0] == case.top, ranked[:3]
    for condition in case.in_top3:
        assert condition in ranked[:3], ranked[:3]


# --- Common benign stories: the right cause, and no needless alarm ------------------------------
BENIGN = [
    Vignette("mild hamstring strain: no pop, no bruise, walking normally, screening clear", 23, "male",
             ("sudden_onset", "onset_during_sprint_or_kick", "pain_mid_thigh_point", "pain_stretching_hamstring"),
             absent=("popping_sensation", "bruising_back_of_thigh", "difficulty_walking", *SCREENING),
             level="self_care", top="hamstring_strain"),
    Vignette("hamstring tear with bruising and a limp is seen within days, not at home", 28, "male",
             ("sudden_onset", "onset_during_sprint_or_kick", "pain_mid_thigh_point", "bruising_back_of_thigh",
              "difficulty_walking"),
             absent=("pain_at_sitting_bone", *SCREENING),
             level="consultation", top="hamstring_strain"),
    Vignette("sciatica: shooting pain below the knee after lifting, worse on coughing", 40, "male",
             ("onset_after_lifting_or_bending", "pain_low_back", "pain_buttock", "pain_below_knee",
              "pain_shooting_or_electric", "leg_pain_worse_than_back", "pain_worse_cough_sneeze",
              "positive_straight_leg_raise"),
             absent=SCREENING, top="sciatica"),
    Vignette("neurogenic claudication: both legs, eased by sitting or bending forward", 74, "female",
             ("pain_both_legs", "pain_low_back", "pain_worse_walking_standing", "pain_relieved_sitting_bending_forward",
              "gradual_onset", "symptoms_over_6_weeks"),
             absent=("pain_relieved_standing_still", *SCREENING), top="lumbar_spinal_stenosis"),
    Vignette("vascular claudication: calf and buttock pain at a set distance, eased by standing still", 69, "male",
             ("smoker", "pain_calf", "pain_buttock", "pain_walking_fixed_distance", "pain_relieved_standing_still",
              "pain_worse_walking_standing", "gradual_onset"),
             absent=("pain_relieved_sitting_bending_forward", *SCREENING), level="consultation",
             top="vascular_claudication"),
    Vignette("muscle soreness two days after an unaccustomed workout, urine normal", 30, "female",
             ("onset_after_unaccustomed_exercise", "pain_both_legs", "pain_both_thighs_diffuse_ache", "pain_dull_ache"),
             absent=("dark_urine_after_exercise", "pain_severe", "both_legs_swollen", *SCREENING),
             level="self_care", top="exercise_induced_muscle_soreness"),
    Vignette("ache from long sitting that goes on standing up", 34, "male",
             ("prolonged_sitting_daily", "pain_worse_prolonged_sitting_only", "pain_relieved_by_standing_moving",
              "pain_dull_ache", "pain_both_thighs_diffuse_ache"),
             absent=("numbness_or_tingling", "pain_severe", *SCREENING),
             level="self_care", top="sitting_related_soreness"),
    Vignette("runner with months of deep sitting-bone pain", 39, "female",
             ("gradual_onset", "symptoms_over_6_weeks", "distance_runner", "pain_at_sitting_bone",
              "pain_worse_sitting", "pain_running_uphill_or_lunging"),
             absent=("sudden_onset", "popping_sensation", *SCREENING),
             level="consultation", top="proximal_hamstring_tendinopathy"),
]


@pytest.mark.parametrize("case", BENIGN, ids=lambda c: c.name)
def test_common_stories(kb: KnowledgeBase, case: Vignette) -> None:
    evidence = case.evidence(kb)
    ranking = posterior(kb, evidence)
    result = triage(kb, evidence, ranking)
    assert ranking.top == case.top, ranking.ranked()[:3]
    if case.level is not None:
        assert result.level == case.level, result.reason(kb)
    assert rank(result.level) < rank("emergency"), result.reason(kb)


def test_home_care_needs_the_screening_questions(kb: KnowledgeBase) -> None:
    """A mild strain is not sent home until the universal red-flag questions are answered."""
    evidence = Evidence.build(kb, 23, "male", {
        "onset_during_sprint_or_kick": "present", "pain_mid_thigh_point": "present",
        "popping_sensation": "absent", "bruising_back_of_thigh": "absent", "difficulty_walking": "absent",
    })
    assert triage(kb, evidence, posterior(kb, evidence)).level != "self_care"


# --- Every red-flag rule, matched on its own, sets at least its level ---------------------------
def test_every_red_flag_rule_sets_its_level(kb: KnowledgeBase) -> None:
    failures = []
    for flag in kb.triage.red_flags:
        when = flag.when
        answers = {f: "present" for f in [*when.present, *when.any_present[:1]]}
        answers.update({f: "absent" for f in when.absent})
        evidence = Evidence.build(kb, 50, "female", answers)
        result = triage(kb, evidence, posterior(kb, evidence))
        if flag.id not in result.rules or rank(result.level) < rank(flag.level):
            failures.append((flag.id, flag.level, result.level))
    assert not failures


# --- Red-flag messages say exactly what to do, in both languages --------------------------------
def test_red_flag_messages_name_the_action(kb: KnowledgeBase) -> None:
    for flag in kb.triage.red_flags:
        en, tr = flag.message.en, flag.message.tr
        if flag.level == "emergency_ambulance":
            assert "{number}" in en and "ambulance" in en, flag.id
            assert "{number}" in tr and "ambulans" in tr, flag.id
        elif flag.level == "emergency":
            assert "emergency department" in en, flag.id
            assert "acil servis" in tr, flag.id
        elif flag.level == "consultation_24":
            assert "24 hours" in en and "24 saat" in tr, flag.id
        # the number is the one the person chose, filled in where the text is shown
        assert not NUMBER.search(en) and not NUMBER.search(tr), flag.id


NUMBER = re.compile(r"\b(112|911|999)\b")


def test_no_text_hard_codes_an_emergency_number(kb: KnowledgeBase) -> None:
    """Care plans and level texts say {number}: every page fills it with the person's own number."""
    texts = [kb.triage.levels[level] for level in kb.triage.levels]
    for plan in kb.care.values():
        texts += [*plan.do_now, *plan.avoid, *plan.ergonomics]
        texts += [t for w in plan.safety_net for t in (w.change, w.action)]
    found = [t.en for t in texts if NUMBER.search(t.en)] + [t.tr for t in texts if NUMBER.search(t.tr)]
    assert not found, found


def test_level_texts(kb: KnowledgeBase) -> None:
    levels = kb.triage.levels
    assert "{number}" in levels["emergency_ambulance"].en and "{number}" in levels["emergency_ambulance"].tr
    assert "emergency department" in levels["emergency"].en and "acil servis" in levels["emergency"].tr


# --- Wells DVT (Wells 2003; NICE NG158 two-level) ------------------------------------------------
def test_wells_dvt_items_points_and_bands(kb: KnowledgeBase) -> None:
    wells = next(s for s in kb.scores.scores if s.id == "wells_dvt")
    items = {i.finding or i.derived: i.points for i in wells.items}
    assert items == {
        "active_cancer": 1, "leg_in_cast_or_immobilised": 1, "recent_surgery_or_bed_rest": 1,
        "tender_along_deep_veins": 1, "whole_leg_swollen": 1, "calf_swelling_over_3cm": 1,
        "pitting_oedema": 1, "dilated_superficial_veins": 1, "previous_dvt_or_pe": 1,
        "alternative_diagnosis_as_likely": -2,
    }
    bands = sorted(b.min for b in wells.bands)
    assert bands[-1] == 2, "two points or more is 'DVT likely'"
    likely = next(b for b in wells.bands if b.min == 2)
    assert "4 hours" in likely.advice.en and "4 saat" in likely.advice.tr


# --- Care plans: nothing harmful, and the safety net has levels ----------------------------------
def _texts(items: list) -> str:
    return " ".join(t.en.lower() for t in items)


def test_care_plans_avoid_what_harms(kb: KnowledgeBase) -> None:
    assert "massage" in _texts(kb.care["dvt"].avoid)
    assert "stretch" in _texts(kb.care["proximal_hamstring_avulsion"].avoid)
    rhabdo = kb.care["exertional_rhabdomyolysis"]
    assert "ibuprofen" in _texts(rhabdo.avoid)
    assert not rhabdo.exercises, "no exercise programme while muscle breakdown is suspected"
    assert not kb.care["proximal_hamstring_avulsion"].exercises, "no loading before the tendon is checked"
    strain = kb.care["hamstring_strain"]
    assert strain.why_different_from_rice is not None and "PEACE" in strain.why_different_from_rice.en
    for plan_id in ("dvt", "pulmonary_embolism", "acute_limb_ischaemia", "cauda_equina_syndrome"):
        assert not kb.care[plan_id].exercises, plan_id


def test_every_condition_plan_has_an_emergency_safety_net(kb: KnowledgeBase) -> None:
    for plan in kb.care.values():
        if plan.applies_to != "condition":
            continue
        assert plan.safety_net, plan.id
        assert any(rank(s.level) >= rank("emergency") for s in plan.safety_net), plan.id


# --- Codes and figures carry real sources -------------------------------------------------------
def test_codes_have_code_list_sources(kb: KnowledgeBase) -> None:
    for condition in kb.conditions.values():
        for _, code in condition.codes.all():
            assert code.src in kb.sources, (condition.id, code.code)
            assert kb.sources[code.src].kind == "code_list", (condition.id, code.code)


def test_red_flag_guidelines_exist(kb: KnowledgeBase) -> None:
    for flag in kb.triage.red_flags:
        assert flag.guideline in kb.sources, flag.id
