"""Backups as the README tells: `pg_dump -Fc` of a database with interviews, `pg_restore` into an
empty one, and the restored database serves the same interviews, answers and results."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.testing import TempPostgres, _bin
from thighdx.web import interviews

TEXT = "sharp pain behind my left thigh since sprinting yesterday, no numbness"


def _tool(name: str) -> str:
    path = _bin(name)
    if path is None:
        pytest.fail(f"{name} is not installed beside initdb")
    return path


def test_pg_dump_and_pg_restore_round_trip_interviews(postgres: TempPostgres, tmp_path: Path) -> None:
    source_url = postgres.new_database()
    source = Store(Settings(data_dir=tmp_path / "a", database_url=source_url))
    source.migrate()
    people = []
    for n in range(5):
        started = interviews.start_interview(source, 25 + n, "male" if n % 2 else "female", "en", TEXT)
        state = started.state
        for _ in range(3 + n):
            if state.question is None or state.should_stop:
                break
            state = interviews.answer(source, started.id, started.secret, state.question["id"], "absent")
        if n % 2 == 0:
            interviews.interview_result(source, started.id, started.secret)
        people.append((started.id, started.secret))
    before = {iid: interviews.interview_state(source, iid, secret).as_dict() for iid, secret in people}
    results = {iid: interviews.interview_result(source, iid, secret) for iid, secret in people}
    source.close()

    dump = tmp_path / "thighdx.dump"
    connection = ["-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres"]
    source_name = source_url.rsplit("/", 1)[1]
    subprocess.run([_tool("pg_dump"), *connection, "-Fc", "-f", str(dump), source_name], check=True, capture_output=True, timeout=120)
    assert dump.stat().st_size > 0
    target_url = postgres.new_database()  # an empty database, as after losing the server
    subprocess.run([_tool("pg_restore"), *connection, "--no-owner", "--exit-on-error", "-d", target_url.rsplit("/", 1)[1], str(dump)],
                   check=True, capture_output=True, timeout=120)

    target = Store(Settings(data_dir=tmp_path / "b", database_url=target_url))
    try:
        target.migrate()  # already at the newest revision: nothing to do
        for iid, secret in people:
            assert interviews.interview_state(target, iid, secret).as_dict() == before[iid]
            restored = interviews.interview_result(target, iid, secret)
            assert restored["answers_given"] == results[iid]["answers_given"]
            assert restored["triage"] == results[iid]["triage"] and restored["conditions"] == results[iid]["conditions"]
        # the restored database takes new answers (its sequences came back with it)
        iid, secret = people[-1]
        state = interviews.interview_state(target, iid, secret)
        if state.question is not None:
            interviews.answer(target, iid, secret, state.question["id"], "unknown")
        fresh = interviews.start_interview(target, 50, "female", "en", TEXT)
        assert interviews.interview_state(target, fresh.id, fresh.secret).id == fresh.id
    finally:
        target.close()
