"""Condition codes: SNOMED CT ids by their check digit, complete ICD-10-CM codes, codes no two conditions share.

`kb check` enforces each rule; every test that edits a copy of the knowledge base shows a bad code refused
with the file and the field named.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from thighdx.knowledge.codes import (
    icd10_cm_problems,
    icd10_who_problems,
    snomed_concept_problems,
    verhoeff_check_digit,
    verhoeff_valid,
)
from thighdx.knowledge.loader import DATA_DIR, KnowledgeBase, check_kb
from thighdx.report import codes_dict, codes_line


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def set_code(root: Path, condition: str, field: str, **values: Any) -> None:
    path = root / "conditions" / f"{condition}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["codes"][field].update(values)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    kb, problems = check_kb(root)
    assert kb is None, "the edited knowledge base should be refused"
    return problems


# --- SNOMED CT: Verhoeff check digit and partition identifier -----------------------------------
@pytest.mark.parametrize("sctid", ["404223003", "23056005", "59282003", "192970008", "100211000119106"])
def test_known_concept_ids_pass(sctid: str) -> None:
    assert verhoeff_valid(sctid)
    assert verhoeff_check_digit(sctid[:-1]) == sctid[-1]
    assert snomed_concept_problems(sctid) == []


def test_a_wrong_check_digit_is_refused() -> None:
    [problem] = snomed_concept_problems("404223004")
    assert "Verhoeff" in problem and "404223003" in problem


def test_a_transposition_is_caught() -> None:
    """Verhoeff catches every swap of two adjacent digits, which a plain sum would miss."""
    assert not verhoeff_valid("402423003")


def test_an_id_that_fails_its_check_digit_in_a_published_value_set_is_refused() -> None:
    """76783986 is listed as 'Vaginal structure' in a Belgian value set; the valid id is 76784001."""
    assert any("Verhoeff" in p for p in snomed_concept_problems("76783986"))
    assert snomed_concept_problems("76784001") == []


def test_a_description_id_is_not_a_concept() -> None:
    """458585010 is a valid SCTID (check digit right) but its partition 01 marks a description."""
    assert verhoeff_valid("458585010")
    [problem] = snomed_concept_problems("458585010")
    assert "partition identifier 01" in problem and "description" in problem


@pytest.mark.parametrize("bad", ["", "0404223003", "40422300X", "12345"])
def test_malformed_ids_are_refused(bad: str) -> None:
    assert snomed_concept_problems(bad)


def test_kb_check_refuses_a_bad_snomed_check_digit(kb_copy: Path) -> None:
    set_code(kb_copy, "dvt", "snomed", code="404223004")
    problems = problems_of(kb_copy)
    assert any("conditions/dvt.yaml" in p and "codes.snomed" in p and "Verhoeff" in p for p in problems), problems


# --- ICD-10-CM: complete codes only ------------------------------------------------------------
def test_an_s_code_needs_its_seventh_character() -> None:
    """ICD-10-CM Official Guidelines I.C.19.a: injury codes carry a 7th character (A, D, S ...)."""
    assert icd10_cm_problems("S76.319A") == []
    [problem] = icd10_cm_problems("S76.311")
    assert "7th character" in problem
    assert icd10_cm_problems("S76.319Z")  # Z is no 7th character of chapter 19


@pytest.mark.parametrize("header", ["S76.31", "M76.89", "G57.0", "M54.3", "M79.65", "I82.40"])
def test_subcategories_are_not_complete_codes(header: str) -> None:
    [problem] = icd10_cm_problems(header)
    assert "subcategory" in problem


def test_kb_check_refuses_an_incomplete_injury_code(kb_copy: Path) -> None:
    """S76.31 (the audit's finding) is a subcategory: the strain needs S76.311-/S76.312-/S76.319- plus a 7th character."""
    set_code(kb_copy, "hamstring_strain", "icd10_cm", code="S76.31")
    problems = problems_of(kb_copy)
    assert any("hamstring_strain.yaml" in p and "codes.icd10_cm" in p and "not a complete code" in p for p in problems)


def test_kb_check_refuses_an_injury_code_without_seventh_character(kb_copy: Path) -> None:
    set_code(kb_copy, "hamstring_strain", "icd10_cm", code="S76.319")
    assert any("7th character" in p for p in problems_of(kb_copy))


def test_kb_check_refuses_an_incomplete_enthesopathy_code(kb_copy: Path) -> None:
    set_code(kb_copy, "proximal_hamstring_tendinopathy", "icd10_cm", code="M76.89")
    assert any("proximal_hamstring_tendinopathy.yaml" in p and "M76.899" in p for p in problems_of(kb_copy))


# --- WHO ICD-10 ---------------------------------------------------------------------------------
def test_a_clinical_modification_code_is_not_a_who_code() -> None:
    assert icd10_who_problems("M48.0") == []
    assert icd10_who_problems("M48.062")
    assert icd10_who_problems("S76.319A")


def test_kb_check_refuses_a_cm_code_labelled_who(kb_copy: Path) -> None:
    set_code(kb_copy, "lumbar_spinal_stenosis", "icd10_who", code="M48.062")
    assert any("codes.icd10_who" in p and "WHO ICD-10" in p for p in problems_of(kb_copy))


def test_a_code_filed_under_the_wrong_system_is_refused(kb_copy: Path) -> None:
    set_code(kb_copy, "sciatica", "icd10_who", system="ICD-10-CM")
    assert any("sciatica.yaml" in p and "icd10_who" in p and "WHO ICD-10" in p for p in problems_of(kb_copy))


# --- No two conditions share a code unless the system has no finer one --------------------------
def test_kb_check_refuses_a_shared_concept(kb_copy: Path) -> None:
    """Piriformis syndrome may not borrow sciatica's concept: G57.0 excludes sciatica."""
    set_code(kb_copy, "piriformis_syndrome", "snomed", code="23056005", display="Sciatica (disorder)")
    problems = problems_of(kb_copy)
    assert any("piriformis_syndrome.yaml" in p and "23056005" in p and "sciatica" in p for p in problems)
    assert any("sciatica.yaml" in p and "piriformis_syndrome" in p for p in problems)


def test_a_shared_code_with_a_reason_on_every_entry_is_accepted(kb_copy: Path) -> None:
    reason = "test: the system has no finer code"
    set_code(kb_copy, "piriformis_syndrome", "snomed", code="23056005", no_finer_code=reason)
    set_code(kb_copy, "sciatica", "snomed", no_finer_code=reason)
    kb, problems = check_kb(kb_copy)
    assert problems == [] and kb is not None


def test_a_reason_on_a_code_nobody_shares_is_refused(kb_copy: Path) -> None:
    set_code(kb_copy, "dvt", "icd10_cm", no_finer_code="stale")
    assert any("dvt.yaml" in p and "no other condition" in p for p in problems_of(kb_copy))


# --- The packaged knowledge base -----------------------------------------------------------------
def test_every_condition_is_coded_in_all_three_systems(kb: KnowledgeBase) -> None:
    for condition in kb.conditions.values():
        systems = [code.system for _, code in condition.codes.all()]
        assert systems == ["WHO ICD-10", "ICD-10-CM", "SNOMED CT"], condition.id
        for _, code in condition.codes.all():
            assert code.confirmed_by.startswith("https://"), (condition.id, code.code)


def test_pairs_the_audit_found_sharing_are_apart(kb: KnowledgeBase) -> None:
    c = kb.conditions
    assert c["piriformis_syndrome"].codes.snomed.code != c["sciatica"].codes.snomed.code
    assert c["exercise_induced_muscle_soreness"].codes.snomed.code != c["sitting_related_soreness"].codes.snomed.code
    strain, avulsion = c["hamstring_strain"].codes, c["proximal_hamstring_avulsion"].codes
    assert strain.snomed.code != avulsion.snomed.code
    assert (strain.icd10_who.code, strain.icd10_cm.code, strain.snomed.code) != (
        avulsion.icd10_who.code, avulsion.icd10_cm.code, avulsion.snomed.code)


def test_claudication_pairs_a_disease_code_with_a_disorder_concept(kb: KnowledgeBase) -> None:
    snomed = kb.conditions["vascular_claudication"].codes.snomed
    assert "(finding)" not in snomed.display


def test_closer_concepts_replace_the_broad_ones_the_audit_named(kb: KnowledgeBase) -> None:
    c = kb.conditions
    assert c["dvt"].codes.snomed.code == "404223003"  # DVT of lower extremity, not DVT
    assert c["hamstring_strain"].codes.snomed.code == "7523003"  # injury of thigh, not of lower limb
    assert c["acute_limb_ischaemia"].codes.snomed.code != "1386000"  # not 'occlusion of artery'
    assert c["si_joint_dysfunction"].codes.snomed.code != "785875003"  # not 'disorder of joint region'


# --- Readers label every system -----------------------------------------------------------------
def test_reports_label_each_system(kb: KnowledgeBase) -> None:
    codes = codes_dict(kb.conditions["dvt"].codes)
    assert codes["icd10_who"]["system"] == "WHO ICD-10" and codes["icd10_who"]["code"] == "I80.2"
    assert codes["icd10_cm"]["system"] == "ICD-10-CM" and codes["icd10_cm"]["code"] == "I82.409"
    assert codes["icd10"] == codes["icd10_who"], "the older key names the WHO code"
    assert codes_line(codes) == "WHO ICD-10 I80.2; ICD-10-CM I82.409; SNOMED CT 404223003"
