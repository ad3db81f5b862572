"""Provenance: every answer names the knowledge base that gave it (human version and content hash)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from thighdx.engine import Evidence, assess
from thighdx.knowledge.loader import DATA_DIR, KnowledgeBase, load_kb_from
from thighdx.knowledge.provenance import content_hash, human_version, kb_provenance
from thighdx.report import assessment_dict
from thighdx.web.service import diagnosis


def test_version_and_hash(kb: KnowledgeBase, tmp_path: Path) -> None:
    found = kb_provenance(kb)
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", found["version"]), found
    assert re.fullmatch(r"[0-9a-f]{64}", found["hash"])
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    assert content_hash(copy) == content_hash(DATA_DIR), "the hash depends on the files, not where they are"
    (copy / "triage.yaml").write_text((copy / "triage.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert content_hash(copy) != content_hash(DATA_DIR)
    (copy / "version.yaml").unlink()
    assert human_version(copy) == "unversioned"
    assert kb_provenance(load_kb_from(copy))["version"] == "unversioned"


def test_an_assessment_carries_it(kb: KnowledgeBase) -> None:
    evidence = Evidence.build(kb, 30, "male", {"onset_during_sprint_or_kick": "present"})
    data = assessment_dict(kb, assess(kb, evidence))
    assert data["knowledge_base"] == kb_provenance(kb)


def test_the_api_step_carries_it(kb: KnowledgeBase) -> None:
    data = diagnosis(kb, 30, "male", "en", [("onset_during_sprint_or_kick", "present", "answer")])
    assert data["knowledge_base"] == kb_provenance(kb)
