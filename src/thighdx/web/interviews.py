"""Stateful interviews: the functions both the API and the web pages call.

An interview is a row in `interviews` plus its answers, appended one by one to `answers` and
committed before the call returns. Nothing is kept in process memory between calls: every call
reloads the interview and asks the engine again, so any worker or host can serve any request.
The person holds a secret; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.questions import next_step
from thighdx.errors import InputError, InterviewError, NotFound
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.report import doctor_summary
from thighdx.store import Expired, Store
from thighdx.store.models import Answer, Interview, Result
from thighdx.web import metrics
from thighdx.web.service import check_language, full_assessment, question_dict, triage_dict

URGENT = ("emergency", "emergency_ambulance")
CHOICES = ("present", "absent", "unknown")


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class InterviewState:
    id: str
    age: float
    sex: str
    language: str
    created_at: datetime
    expires_at: datetime
    answers: list[dict[str, Any]]
    question: dict[str, Any] | None
    should_stop: bool
    finished: bool
    triage: dict[str, Any]
    urgent: bool
    questions_asked: int
    can_go_back: bool

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = aware(self.created_at).isoformat()
        data["expires_at"] = aware(self.expires_at).isoformat()
        return data


@dataclass(frozen=True)
class Started:
    id: str
    secret: str
    state: InterviewState = field(repr=False)


def _load(session: Session, interview_id: str, secret: str, lock: bool = False) -> Interview:
    if not isinstance(interview_id, str) or not isinstance(secret, str) or not interview_id or not secret:
        raise NotFound("interview not found")
    query = select(Interview).where(Interview.id == interview_id)
    if lock:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None or not hmac.compare_digest(row.secret_hash, digest(secret)):
        raise NotFound("interview not found (unknown id or wrong secret)")
    if aware(row.expires_at) <= now():
        raise Expired("interview has expired; start a new one")
    return row


def _answers(session: Session, interview_id: str) -> list[Answer]:
    query = select(Answer).where(Answer.interview_id == interview_id, Answer.withdrawn_at.is_(None)).order_by(Answer.seq)
    return list(session.scalars(query))


def _evidence(kb: KnowledgeBase, row: Interview, answers: list[Answer]) -> Evidence:
    return Evidence(age=float(row.age), sex=row.sex, answers={a.finding_id: a.choice_id for a in answers})


def _state(kb: KnowledgeBase, row: Interview, answers: list[Answer]) -> tuple[InterviewState, Any]:
    evidence = _evidence(kb, row, answers)
    ranking = posterior(kb, evidence)
    tri = triage(kb, evidence, ranking)
    asked = sum(1 for a in answers if a.source == "question")
    # the same step as the stateless API gives for these answers (budgets count every answer)
    step = next_step(kb, evidence, ranking, tri)
    language = row.language
    state = InterviewState(
        id=row.id, age=float(row.age), sex=row.sex, language=language,
        created_at=aware(row.created_at), expires_at=aware(row.expires_at),
        answers=[{"id": a.finding_id, "choice_id": a.choice_id, "source": a.source,
                  "label": kb.findings[a.finding_id].label.get(language)} for a in answers if a.finding_id in kb.findings],
        question=question_dict(kb, step, language, with_why=True),
        should_stop=bool(step.should_stop),
        finished=step.question is None or bool(step.should_stop),
        triage=triage_dict(kb, tri, language),
        urgent=tri.level in URGENT,
        questions_asked=asked,
        can_go_back=asked > 0,
    )
    row.asking = ",".join([step.question.finding, *step.question.items]) if step.question else ""
    return state, step


def _next_seq(session: Session, interview_id: str) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Answer.seq), 0)).where(Answer.interview_id == interview_id)) or 0) + 1


def start_interview(store: Store, age: object, sex: object, language: object = "en", text: object = None,
                    kb: KnowledgeBase | None = None) -> Started:
    """Create an interview; free text (optional) is parsed into answers and not stored."""
    kb = kb or load_kb()
    if not isinstance(language, str):
        raise InputError("language", f"must be 'en' or 'tr', got {language!r}")
    check_language(language)
    Evidence.build(kb, age, sex, [])  # validates age and sex
    pairs: list[tuple[str, str]] = []
    if text is not None:
        if not isinstance(text, str):
            raise InputError("text", "must be a string")
        from thighdx.language import parse

        seen: set[str] = set()
        for mention in parse(text, language):
            if mention.id in kb.findings and mention.id not in seen and mention.choice_id in CHOICES:
                seen.add(mention.id)
                pairs.append((mention.id, mention.choice_id))
    interview_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    moment = now()
    row = Interview(id=interview_id, secret_hash=digest(secret), created_at=moment, updated_at=moment,
                    expires_at=moment + timedelta(hours=store.settings.interview_ttl_hours),
                    age=float(age), sex=str(sex), language=language, status="open")  # type: ignore[arg-type]
    with store.write() as session:
        session.add(row)
        session.flush()
        for seq, (finding, choice) in enumerate(pairs, start=1):
            session.add(Answer(interview_id=interview_id, seq=seq, finding_id=finding, choice_id=choice, source="text", created_at=moment))
        session.flush()
        answers = _answers(session, interview_id)
        state, _ = _state(kb, row, answers)
    metrics.INTERVIEWS_STARTED.inc()
    return Started(interview_id, secret, state)


def interview_state(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    kb = kb or load_kb()
    with store.read() as session:
        row = _load(session, interview_id, secret)
        return _state(kb, row, _answers(session, interview_id))[0]


def answer(store: Store, interview_id: str, secret: str, finding_id: object, choice_id: object,
           kb: KnowledgeBase | None = None) -> InterviewState:
    """Record the answer to the question being asked (or one of its grouped items); committed on return."""
    kb = kb or load_kb()
    if not isinstance(finding_id, str) or finding_id not in kb.findings:
        raise InputError("finding_id", f"unknown finding id {finding_id!r}")
    if choice_id not in CHOICES:
        raise InputError("choice_id", f"must be present, absent or unknown, got {choice_id!r}")
    with store.write() as session:
        row = _load(session, interview_id, secret, lock=True)
        answers = _answers(session, interview_id)
        given = {a.finding_id: a.choice_id for a in answers}
        if finding_id in given:
            if given[finding_id] == choice_id:  # a repeated submission: nothing to do
                return _state(kb, row, answers)[0]
            raise InterviewError(f"finding_id: {finding_id!r} is already answered; go back to change it")
        asked = set((row.asking or "").split(","))
        if finding_id not in asked:  # recompute in case the stored question is stale (e.g. a new knowledge base)
            _, step = _state(kb, row, answers)
            asked = {step.question.finding, *step.question.items} if step.question else set()
            if not asked:
                raise InterviewError("finding_id: the interview has no question left to answer; go back to change an answer")
        if finding_id not in asked:
            raise InterviewError(f"finding_id: {finding_id!r} is not the question being asked")
        moment = now()
        session.add(Answer(interview_id=interview_id, seq=_next_seq(session, interview_id), finding_id=finding_id,
                           choice_id=str(choice_id), source="question", created_at=moment))
        row.updated_at = moment
        session.flush()
        return _state(kb, row, _answers(session, interview_id))[0]


def go_back(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    """Withdraw the last answer given to a question (answers from the free text stay)."""
    kb = kb or load_kb()
    with store.write() as session:
        row = _load(session, interview_id, secret, lock=True)
        answers = _answers(session, interview_id)
        last = next((a for a in reversed(answers) if a.source == "question"), None)
        if last is None:
            raise InterviewError("interview_id: there is no answer to go back to")
        moment = now()
        session.execute(update(Answer).where(Answer.id == last.id).values(withdrawn_at=moment))
        row.updated_at = moment
        row.status = "open"
        session.flush()
        return _state(kb, row, _answers(session, interview_id))[0]


def interview_result(store: Store, interview_id: str, secret: str, language: str | None = None,
                     kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The assessment so far (ranking, triage, care plan, summary); stored as the interview's result."""
    kb = kb or load_kb()
    with store.write() as session:
        row = _load(session, interview_id, secret, lock=True)
        return _store_result(kb, session, row, check_language(language or row.language))


