"""The storage layer on SQLite and PostgreSQL: migrations, durability settings, accounts, audit, rate counters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text, update

from thighdx.config import Settings
from thighdx.errors import InputError, NotFound
from thighdx.store import AuthError, Store
from thighdx.store.models import Answer, ClinicianToken, Interview
from thighdx.web import clinicians, interviews
from thighdx.web.ratelimit import RateLimiter


def test_migrations_create_every_table_and_are_idempotent(store: Store) -> None:
    store.migrate()
    tables = set(inspect(store.engine).get_table_names())
    assert {"interviews", "answers", "results", "clinicians", "clinician_tokens", "audit_log", "rate_limits", "alembic_version"} <= tables


def test_sqlite_is_wal_and_fully_synchronous(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite only")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_answers_are_stored_as_given_and_back_withdraws(store: Store) -> None:
    started = interviews.start_interview(store, 40, "male", "en")
    question = started.state.question
    assert question is not None
    state = interviews.answer(store, started.id, started.secret, question["id"], "absent")
    with store.read() as session:
        rows = session.scalars(select(Answer).where(Answer.interview_id == started.id)).all()
        assert [(r.finding_id, r.choice_id, r.source) for r in rows] == [(question["id"], "absent", "question")]
        stored = session.get(Interview, started.id)
        assert stored is not None and stored.secret_hash != started.secret and len(stored.secret_hash) == 64
    interviews.go_back(store, started.id, started.secret)
    with store.read() as session:
        row = session.scalars(select(Answer).where(Answer.interview_id == started.id)).one()
        assert row.withdrawn_at is not None  # kept, marked withdrawn
    assert state.questions_asked == 1
    with pytest.raises(NotFound):
        interviews.interview_state(store, started.id, "wrong")
    with pytest.raises(InputError):
        interviews.start_interview(store, 200, "male", "en")


def test_result_is_stored_with_its_level(store: Store) -> None:
    started = interviews.start_interview(store, 40, "female", "tr")
    data = interviews.interview_result(store, started.id, started.secret)
    with store.read() as session:
        row = session.get(Interview, started.id)
        assert row is not None and row.status == "finished" and row.triage_level == data["triage"]["level"]


def test_clinician_accounts_tokens_and_audit(store: Store) -> None:
    clinicians.create_clinician(store, "dr.a", "a long enough password")
    with pytest.raises(InputError):
        clinicians.create_clinician(store, "dr.a", "another long password")
    with pytest.raises(InputError):
        clinicians.create_clinician(store, "dr.b", "short")
    with pytest.raises(AuthError):
        clinicians.login(store, "dr.a", "wrong password")
    token = clinicians.login(store, "dr.a", "a long enough password")
    who = clinicians.authenticate(store, token)
    started = interviews.start_interview(store, 50, "male", "en")
    clinicians.clinician_view(store, who, started.id)
    with pytest.raises(NotFound):
        clinicians.clinician_view(store, who, "nope")
    actions = [(e["action"], e["interview_id"]) for e in clinicians.audit_entries(store)]
    assert actions[:2] == [("view", started.id), ("login", None)]
    with store.write() as session:
        session.execute(update(ClinicianToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    with pytest.raises(AuthError, match="expired"):
        clinicians.authenticate(store, token)
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM clinician_tokens WHERE token_hash = :t"), {"t": token}).scalar() == 0


def test_rate_counters_are_shared(store: Store) -> None:
    a, b = RateLimiter(store, 10, 0.0), RateLimiter(store, 10, 0.0)  # two workers, syncing on every request
    client, moment = RateLimiter.key("127.0.0.1"), 1_000_020.0
    verdicts = []
    for i in range(14):
        limiter = a if i % 2 else b
        limiter.count(client, moment)
        limiter.sync(client, moment)
        verdicts.append(limiter.allowed(client, moment)[0])
    assert verdicts.count(True) == 10


def test_settings_from_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env({"THIGHDX_DATA_DIR": str(tmp_path), "THIGHDX_RATE_LIMIT": "0",
                                  "THIGHDX_DATABASE_URL": "postgresql://u@h/db"})
    assert settings.rate_limit == 0 and settings.database_url == "postgresql+psycopg://u@h/db"
    assert Settings.from_env({"THIGHDX_DATA_DIR": str(tmp_path)}).db_url == f"sqlite:///{tmp_path / 'thighdx.db'}"
    with pytest.raises(InputError, match="THIGHDX_RATE_LIMIT"):
        Settings.from_env({"THIGHDX_RATE_LIMIT": "many"})
