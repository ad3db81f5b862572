"""`kb check` catches each kind of bad knowledge-base file, naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from thighdx.errors import KnowledgeError
from thighdx.knowledge.loader import DATA_DIR, check_kb, load_kb_from


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    kb, problems = check_kb(root)
    assert kb is None
    return problems


def test_packaged_knowledge_base_is_valid():
    kb, problems = check_kb()
    assert problems == []
    assert kb is not None


def test_probability_outside_open_interval(kb_copy):
    edit(kb_copy / "conditions" / "sciatica.yaml", lambda d: d["likelihoods"]["numbness_or_tingling"].update(p=1.0))
    [problem] = problems_of(kb_copy)
    assert "conditions/sciatica.yaml" in problem and "numbness_or_tingling" in problem and "outside (0, 1)" in problem


def test_condition_without_codes(kb_copy):
    edit(kb_copy / "conditions" / "dvt.yaml", lambda d: d.pop("codes"))
    [problem] = problems_of(kb_copy)
    assert "conditions/dvt.yaml" in problem and "codes" in problem


def test_condition_without_care_plan(kb_copy):
    (kb_copy / "care" / "piriformis_syndrome.yaml").unlink()
    assert any("piriformis_syndrome" in p and "care plan" in p for p in problems_of(kb_copy))


def test_red_flag_without_level(kb_copy):
    edit(kb_copy / "triage.yaml", lambda d: d["red_flags"][0].pop("level"))
    problems = problems_of(kb_copy)
    assert any("triage.yaml" in p and "level" in p for p in problems)


def test_figure_without_source(kb_copy):
    edit(kb_copy / "conditions" / "hamstring_strain.yaml", lambda d: d["likelihoods"]["sudden_onset"].pop("src"))
    problems = problems_of(kb_copy)
    assert any("hamstring_strain.yaml" in p and "sudden_onset" in p and "src" in p for p in problems)


def test_source_that_does_not_exist(kb_copy):
    edit(kb_copy / "conditions" / "hamstring_strain.yaml", lambda d: d["likelihoods"]["sudden_onset"].update(src="nowhere"))
    [problem] = problems_of(kb_copy)
    assert "'nowhere'" in problem and "sudden_onset" in problem


def test_reference_to_missing_finding(kb_copy):
    edit(kb_copy / "conditions" / "sciatica.yaml",
         lambda d: d["likelihoods"].update(no_such_finding={"p": 0.5, "src": d["prior"]["src"]}))
    [problem] = problems_of(kb_copy)
    assert "sciatica.yaml" in problem and "no_such_finding" in problem and "does not exist" in problem


def test_malformed_yaml(kb_copy):
    (kb_copy / "other.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    problems = problems_of(kb_copy)
    assert any("other.yaml" in p and "not valid YAML" in p for p in problems)


def test_incomplete_file_and_missing_translation(kb_copy):
    edit(kb_copy / "findings.yaml", lambda d: d["findings"][0]["question"].pop("tr"))
    problems = problems_of(kb_copy)
    assert any("findings.yaml" in p and "question.tr" in p for p in problems)


def test_unknown_key_is_rejected(kb_copy):
    edit(kb_copy / "conditions" / "sciatica.yaml", lambda d: d.update(prior_typo=0.1))
    problems = problems_of(kb_copy)
    assert any("prior_typo" in p for p in problems)


def test_load_raises_with_every_problem(kb_copy):
    (kb_copy / "care" / "piriformis_syndrome.yaml").unlink()
    (kb_copy / "scores.yaml").unlink()
    with pytest.raises(KnowledgeError) as info:
        load_kb_from(kb_copy)
    assert len(info.value.problems) >= 2


def test_adding_a_condition_needs_no_code(kb_copy):
    """A new condition file (and its care plan) is picked up by the engine as data."""
    from thighdx.engine import Evidence, posterior

    shutil.copy(kb_copy / "conditions" / "sciatica.yaml", kb_copy / "conditions" / "new_cause.yaml")
    edit(kb_copy / "conditions" / "new_cause.yaml", lambda d: d.update(id="new_cause"))

    def own_codes(d):  # a new cause carries its own codes: kb check refuses codes shared with sciatica
        d["codes"]["icd10_who"].update(code="M54.1", display="Radiculopathy")
        d["codes"]["icd10_cm"].update(code="M54.17", display="Radiculopathy, lumbosacral region")
        d["codes"]["snomed"].update(code="2415007", display="Lumbosacral radiculopathy (disorder)")

    edit(kb_copy / "conditions" / "new_cause.yaml", own_codes)
    shutil.copy(kb_copy / "care" / "sciatica.yaml", kb_copy / "care" / "new_cause.yaml")
    edit(kb_copy / "care" / "new_cause.yaml", lambda d: d.update(id="new_cause"))
    kb = load_kb_from(kb_copy)
    ranking = posterior(kb, Evidence.build(kb, 40, "male", {"pain_below_knee": "present"}))
    assert "new_cause" in ranking.condition_ids


def test_errors_cross_a_process_boundary_whole() -> None:
    """An error raised in a worker process (multiprocessing pickles it) arrives with its problems,
    not its message split into characters."""
    import pickle

    from thighdx.errors import InputError, KnowledgeError

    error = pickle.loads(pickle.dumps(KnowledgeError(["a.yaml: x: bad", "b.yaml: y: bad", "c", "d"])))
    assert error.problems == ["a.yaml: x: bad", "b.yaml: y: bad", "c", "d"] and str(error).startswith("4 problems: a.yaml")
    bad = pickle.loads(pickle.dumps(InputError("age", "must be a number")))
    assert (bad.field, bad.message, str(bad)) == ("age", "must be a number", "age: must be a number")
