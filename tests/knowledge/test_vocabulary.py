"""The knowledge base's findings cover the shared vocabulary: same ids, kinds and red flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from thighdx.knowledge.loader import DATA_DIR
from thighdx.knowledge.schema import Finding, FindingsFile

VOCABULARY = Path(__file__).resolve().parents[3] / "shared" / "vocabulary.yaml"
UNIVERSAL_SCREENING = {"saddle_numbness", "bladder_dysfunction", "chest_pain", "shortness_of_breath"}


def _vocabulary() -> list[dict[str, Any]]:
    if not VOCABULARY.is_file():
        pytest.skip(f"shared vocabulary not found at {VOCABULARY}; it lives outside this repository")
    with VOCABULARY.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["findings"])


@pytest.fixture(scope="module")
def vocabulary() -> list[dict[str, Any]]:
    return _vocabulary()


@pytest.fixture(scope="module")
def findings() -> dict[str, Finding]:
    with (DATA_DIR / "findings.yaml").open(encoding="utf-8") as handle:
        parsed = FindingsFile.model_validate(yaml.safe_load(handle))
    return {finding.id: finding for finding in parsed.findings}


def test_every_vocabulary_id_is_a_finding(vocabulary: list[dict[str, Any]], findings: dict[str, Finding]) -> None:
    missing = sorted(entry["id"] for entry in vocabulary if entry["id"] not in findings)
    assert not missing, f"findings.yaml lacks vocabulary ids: {missing}"


def test_kinds_match_the_vocabulary(vocabulary: list[dict[str, Any]], findings: dict[str, Finding]) -> None:
    wrong = {
        entry["id"]: (findings[entry["id"]].kind, entry["kind"])
        for entry in vocabulary
        if entry["id"] in findings and findings[entry["id"]].kind != entry["kind"]
    }
    assert not wrong, f"kind differs (knowledge base, vocabulary): {wrong}"


def test_red_flags_match_the_vocabulary(vocabulary: list[dict[str, Any]], findings: dict[str, Finding]) -> None:
    wrong = {
        entry["id"]: (findings[entry["id"]].red_flag, bool(entry.get("red_flag", False)))
        for entry in vocabulary
        if entry["id"] in findings and findings[entry["id"]].red_flag != bool(entry.get("red_flag", False))
    }
    assert not wrong, f"red_flag differs (knowledge base, vocabulary): {wrong}"


def test_screening_policy_follows_red_flags(findings: dict[str, Finding]) -> None:
    for finding in findings.values():
        if finding.id in UNIVERSAL_SCREENING:
            assert finding.screen == "always", finding.id
        elif finding.red_flag:
            assert finding.screen == "by_risk", finding.id
        else:
            assert finding.screen == "never", finding.id


def test_findings_are_defined_once_with_known_groups() -> None:
    with (DATA_DIR / "findings.yaml").open(encoding="utf-8") as handle:
        parsed = FindingsFile.model_validate(yaml.safe_load(handle))
    ids = [finding.id for finding in parsed.findings]
    assert len(ids) == len(set(ids))
    groups = {group.id for group in parsed.groups}
    assert {finding.group for finding in parsed.findings} <= groups
