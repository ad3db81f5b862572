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

from thighdx.errors import InputError, InterviewError, NotFound
from thighdx.interview import Interview as CoreInterview
from thighdx.interview import check_language
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.provenance import kb_provenance
from thighdx.report import doctor_summary
from thighdx.store import Expired, Store
from thighdx.store.models import Answer, Interview, Result
from thighdx.web import metrics
from thighdx.web.service import full_assessment, question_dict, triage_dict

URGENT = ("emergency", "emergency_ambulance")
CHOICES = ("present", "absent", "unknown")


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand is not mistaken."""


def reference_code(interview_id: str) -> str:
    """A short code for an interview, the same everywhere (summary, PDF, clinician list): `TX-4K7M-9QPD`.

    Derived from the id (40 bits of its SHA-256), so it needs no storage and reveals nothing of the id."""
    number = int.from_bytes(hashlib.sha256(interview_id.encode()).digest()[:5], "big")
    letters = "".join(REFERENCE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"TX-{letters[:4]}-{letters[4:]}"


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
    settled: bool
    """A red flag already demands emergency care: stopping now is offered."""
    questions_asked: int
    questions_left: int
    """The engine's estimate of the questions still to come."""
    can_go_back: bool
    knowledge_base: dict[str, str] = field(default_factory=dict)
    """The knowledge base's version and content hash that gave this step."""

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


def _all_answers(session: Session, interview_id: str) -> list[Answer]:
    """Every answer of an interview, withdrawn ones included, in order."""
    return list(session.scalars(select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.seq)))


def _interview(kb: KnowledgeBase, row: Interview, answers: list[Answer]) -> CoreInterview:
    """The core interview for the stored answers: readings of the person's words and answers to questions, in order."""
    items = [(a.finding_id, a.choice_id, "text" if a.source == "text" else "answer") for a in answers if a.finding_id in kb.findings]
    asked = [a.finding_id for a in answers if a.source == "question" and a.finding_id in kb.findings]
    return CoreInterview.resume(kb, float(row.age), row.sex, row.language, items, asked)


def _state(kb: KnowledgeBase, row: Interview, interview: CoreInterview, answers: list[Answer]) -> InterviewState:
    step = interview.step()
    language = row.language
    state = InterviewState(
        id=row.id, age=float(row.age), sex=row.sex, language=language,
        created_at=aware(row.created_at), expires_at=aware(row.expires_at),
        answers=[{"id": a.finding_id, "choice_id": a.choice_id, "source": a.source,
                  "label": kb.findings[a.finding_id].label.get(language)} for a in answers if a.finding_id in kb.findings],
        question=question_dict(kb, step, language),
        should_stop=step.should_stop,
        finished=step.question is None or step.should_stop,
        triage=triage_dict(kb, step.triage, language),
        urgent=step.triage.level in URGENT,
        settled=step.settled,
        questions_asked=len(interview.asked),
        questions_left=step.questions_left,
        can_go_back=bool(interview.asked),
        knowledge_base=kb_provenance(kb),
    )
    row.kb_version, row.kb_hash = state.knowledge_base["version"], state.knowledge_base["hash"]
    row.triage_level, row.top_condition = step.triage.level, step.ranking.top  # for the clinician list, finished or not
    row.asking = ",".join([step.question.finding, *step.question.items]) if step.question else ""
    return state


def _next_seq(session: Session, interview_id: str) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Answer.seq), 0)).where(Answer.interview_id == interview_id)) or 0) + 1


def start_interview(store: Store, age: object, sex: object, language: object = "en", text: object = None,
                    kb: KnowledgeBase | None = None) -> Started:
    """Create an interview; free text (optional) is parsed into answers and kept as written for the doctor's summary."""
    kb = kb or load_kb()
    core = CoreInterview.start(kb, age, sex, language, text)  # validates age, sex, language and text
    pairs = [(f, c) for f, c in core.evidence.answers.items() if f in core.evidence.text]
    interview_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    moment = now()
    row = Interview(id=interview_id, secret_hash=digest(secret), created_at=moment, updated_at=moment,
                    expires_at=moment + timedelta(hours=store.settings.interview_ttl_hours),
                    age=core.evidence.age, sex=core.evidence.sex, language=core.language, status="open", reference=reference_code(interview_id),
                    description=text.strip() or None if isinstance(text, str) else None)
    with store.write() as session:
        session.add(row)
        session.flush()
        for seq, (finding, choice) in enumerate(pairs, start=1):
            session.add(Answer(interview_id=interview_id, seq=seq, finding_id=finding, choice_id=choice, source="text", created_at=moment))
        session.flush()
        state = _state(kb, row, core, _answers(session, interview_id))
    metrics.INTERVIEWS_STARTED.inc()
    return Started(interview_id, secret, state)


