"""The command line, run as a real process, the way a person or a script runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

THIGHDX = str(Path(sys.executable).with_name("thighdx"))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([THIGHDX, *args], capture_output=True, text=True, input=stdin, timeout=120, env=env, check=False)


def test_assess_prints_causes_triage_and_care_plan():
    r = run("assess", "--age", "27", "--sex", "male", "--present",
            "sudden_onset,onset_during_sprint_or_kick,pain_mid_thigh_point,pain_stretching_hamstring",
            "--absent", "popping_sensation,bruising_back_of_thigh,difficulty_walking,saddle_numbness,"
            "bladder_dysfunction,chest_pain,shortness_of_breath")
    assert r.returncode == 0, r.stderr
    assert "Hamstring" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    for heading in ("Most likely causes", "How urgently", "What to do now", "Warning signs", "Summary for your doctor"):
        assert heading in r.stdout


def test_assess_json_and_turkish():
    r = run("assess", "--age", "60", "--sex", "female", "--present", "chest_pain,leg_swelling_one_side,calf_swelling_over_3cm",
            "--language", "tr", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["triage"]["level"] == "emergency_ambulance"
    assert data["conditions"][0]["name"] != data["conditions"][0]["id"]
    assert "chest_pain" in data["triage"]["red_flags"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--age", "130", "--sex", "male"], "age"),
        (["--age", "30", "--sex", "robot"], "sex"),
        (["--age", "30", "--sex", "male", "--present", "not_a_finding"], "not_a_finding"),
        (["--age", "30", "--sex", "male", "--present", "sudden_onset", "--absent", "sudden_onset"], "contradictory"),
        (["--age", "30", "--sex", "male", "--language", "de"], "language"),
    ],
)
def test_assess_bad_input_is_a_clear_error(args, needle):
    r = run("assess", *args)
    assert r.returncode != 0
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_evaluate_json_prints_exactly_one_object(public_cases_path):
    r = run("evaluate", str(public_cases_path), "--mode", "structured", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    for key in ("cases", "mode", "top1", "top3", "triage_exact", "under_triage", "over_triage", "emergency_recall",
                "self_care_recognised", "questions_mean", "questions_median", "questions_p95", "questions_max"):
        assert key in data
    assert data["per_condition"] and data["per_level"]


def test_evaluate_verbose_lists_misses(tmp_path, public_cases_path):
    line = json.loads(public_cases_path.read_text(encoding="utf-8").splitlines()[0])
    line["expected"]["condition"] = "dvt"
    case_file = tmp_path / "one.jsonl"
    case_file.write_text(json.dumps(line) + "\n", encoding="utf-8")
    r = run("evaluate", str(case_file), "--verbose", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["top1"] == 0.0
    assert "expected dvt" in r.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json\n", "not valid JSON"),
        ('{"id": "x", "age": 30, "sex": "male"}\n', "missing"),
        (('{"id": "x", "age": 30, "sex": "male", "evidence": {"nope": "present"}, '
          '"expected": {"condition": "dvt", "triage": "emergency"}}\n'), "nope"),
    ],
)
def test_evaluate_bad_case_file(tmp_path, content, needle):
    case_file = tmp_path / "bad.jsonl"
    case_file.write_text(content, encoding="utf-8")
    r = run("evaluate", str(case_file))
    assert r.returncode != 0
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_kb_check_passes_and_reports_problems(tmp_path):
    assert run("kb", "check").returncode == 0
    import shutil

    from thighdx.knowledge.loader import DATA_DIR

    shutil.copytree(DATA_DIR, tmp_path / "kb")
    (tmp_path / "kb" / "care" / "sciatica.yaml").unlink()
    r = run("kb", "check", str(tmp_path / "kb"))
    assert r.returncode == 1
    assert "conditions/sciatica.yaml" in r.stderr and "care plan" in r.stderr


def test_interview_driven_through_a_pipe():
    answers = "\n".join(["?"] * 40) + "\n"
    r = run("interview", "--age", "40", "--sex", "female", stdin=answers)
    assert r.returncode == 0, r.stderr
    assert "Question 1" in r.stdout
    assert "Most likely causes" in r.stdout


def test_interview_red_flag_gives_emergency_message_at_once():
    r = run("interview", "--age", "40", "--sex", "female", "--language", "en", stdin="1\nq\n")
    assert r.returncode == 0, r.stderr
    first = r.stdout.split("Question 2")[0]
    assert "EMERGENCY" in first


def test_interview_back_and_invalid_answer():
    r = run("interview", "--age", "40", "--sex", "male", stdin="b\nmaybe\nn\nb\nn\nq\n")
    assert r.returncode == 0, r.stderr
    assert "no earlier answer" in r.stdout
    assert "Please type the numbers that apply" in r.stdout  # the first screen is the red-flag checklist


def test_the_red_flag_checklist_is_one_screen_in_the_terminal():
    from thighdx.terminal import checklist_answers

    assert checklist_answers("n", 3) == ["absent"] * 3
    assert checklist_answers("?", 2) == ["unknown"] * 2
    assert checklist_answers("1, 3", 3) == ["present", "absent", "present"]
    assert checklist_answers("4", 3) is None and checklist_answers("yes", 3) is None
    r = run("interview", "--age", "40", "--sex", "female", "--language", "tr", stdin="h\nq\n")
    assert r.returncode == 0, r.stderr
    assert "Bunlardan herhangi biri sizde var mı?" in r.stdout
    assert "Soru 2" in r.stdout  # the whole checklist was one question
    assert "ACİL DURUM" not in r.stdout  # "none of these": no emergency banner
