"""Provenance: every answer names the knowledge base that gave it (human version and content hash),
and every stored interview keeps it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.engine import Evidence, assess
from thighdx.knowledge.loader import DATA_DIR, KnowledgeBase, load_kb_from
from thighdx.knowledge.provenance import content_hash, human_version, kb_provenance
from thighdx.report import assessment_dict
from thighdx.store import Store
from thighdx.store.models import Interview, Result
from thighdx.web import interviews
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


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store(Settings(data_dir=tmp_path / "store", interview_ttl_hours=1, clinician_token_ttl_hours=1))
    store.migrate()
    yield store
    store.close()


def test_a_stored_interview_keeps_it(kb: KnowledgeBase, store: Store) -> None:
    expected = kb_provenance(kb)
    started = interviews.start_interview(store, 40, "female", "en", "pain at the back of my thigh", kb=kb)
    assert started.state.knowledge_base == expected
    assert started.state.as_dict()["knowledge_base"] == expected
    with store.read() as session:
        row = session.get(Interview, started.id)
        assert row is not None and (row.kb_version, row.kb_hash) == (expected["version"], expected["hash"])
    data = interviews.interview_result(store, started.id, started.secret, kb=kb)
    assert data["knowledge_base"] == expected
    with store.read() as session:
        result = session.get(Result, started.id)
        assert result is not None and result.data["knowledge_base"] == expected
