"""The edit-impact gate (`thighdx kb impact`): it fails on an edit that drops an emergency and
passes on a harmless one. Public cases only and a small simulated population, to stay fast."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thighdx.evaluation.impact import compare, safety_problems
from thighdx.knowledge.loader import DATA_DIR, KnowledgeBase, load_kb_from

PEOPLE = 40


@pytest.fixture()
def kb_edit(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A temporary copy of the knowledge data, edited by `replace(file, old, new)`, then loaded."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)

    def edit(name: str, old: str, new: str) -> KnowledgeBase:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} not found once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return load_kb_from(root)

    return edit


SADDLE_RULE = "- id: saddle_numbness\n  when:\n    present:\n    - saddle_numbness\n  level: emergency\n"


def test_lowering_a_red_flag_rule_fails_the_gate(kb: KnowledgeBase, kb_edit, public_cases_path: Path) -> None:  # type: ignore[no-untyped-def]
    edited = kb_edit("triage.yaml", SADDLE_RULE, SADDLE_RULE.replace("level: emergency", "level: consultation_24"))
    result = compare(kb, edited, [public_cases_path], people=PEOPLE, seed=11)
    assert not result.passed
    assert any("saddle_numbness" in p for p in result.safety), result.safety
    # and a case at emergency for saddle numbness alone is caught as a lost emergency
    assert result.as_dict()["failures"]["safety"]


def test_lost_emergency_is_found_in_cases(kb: KnowledgeBase, kb_edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "one.jsonl"
    case.write_text(
        '{"id": "s1", "age": 45, "sex": "male", "text": "", "evidence": {"saddle_numbness": "present", '
        '"pain_low_back": "present"}, "expected": {"condition": "sciatica", "triage": "emergency"}}\n',
        encoding="utf-8",
    )
    edited = kb_edit("triage.yaml", SADDLE_RULE, SADDLE_RULE.replace("level: emergency", "level: consultation_24"))
    before = compare(kb, kb, [case], people=0)
    assert before.passed and not before.changes
    result = compare(kb, edited, [case], people=0, modes=("structured",))
    (changed,) = result.as_dict()["sets"][0]["changed"]
    assert changed["lost_emergency"] and changed["new_under_triage"]
    assert changed["before"]["level"] == "emergency" and changed["after"]["level"] == "consultation_24"
    assert changed["rules_stopped"] == ["saddle_numbness (emergency)"]
    assert changed["rules_started"] == ["saddle_numbness (consultation_24)"]
    assert not result.passed
    assert result.as_dict()["failures"]["lost_emergency"] == ["one.jsonl:s1"]


def test_a_harmless_edit_passes(kb: KnowledgeBase, kb_edit, public_cases_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Rewording what a red flag tells the person changes no case and breaks nothing."""
    said = SADDLE_RULE + "  message:\n    en: Numbness between the legs"
    edited = kb_edit("triage.yaml", said, said.replace("between the legs", "between your legs"))
    assert "between your legs" in next(f for f in edited.triage.red_flags if f.id == "saddle_numbness").message.en
    result = compare(kb, edited, [public_cases_path], people=PEOPLE, seed=11)
    assert result.passed, result.as_dict()["failures"]
    assert not result.changes
    assert result.base["hash"] != result.working["hash"]


def test_the_packaged_knowledge_base_keeps_its_safety_properties(kb: KnowledgeBase) -> None:
    assert safety_problems(kb, kb) == []
