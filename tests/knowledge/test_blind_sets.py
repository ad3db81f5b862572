"""Blind sets are frozen: each file matches the checksum committed before its first run."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLIND = Path(__file__).resolve().parents[1] / "data" / "blind"


def test_every_blind_set_matches_its_frozen_checksum():
    sums = {}
    for line in (BLIND / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    files = sorted(p.name for p in BLIND.glob("*.jsonl"))
    assert files and set(files) == set(sums), "every blind set is listed in SHA256SUMS, and only those"
    for name in files:
        assert hashlib.sha256((BLIND / name).read_bytes()).hexdigest() == sums[name], f"{name} changed after it was frozen"
