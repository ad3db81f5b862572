"""Source coverage of the deciding figures (`thighdx kb coverage`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from thighdx.knowledge.coverage import coverage, deciding_figures
from thighdx.knowledge.loader import DATA_DIR


def test_every_red_flag_and_prior_is_a_deciding_figure():
    figures = deciding_figures(DATA_DIR)
    triage = yaml.safe_load((DATA_DIR / "triage.yaml").read_text(encoding="utf-8"))
    flags = {f.where for f in figures if f.kind == "red_flag"}
    assert flags == {f"red_flags.{flag['id']}" for flag in triage["red_flags"]}
    conditions = list((DATA_DIR / "conditions").glob("*.yaml"))
    assert sum(f.kind == "prior" for f in figures) == len(conditions)
    assert sum(f.kind == "likelihood" for f in figures) == 5 * len(conditions)


def test_a_figure_relabelled_as_an_estimate_lowers_the_coverage(tmp_path: Path):
    copy = tmp_path / "kb"
    shutil.copytree(DATA_DIR, copy)
    before = coverage(copy)
    path = copy / "triage.yaml"
    triage = yaml.safe_load(path.read_text(encoding="utf-8"))
    cited = next(flag for flag in triage["red_flags"] if flag["guideline"] != "est-triage-combinations")
    cited["guideline"] = "est-triage-thresholds"  # a labelled estimate
    path.write_text(yaml.safe_dump(triage, allow_unicode=True), encoding="utf-8")
    after = coverage(copy)
    assert after["figures"] == before["figures"]
    assert after["sourced"] == before["sourced"] - 1
    assert any(u.startswith(f"red_flags.{cited['id']} ") for u in after["unsourced"])


def test_the_command_prints_one_json_object():
    done = subprocess.run([str(Path(sys.executable).with_name("thighdx")), "kb", "coverage", "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert 0 < data["sourced"] <= data["figures"] <= data["all_figures"]
    assert data["by_kind"]["red_flag"]["share"] == 1.0