def interview_state(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    kb = kb or load_kb()
    with store.read() as session:
        row = _load(session, interview_id, secret)
        answers = _answers(session, interview_id)
        return _state(kb, row, _interview(kb, row, answers), answers)


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
        stored = _all_answers(session, interview_id)  # one query: the answers and the next seq
        answers = [a for a in stored if a.withdrawn_at is None]
        moment = now()
        fresh = Answer(interview_id=interview_id, seq=(stored[-1].seq if stored else 0) + 1, finding_id=finding_id,
                       choice_id=str(choice_id), source="question", created_at=moment)
        if finding_id in (row.asking or "").split(",") and not any(a.finding_id == finding_id and a.source == "question" for a in answers):
            # The question being asked was stored with the answers it follows (`_state`): the
            # answer is checked against it, so the step is worked out once per answer, not twice.
            answers.append(fresh)
            interview = _interview(kb, row, answers)
        else:
            interview = _interview(kb, row, answers)
            if interview.evidence.answered(finding_id) and interview.evidence.answers[finding_id] == choice_id:
                return _state(kb, row, interview, answers)  # a repeated submission: nothing to do
            interview.answer(finding_id, choice_id)  # raises when it is not the question being asked
            answers.append(fresh)
        session.add(fresh)
        row.updated_at = moment
        return _state(kb, row, interview, answers)  # the insert and the update are sent at commit


def answer_screen(store: Store, interview_id: str, secret: str, pairs: list[tuple[str, str]],
                  kb: KnowledgeBase | None = None) -> InterviewState:
    """Record the answers given on one screen (the question and its grouped items); committed on return."""
    kb = kb or load_kb()
    with store.write() as session:
        row = _load(session, interview_id, secret, lock=True)
        answers = _answers(session, interview_id)
        interview = _interview(kb, row, answers)
        fresh = [(f, c) for f, c in pairs if not interview.evidence.answered(f)]
        if not fresh:
            return _state(kb, row, interview, answers)  # a repeated submission: nothing to do
        interview.answer_screen(fresh)  # checks every answer against the screen being asked
        moment = now()
        seq = _next_seq(session, interview_id)
        for offset, (finding, choice) in enumerate(fresh):
            session.add(Answer(interview_id=interview_id, seq=seq + offset, finding_id=finding, choice_id=choice,
                               source="question", created_at=moment))
        row.updated_at = moment
        session.flush()
        return _state(kb, row, interview, _answers(session, interview_id))


def go_back(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    """Withdraw the last screen's answers (readings of the free text stay)."""
    kb = kb or load_kb()
    with store.write() as session:
        row = _load(session, interview_id, secret, lock=True)
        answers = _answers(session, interview_id)
        last = next((a for a in reversed(answers) if a.source == "question"), None)
        if last is None:
            raise InterviewError("interview_id: there is no answer to go back to")
        moment = now()
        screen = [a.id for a in answers if a.source == "question" and a.created_at == last.created_at]  # one screen's answers
        session.execute(update(Answer).where(Answer.id.in_(screen)).values(withdrawn_at=moment))
        row.updated_at = moment
        row.status = "open"
        session.flush()
        answers = _answers(session, interview_id)
        return _state(kb, row, _interview(kb, row, answers), answers)


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
    evidence = _interview(kb, row, answers).evidence
    data = full_assessment(kb, evidence, language)
    data["interview_id"] = row.id
    data["reference"] = reference_code(row.id)
    data["created_at"] = aware(row.created_at).isoformat()
    data["age"], data["sex"], data["language"] = row.age, row.sex, row.language
    data["description"] = row.description
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