def result_data(kb: KnowledgeBase, session: Session, row: Interview, language: str) -> dict[str, Any]:
    """The assessment of an interview's answers so far, with the doctor's summary (nothing stored)."""
    answers = _answers(session, row.id)
    evidence = _evidence(kb, row, answers)
    data = full_assessment(kb, evidence, language)
    data["interview_id"] = row.id
    data["summary"] = doctor_summary(kb, data, evidence.age, evidence.sex, language)
    data["answers_given"] = [{"id": a.finding_id, "choice_id": a.choice_id, "source": a.source} for a in answers]
    return data


def _store_result(kb: KnowledgeBase, session: Session, row: Interview, language: str) -> dict[str, Any]:
    data = result_data(kb, session, row, language)
    level = data["triage"]["level"]
    top = data["conditions"][0]["id"] if data["conditions"] else None
    existing = session.get(Result, row.id)
    moment = now()
    if existing is None:
        session.add(Result(interview_id=row.id, created_at=moment, language=language, triage_level=level, top_condition=top, data=data))
        metrics.INTERVIEWS_BY_LEVEL.labels(level=level).inc()
    else:
        existing.created_at, existing.language, existing.triage_level, existing.top_condition, existing.data = moment, language, level, top, data
    row.status, row.triage_level, row.updated_at = "finished", level, moment
    return data
