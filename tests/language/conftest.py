"""Helpers of the language tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from thighdx.evaluation.parse_quality import read_records
from thighdx.language.linear import LinearModel

DATA = Path(__file__).resolve().parents[1] / "data"


def _recorded_training(model: LinearModel, language: str) -> list[dict[str, Any]]:
    """The labelled texts a packaged model records it was trained on, each file checked against
    its recorded SHA-256 (a changed file fails: retrain the model)."""
    records: list[dict[str, Any]] = []
    for source in model.about["trained_on"]:
        path = DATA / source["file"] if source["file"] in {"parse_en.jsonl", "parse_tr.jsonl"} else DATA / "blind" / source["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"], f"{path.name} changed since the model was trained"
        records += [r for r in read_records(path) if r.get("language", language) == language]
    return records


@pytest.fixture
def recorded_training() -> Callable[[LinearModel, str], list[dict[str, Any]]]:
    return _recorded_training
