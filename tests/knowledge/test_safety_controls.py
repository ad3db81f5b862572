"""The controls of the clinical safety hazard log (docs/safety/hazard-log.md), one test each.

Each red-flag control is named by its rule id: the test fails if the rule is removed, loses a
finding that triggers it, or has its level lowered. The last tests keep the hazard log and
these tests in step: every test the log cites exists, and every control here is in the log.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from thighdx.engine import Evidence, posterior, triage
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "safety" / "hazard-log.md"


class Control(NamedTuple):
    hazard: str
    rule: str
    present: tuple[str, ...]
    level: str


CONTROLS = [
    # H1 deep vein thrombosis missed or sent too late
    Control("H1", "leg_swelling_one_side_with_clot_risk", ("leg_swelling_one_side", "long_journey_recent"), "emergency"),
    Control("H1", "whole_leg_swollen_with_clot_risk", ("whole_leg_swollen", "recent_surgery_or_bed_rest"), "emergency"),
    Control("H1", "calf_swelling_over_3cm_with_clot_risk", ("calf_swelling_over_3cm", "active_cancer"), "emergency"),
    Control("H1", "two_dvt_signs", ("pitting_oedema", "calf_swelling_over_3cm", "bruising_around_ankle"), "emergency"),
    Control("H1", "vein_tenderness_with_wells_risk", ("tender_along_deep_veins", "previous_dvt_or_pe"), "emergency"),
    Control("H1", "leg_swelling_one_side", ("leg_swelling_one_side",), "consultation_24"),
    Control("H1", "bakers_cyst_signs", ("fluid_down_calf_after_knee_swelling",), "consultation_24"),
    # H2 pulmonary embolism missed
    Control("H2", "chest_pain_with_clot_signs", ("chest_pain", "leg_swelling_one_side"), "emergency_ambulance"),
    Control("H2", "shortness_of_breath_with_clot_signs", ("shortness_of_breath", "pain_calf"), "emergency_ambulance"),
    Control("H2", "coughing_blood_with_clot_signs", ("coughing_blood", "estrogen_pill_or_hrt"), "emergency_ambulance"),
    Control(
        "H2",
        "fainting_or_racing_heart_with_clot_signs",
        ("fainting_or_racing_heart", "previous_dvt_or_pe"),
        "emergency_ambulance",
    ),
    Control("H2", "breathless_with_chest_symptoms", ("shortness_of_breath", "chest_pain"), "emergency_ambulance"),
    Control("H2", "chest_pain_with_haemoptysis_or_fainting", ("chest_pain", "coughing_blood"), "emergency_ambulance"),
    Control("H2", "chest_pain", ("chest_pain",), "emergency"),
    Control("H2", "shortness_of_breath", ("shortness_of_breath",), "emergency"),
    Control("H2", "coughing_blood", ("coughing_blood",), "emergency"),
    Control("H2", "fainting_or_racing_heart", ("fainting_or_racing_heart",), "emergency"),
    # H3 cauda equina syndrome missed
    Control("H3", "saddle_numbness", ("saddle_numbness",), "emergency"),
    Control("H3", "bladder_dysfunction", ("bladder_dysfunction",), "emergency"),
    Control("H3", "bowel_dysfunction", ("bowel_dysfunction",), "emergency"),
    Control("H3", "sexual_dysfunction_new", ("sexual_dysfunction_new",), "emergency"),
    Control(
        "H3",
        "both_legs_new_nerve_symptoms_with_back_pain",
        ("pain_both_legs", "pain_low_back", "numbness_or_tingling"),
        "emergency",
    ),
    Control("H3", "weakness_getting_worse_both_legs", ("weakness_getting_worse", "pain_both_legs"), "emergency"),
    # H4 acute limb ischaemia missed
    Control("H4", "cold_pale_leg_with_pain_or_numbness", ("leg_cold_pale", "numbness_or_tingling"), "emergency_ambulance"),
    Control("H4", "sudden_paralysis_or_loss_of_feeling", ("leg_paralysis_or_loss_of_feeling_sudden",), "emergency_ambulance"),
    Control(
        "H4", "sudden_severe_leg_pain_with_numbness", ("pain_sudden_severe_whole_leg", "leg_weakness"), "emergency_ambulance"
    ),
    Control("H4", "cold_pale_leg", ("leg_cold_pale",), "emergency"),
    Control("H4", "sudden_severe_whole_leg_pain", ("pain_sudden_severe_whole_leg",), "emergency"),
    # H5 progressive nerve damage
    Control("H5", "weakness_getting_worse_motor", ("weakness_getting_worse", "leg_weakness"), "emergency"),
    Control("H5", "weakness_getting_worse", ("weakness_getting_worse",), "consultation_24"),
    # H6 fracture or spinal injury after trauma, fragility fracture
    Control("H6", "major_trauma_with_neuro", ("major_trauma", "numbness_or_tingling"), "emergency_ambulance"),
    Control("H6", "major_trauma_with_back_pain", ("major_trauma", "pain_low_back"), "emergency"),
    Control("H6", "major_trauma", ("major_trauma",), "emergency"),
    Control("H6", "osteoporosis_back_pain", ("osteoporosis_or_long_term_steroids", "pain_low_back"), "consultation_24"),
    # H7 spinal infection or metastatic cord compression
    Control(
        "H7",
        "fever_back_pain_with_infection_risk",
        ("fever_or_chills", "pain_low_back", "injecting_drugs_or_immunosuppressed"),
        "emergency",
    ),
    Control(
        "H7",
        "weak_immunity_back_pain_unwell",
        ("injecting_drugs_or_immunosuppressed", "pain_low_back", "pain_at_night_or_rest"),
        "emergency",
    ),
    Control("H7", "weakness_getting_worse_with_fever", ("weakness_getting_worse", "fever_or_chills"), "emergency"),
    Control("H7", "fever_with_back_pain", ("fever_or_chills", "pain_low_back"), "consultation_24"),
    Control("H7", "fever_with_weak_immunity", ("fever_or_chills", "injecting_drugs_or_immunosuppressed"), "consultation_24"),
    Control("H7", "history_of_cancer_back_pain_with_neuro", ("history_of_cancer", "pain_low_back", "leg_weakness"), "emergency"),
    Control("H7", "active_cancer_back_pain_with_neuro", ("active_cancer", "pain_low_back", "numbness_or_tingling"), "emergency"),
    Control("H7", "weakness_getting_worse_with_cancer", ("weakness_getting_worse", "history_of_cancer"), "emergency"),
    Control(
        "H7", "cancer_back_pain_at_night", ("pain_low_back", "pain_at_night_or_rest", "history_of_cancer"), "consultation_24"
    ),
    Control("H7", "active_cancer_back_pain", ("active_cancer", "pain_low_back"), "consultation_24"),
    Control("H7", "weight_loss_with_cancer_history", ("unexplained_weight_loss", "history_of_cancer"), "consultation_24"),
    # H8 exertional rhabdomyolysis and kidney injury missed
    Control("H8", "dark_urine_after_exercise", ("dark_urine_after_exercise",), "emergency"),
    Control(
        "H8",
        "disproportionate_swelling_after_exercise",
        ("onset_after_unaccustomed_exercise", "pain_severe", "both_legs_swollen"),
        "consultation_24",
    ),
    # H9 tendon avulsion or threatened limb seen too late
    Control(
        "H9",
        "hamstring_avulsion_signs",
        ("popping_sensation", "pain_at_sitting_bone", "bruising_back_of_thigh"),
        "consultation_24",
    ),
    Control(
        "H9", "rest_pain_with_arterial_disease", ("pain_at_night_or_rest", "known_peripheral_arterial_disease"), "consultation_24"
    ),
    Control(
        "H9", "sores_with_claudication", ("shiny_hairless_skin_or_slow_healing_sores", "weak_foot_pulses"), "consultation_24"
    ),
]


def _rank(level: str) -> int:
    return LEVELS.index(level)


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"{c.hazard}-{c.rule}")
def test_control(kb: KnowledgeBase, control: Control) -> None:
    """The rule exists at (at least) its level and, on its vignette, fires and sets that level."""
    flags = {f.id: f for f in kb.triage.red_flags}
    assert control.rule in flags, f"hazard control {control.rule} removed"
    assert _rank(flags[control.rule].level) >= _rank(control.level), (control.rule, flags[control.rule].level)
    evidence = Evidence.build(kb, 50, "female", {f: "present" for f in control.present})
    result = triage(kb, evidence, posterior(kb, evidence))
    assert control.rule in result.rules, (control.rule, result.rules)
    assert _rank(result.level) >= _rank(control.level), (control.rule, result.level)


def _cited_tests(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in re.finditer(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^`]*\])?`", text)}


def test_hazard_log_cites_only_tests_that_exist() -> None:
    text = HAZARD_LOG.read_text(encoding="utf-8")
    cited = _cited_tests(text)
    assert cited, "the hazard log cites no tests"
    missing = []
    for path, name in sorted(cited):
        file = ROOT / path
        names = (
            {n.name for n in ast.walk(ast.parse(file.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)}
            if file.exists()
            else set()
        )
        if name not in names:
            missing.append(f"{path}::{name}")
    assert not missing, missing


def test_every_control_here_is_in_the_hazard_log() -> None:
    text = HAZARD_LOG.read_text(encoding="utf-8")
    absent = [f"{c.hazard}-{c.rule}" for c in CONTROLS if f"test_control[{c.hazard}-{c.rule}]" not in text]
    assert not absent, absent
