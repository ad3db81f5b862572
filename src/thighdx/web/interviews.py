"""Stateful interviews: the functions both the API and the web pages call.

An interview is a row in `interviews` plus its answers, appended one by one to `answers` and
committed before the call returns. Every call reads the interview's row (any worker or host can
serve any request) and works out the step from its answers outside any write; the write is then
one short transaction, applied only if the row's `version` is still the one read (else the call
reads and works it out again). A process remembers the answers of the versions it saw, so a
step usually reads only the row. The person holds a secret; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import Connection, Table, bindparam, insert, select, update
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
        """The state as plain data (its lists and dicts shared with the state, not copied)."""
        data = {name: getattr(self, name) for name in STATE_FIELDS}
        data["created_at"] = aware(self.created_at).isoformat()
        data["expires_at"] = aware(self.expires_at).isoformat()
        return data


STATE_FIELDS = tuple(f.name for f in fields(InterviewState))


@dataclass(frozen=True)
class Started:
    id: str
    secret: str
    state: InterviewState = field(repr=False)


class StoredAnswer(NamedTuple):
    """One answer as stored, read as plain values."""

    finding_id: str
    choice_id: str
    source: str
    seq: int
    created_at: datetime


@dataclass(frozen=True)
class Stored:
    """An interview's answers at one version: those not withdrawn, in order, and the last seq used."""

    answers: tuple[StoredAnswer, ...]
    last_seq: int


class _Seen(NamedTuple):
    """What this process knows of an interview at one version (a view of its `_SEEN` entry)."""

    version: int
    stored: Stored
    head: Head | None
    """The interview's row as this process wrote it at that version, when it did (None: read it)."""
    shared: bool
    """Another process or host was found to change it: always read it first."""


_SEEN: dict[str, tuple[Any, ...]] = {}
"""The answers of the interviews this process served, by id, with their version: a step reads
only the interview's row when its version is the one seen here. The version changes with every
change of the answers, by any process or host, so an entry is either current or not used.

When this process made the latest change it knows the row too, and an answer or a result is
worked out from that without reading it: its write is applied only at that version, as every
write is, so if another process or host changed the interview meanwhile nothing is written and
the row is read and the change worked out again (and that interview is read first from then on).
What is not written (a repeated answer, an answer refused) is always confirmed by a read.

An entry is kept as plain tuples of strings, numbers and times (`(version, answers, last seq,
row or None, shared)`), which the garbage collector stops tracking: at SEEN_LIMIT entries of named
tuples and objects it had some 600,000 more objects to walk in each full collection, which then
took about 120 ms (measured under load, 64 people, in README.md), stalling every request."""
SEEN_LIMIT = 20_000


def _seen(interview_id: object) -> _Seen | None:
    entry = _SEEN.get(interview_id) if isinstance(interview_id, str) else None
    if entry is None:
        return None
    version, answers, last_seq, head, shared = entry
    return _Seen(version, Stored(tuple(map(StoredAnswer._make, answers)), last_seq), None if head is None else Head._make(head), shared)


def _seen_version(interview_id: str) -> int | None:
    entry = _SEEN.get(interview_id)
    return None if entry is None else int(entry[0])


def _remember(interview_id: str, version: int, stored: Stored, head: Head | None = None) -> None:
    old = _SEEN.get(interview_id)
    if old is None and len(_SEEN) >= SEEN_LIMIT:
        _SEEN.pop(next(iter(_SEEN)), None)  # the oldest entry
    shared = old is not None and old[4]
    _SEEN[interview_id] = (version, tuple(map(tuple, stored.answers)), stored.last_seq,
                           None if shared or head is None else tuple(head), shared)


def _shared(interview_id: str) -> None:
    """Another process or host changed the interview: from now on this process reads it first."""
    old = _SEEN.get(interview_id)
    if old is not None:
        _SEEN[interview_id] = (*old[:3], None, True)


def _cached(interview_id: object, secret: object) -> tuple[Head, Stored] | None:
    """The interview as this process last wrote it (its secret and expiry checked), or None."""
    entry = _SEEN.get(interview_id) if isinstance(interview_id, str) else None
    if entry is None or entry[3] is None or not isinstance(secret, str) or not secret:
        return None
    seen = _seen(interview_id)
    assert seen is not None and seen.head is not None
    return _checked(seen.head, secret), seen.stored


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


INTERVIEWS, ANSWERS = cast(Table, Interview.__table__), cast(Table, Answer.__table__)


class Head(NamedTuple):
    """An interview's row as a step reads it (plain values, no ORM object)."""

    id: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    age: float
    sex: str
    language: str
    status: str
    asking: str | None
    description: str | None
    version: int


READ_HEAD = select(*(INTERVIEWS.c[name] for name in Head._fields)).where(INTERVIEWS.c.id == bindparam("key"))
READ_ANSWERS = (select(INTERVIEWS.c.version, ANSWERS.c.finding_id, ANSWERS.c.choice_id, ANSWERS.c.source, ANSWERS.c.seq,
                       ANSWERS.c.created_at, ANSWERS.c.withdrawn_at)
                .select_from(INTERVIEWS.outerjoin(ANSWERS, ANSWERS.c.interview_id == INTERVIEWS.c.id))
                .where(INTERVIEWS.c.id == bindparam("key")).order_by(ANSWERS.c.seq))
INSERT_ANSWERS = insert(ANSWERS)
INSERT_INTERVIEW = insert(INTERVIEWS)

# The same reads and writes on PostgreSQL as plain statements through the driver
# (`Store.statements`): each write is one statement, so one round trip and one commit.
PG_READ_HEAD = f"SELECT {', '.join(Head._fields)} FROM interviews WHERE id = %s"
PG_READ_ANSWERS = ("SELECT i.version, a.finding_id, a.choice_id, a.source, a.seq, a.created_at, a.withdrawn_at FROM interviews i "
                   "LEFT JOIN answers a ON a.interview_id = i.id WHERE i.id = %s ORDER BY a.seq")
PG_ADD_ANSWERS = ("INSERT INTO answers (interview_id, seq, finding_id, choice_id, source, created_at) "
                  "SELECT head.id, a.seq, a.finding_id, a.choice_id, a.source, %(moment)s FROM head, "
                  "unnest(%(seqs)s::integer[], %(findings)s::varchar[], %(choices)s::varchar[], %(sources)s::varchar[]) "
                  "AS a(seq, finding_id, choice_id, source)")


@lru_cache(maxsize=4)
def _pg_change(columns: tuple[str, ...]) -> str:
    """One statement for a change of the answers: the row's columns and next version set only at the
    version expected, and only then the answers added and withdrawn; its one row counts the rows
    updated (0: another request changed the interview first, and nothing was written)."""
    assignments = ", ".join(f"{name} = %({name})s" for name in ("version", *columns))
    return (f"WITH head AS (UPDATE interviews SET {assignments} WHERE id = %(key)s AND version = %(expected)s RETURNING id), "
            f"added AS ({PG_ADD_ANSWERS}), "
            "withdrawn AS (UPDATE answers SET withdrawn_at = %(moment)s FROM head "
            "WHERE answers.interview_id = head.id AND answers.seq = ANY(%(withdraw)s::integer[])) "
            "SELECT count(*) FROM head")


@lru_cache(maxsize=2)
def _pg_start(columns: tuple[str, ...]) -> str:
    """One statement that inserts an interview's row and the readings of its text."""
    return (f"WITH head AS (INSERT INTO interviews ({', '.join(columns)}) VALUES ({', '.join(f'%({name})s' for name in columns)}) "
            f"RETURNING id) {PG_ADD_ANSWERS}")


PG_STORE_RESULT = (
    "WITH head AS (UPDATE interviews SET status = 'finished', triage_level = %(level)s, updated_at = %(moment)s "
    "WHERE id = %(key)s AND version = %(expected)s RETURNING id), "
    "stored AS (INSERT INTO results (interview_id, created_at, language, triage_level, top_condition, data) "
    "SELECT head.id, %(created_at)s, %(language)s, %(level)s, %(top_condition)s, %(data)s::json FROM head "
    "ON CONFLICT (interview_id) DO UPDATE SET created_at = excluded.created_at, language = excluded.language, "
    "triage_level = excluded.triage_level, top_condition = excluded.top_condition, data = excluded.data) "
    "SELECT (SELECT count(*) FROM head), EXISTS (SELECT 1 FROM results WHERE interview_id = %(key)s)")
"""The result stored and the interview marked finished in one statement, only at the version the
result was worked out from: (rows updated, whether a result was stored before)."""


def _answer_arrays(answers: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    return {"seqs": [a["seq"] for a in answers], "findings": [a["finding_id"] for a in answers],
            "choices": [a["choice_id"] for a in answers], "sources": [a["source"] for a in answers]}


@lru_cache(maxsize=4)
def _update_head(columns: tuple[str, ...]) -> Any:
    """UPDATE of an interview's row, setting `columns` and the next version, only at the version expected."""
    return (update(INTERVIEWS).where(INTERVIEWS.c.id == bindparam("key"), INTERVIEWS.c.version == bindparam("expected"))
            .values(version=bindparam("next_version"), **{name: bindparam(name) for name in columns}))


def _remembered(head: Head) -> Stored | None:
    """The interview's answers from this process's memory when it saw the row's version; None
    when they must be read (noting an interview another process or host has changed)."""
    version = _seen_version(head.id)
    if version == head.version:
        seen = _seen(head.id)
        assert seen is not None
        return seen.stored
    if version is not None:
        _shared(head.id)  # changed by another process or host
    return None


def _stored(connection: Connection, head: Head) -> Stored | None:
    """The interview's answers at the row's version: remembered, else read in one query with the
    version they belong to (withdrawn answers included, for the last seq). None when the answers
    read belong to another version (changed meanwhile)."""
    remembered = _remembered(head)
    if remembered is not None:
        return remembered
    return _stored_rows(head, connection.execute(READ_ANSWERS, {"key": head.id}).all())


def _stored_pg(cursor: Any, head: Head) -> Stored | None:
    """`_stored` on PostgreSQL, through a driver cursor."""
    remembered = _remembered(head)
    if remembered is not None:
        return remembered
    cursor.execute(PG_READ_ANSWERS, (head.id,))
    return _stored_rows(head, cursor.fetchall())


def _stored_rows(head: Head, rows: Sequence[Any]) -> Stored | None:
    """The answers read with the version they belong to (None when it is not the row's version)."""
    if not rows or rows[0][0] != head.version:
        return None
    rows = [r for r in rows if r[1] is not None]
    stored = Stored(tuple(StoredAnswer(r[1], r[2], r[3], r[4], aware(r[5])) for r in rows if r[6] is None), rows[-1][4] if rows else 0)
    _remember(head.id, head.version, stored)
    return stored


def _read(store: Store, interview_id: str, secret: str) -> tuple[Head, Stored]:
    """The interview's row and its answers at the row's version, read without a lock."""
    if not isinstance(interview_id, str) or not isinstance(secret, str) or not interview_id or not secret:
        raise NotFound("interview not found")
    postgres = store.dialect == "postgresql"
    for _ in range(CHANGE_ATTEMPTS):
        if postgres:
            with store.statements() as cursor:
                cursor.execute(PG_READ_HEAD, (interview_id,))
                head = _checked(cursor.fetchone(), secret)
                stored = _stored_pg(cursor, head)
        else:
            with store.reading() as connection:
                head = _checked(connection.execute(READ_HEAD, {"key": interview_id}).first(), secret)
                stored = _stored(connection, head)
        if stored is not None:
            return head, stored
    raise InterviewError("interview_id: the interview kept changing while it was read; try again")


def _checked(found: Any, secret: str) -> Head:
    """The interview's row read, if the secret is its own and it has not expired."""
    if found is None or not hmac.compare_digest(found[1], digest(secret)):
        raise NotFound("interview not found (unknown id or wrong secret)")
    head = Head(*found)
    if aware(head.expires_at) <= now():
        raise Expired("interview has expired; start a new one")
    return head


def _interview(kb: KnowledgeBase, row: Interview | Head, answers: Sequence[Answer | StoredAnswer]) -> CoreInterview:
    """The core interview for the stored answers: readings of the person's words and answers to questions, in order."""
    items = [(a.finding_id, a.choice_id, "text" if a.source == "text" else "answer") for a in answers if a.finding_id in kb.findings]
    asked = [a.finding_id for a in answers if a.source == "question" and a.finding_id in kb.findings]
    return CoreInterview.resume(kb, float(row.age), row.sex, row.language, items, asked)


def _state(kb: KnowledgeBase, row: Interview | Head, interview: CoreInterview, answers: Sequence[Answer | StoredAnswer]) -> InterviewState:
    step = interview.step()
    language = row.language
    findings = kb.findings
    return InterviewState(
        id=row.id, age=float(row.age), sex=row.sex, language=language,
        created_at=aware(row.created_at), expires_at=aware(row.expires_at),
        answers=[{"id": a.finding_id, "choice_id": a.choice_id, "source": a.source,
                  "label": findings[a.finding_id].label.get(language)} for a in answers if a.finding_id in findings],
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


def _step_columns(kb: KnowledgeBase, interview: CoreInterview) -> dict[str, Any]:
    """What the interview's row keeps of its latest step: the knowledge base that gave it, the level
    and leading cause (for the clinician list, finished or not) and the question being asked."""
    step = interview.step()
    provenance = kb_provenance(kb)
    return {"kb_version": provenance["version"], "kb_hash": provenance["hash"], "triage_level": step.triage.level,
            "top_condition": step.ranking.top,
            "asking": ",".join([step.question.finding, *step.question.items]) if step.question else ""}


def _rowcount(result: Any) -> int:
    """The rows an UPDATE matched."""
    return int(result.rowcount)


CHANGE_ATTEMPTS = 8
"""A change worked out from answers another request changed meanwhile is worked out again, up to
this many times (only the same person answering from two tabs at once gets there)."""


def _change(store: Store, head: Head, columns: dict[str, Any], insert_answers: Sequence[dict[str, Any]] = (),
            withdraw: tuple[int, ...] = (), moment: datetime | None = None) -> bool:
    """Store one change of the answers in one short transaction: the row's step columns and version
    (only if the version is still the one the change was worked out from), then the answers added
    or withdrawn. False, with nothing written, when another request changed the interview first."""
    if store.dialect == "postgresql":
        values = {**columns, "key": head.id, "expected": head.version, "version": head.version + 1,
                  "moment": moment or (insert_answers[0]["created_at"] if insert_answers else now()),
                  "withdraw": list(withdraw), **_answer_arrays(insert_answers)}
        with store.statements() as cursor:
            cursor.execute(_pg_change(tuple(columns)), values)
            return int(cursor.fetchone()[0]) == 1

    def write(connection: Connection) -> bool:
        values = {**columns, "key": head.id, "expected": head.version, "next_version": head.version + 1}
        if _rowcount(connection.execute(_update_head(tuple(columns)), values)) != 1:
            return False
        if insert_answers:
            connection.execute(INSERT_ANSWERS, list(insert_answers))
        if withdraw:
            connection.execute(update(ANSWERS).where(ANSWERS.c.interview_id == head.id, ANSWERS.c.seq.in_(withdraw))
                               .values(withdrawn_at=moment))
        return True

    return store.committed(write)


def start_interview(store: Store, age: object, sex: object, language: object = "en", text: object = None,
                    kb: KnowledgeBase | None = None) -> Started:
    """Create an interview; free text (optional) is parsed into answers and kept as written for the doctor's summary."""
    kb = kb or load_kb()
    core = CoreInterview.start(kb, age, sex, language, text)  # validates age, sex, language and text
    pairs = [(f, c) for f, c in core.evidence.answers.items() if f in core.evidence.text]
    interview_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    moment = now()
    values = {"id": interview_id, "secret_hash": digest(secret), "created_at": moment, "updated_at": moment,
              "expires_at": moment + timedelta(hours=store.settings.interview_ttl_hours), "age": core.evidence.age,
              "sex": core.evidence.sex, "language": core.language, "status": "open", "reference": reference_code(interview_id),
              "description": text.strip() or None if isinstance(text, str) else None, "version": 0, **_step_columns(kb, core)}
    head = Head(**{name: values[name] for name in Head._fields})
    answers = tuple(StoredAnswer(finding, choice, "text", seq, moment) for seq, (finding, choice) in enumerate(pairs, start=1))
    state = _state(kb, head, core, answers)  # worked out before the write, which only inserts
    rows = [{"interview_id": interview_id, "seq": a.seq, "finding_id": a.finding_id, "choice_id": a.choice_id, "source": "text",
             "created_at": moment} for a in answers]

    def write(connection: Connection) -> None:
        connection.execute(INSERT_INTERVIEW, values)
        if rows:
            connection.execute(INSERT_ANSWERS, rows)

    if store.dialect == "postgresql":
        with store.statements() as cursor:
            cursor.execute(_pg_start(tuple(values)), {**values, "moment": moment, **_answer_arrays(rows)})
    else:
        store.committed(write)
    _remember(interview_id, 0, Stored(answers, len(answers)), head)
    metrics.INTERVIEWS_STARTED.inc()
    return Started(interview_id, secret, state)


def interview_state(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    kb = kb or load_kb()
    head, stored = _read(store, interview_id, secret)
    return _state(kb, head, _interview(kb, head, stored.answers), stored.answers)


def answer(store: Store, interview_id: str, secret: str, finding_id: object, choice_id: object,
           kb: KnowledgeBase | None = None) -> InterviewState:
    """Record the answer to the question being asked (or one of its grouped items); committed on return.

    The step is worked out from the answers read, outside any write; the write is one update of the
    interview's head (only if no other request changed its answers since they were read) and one
    insert of the answer, in one transaction."""
    kb = kb or load_kb()
    if not isinstance(finding_id, str) or finding_id not in kb.findings:
        raise InputError("finding_id", f"unknown finding id {finding_id!r}")
    if choice_id not in CHOICES:
        raise InputError("choice_id", f"must be present, absent or unknown, got {choice_id!r}")
    choice = str(choice_id)
    for attempt in range(CHANGE_ATTEMPTS):
        cached = _cached(interview_id, secret) if attempt == 0 else None  # this process's own last write, unread
        head, stored = cached or _read(store, interview_id, secret)
        answers = stored.answers
        moment = now()
        fresh = StoredAnswer(finding_id, choice, "question", stored.last_seq + 1, moment)
        if finding_id in (head.asking or "").split(",") and not any(a.finding_id == finding_id and a.source == "question" for a in answers):
            # The question being asked was stored with the answers it follows: the answer is
            # checked against it, so the step is worked out once per answer, not twice.
            answers = (*answers, fresh)
            interview = _interview(kb, head, answers)
        else:
            interview = _interview(kb, head, answers)
            if interview.evidence.answered(finding_id) and interview.evidence.answers[finding_id] == choice:
                if cached:
                    continue  # nothing to write: confirmed from the database first
                return _state(kb, head, interview, answers)  # a repeated submission: nothing to do
            try:
                interview.answer(finding_id, choice)  # raises when it is not the question being asked
            except InterviewError:
                if cached:
                    continue  # refused only on what the database holds
                raise
            answers = (*answers, fresh)
        state = _state(kb, head, interview, answers)
        written = {"interview_id": interview_id, "seq": fresh.seq, "finding_id": finding_id, "choice_id": choice,
                   "source": "question", "created_at": moment}
        columns = {**_step_columns(kb, interview), "updated_at": moment}
        if _change(store, head, columns, [written]):
            _remember(interview_id, head.version + 1, Stored(answers, fresh.seq),
                      head._replace(version=head.version + 1, asking=columns["asking"]))
            return state
        if cached:
            _shared(interview_id)
    raise InterviewError("interview_id: the interview kept changing while this answer was stored; try again")


def answer_screen(store: Store, interview_id: str, secret: str, pairs: list[tuple[str, str]],
                  kb: KnowledgeBase | None = None) -> InterviewState:
    """Record the answers given on one screen (the question and its grouped items); committed on return."""
    kb = kb or load_kb()
    for _ in range(CHANGE_ATTEMPTS):
        head, stored = _read(store, interview_id, secret)
        interview = _interview(kb, head, stored.answers)
        fresh = [(f, c) for f, c in pairs if not interview.evidence.answered(f)]
        if not fresh:
            return _state(kb, head, interview, stored.answers)  # a repeated submission: nothing to do
        interview.answer_screen(fresh)  # checks every answer against the screen being asked
        moment = now()
        added = tuple(StoredAnswer(finding, choice, "question", stored.last_seq + 1 + offset, moment)
                      for offset, (finding, choice) in enumerate(fresh))
        answers = (*stored.answers, *added)
        state = _state(kb, head, interview, answers)
        written = [{"interview_id": interview_id, "seq": a.seq, "finding_id": a.finding_id, "choice_id": a.choice_id,
                    "source": "question", "created_at": moment} for a in added]
        if _change(store, head, {**_step_columns(kb, interview), "updated_at": moment}, written):
            _remember(interview_id, head.version + 1, Stored(answers, added[-1].seq))
            return state
    raise InterviewError("interview_id: the interview kept changing while these answers were stored; try again")


def go_back(store: Store, interview_id: str, secret: str, kb: KnowledgeBase | None = None) -> InterviewState:
    """Withdraw the last screen's answers (readings of the free text stay)."""
    kb = kb or load_kb()
    for _ in range(CHANGE_ATTEMPTS):
        head, stored = _read(store, interview_id, secret)
        last = next((a for a in reversed(stored.answers) if a.source == "question"), None)
        if last is None:
            raise InterviewError("interview_id: there is no answer to go back to")
        moment = now()
        screen = {a.seq for a in stored.answers if a.source == "question" and a.created_at == last.created_at}  # one screen's answers
        answers = tuple(a for a in stored.answers if a.seq not in screen)
        interview = _interview(kb, head, answers)
        state = _state(kb, head, interview, answers)
        if _change(store, head, {**_step_columns(kb, interview), "updated_at": moment, "status": "open"}, withdraw=tuple(sorted(screen)),
                   moment=moment):
            _remember(interview_id, head.version + 1, Stored(answers, stored.last_seq))
            return state
    raise InterviewError("interview_id: the interview kept changing while going back; try again")


def interview_result(store: Store, interview_id: str, secret: str, language: str | None = None,
                     kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The assessment so far (ranking, triage, care plan, summary); stored as the interview's result.

    Worked out from the answers read, outside any write; stored only if the answers did not change
    meanwhile (else worked out again)."""
    kb = kb or load_kb()
    for attempt in range(CHANGE_ATTEMPTS):
        cached = _cached(interview_id, secret) if attempt == 0 else None  # this process's own last write, unread
        head, stored = cached or _read(store, interview_id, secret)
        chosen = check_language(language or head.language)
        data = _result_data(kb, head, stored.answers, chosen)
        if _store_result(store, head, data, chosen):
            return data
        if cached:
            _shared(interview_id)
    raise InterviewError("interview_id: the interview kept changing while its result was stored; try again")


def result_data(kb: KnowledgeBase, session: Session, row: Interview, language: str) -> dict[str, Any]:
    """The assessment of an interview's answers so far, with the doctor's summary (nothing stored)."""
    return _result_data(kb, row, _answers(session, row.id), language)


def _result_data(kb: KnowledgeBase, row: Interview | Head, answers: Sequence[Answer | StoredAnswer], language: str) -> dict[str, Any]:
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


def _store_result(store: Store, row: Head, data: dict[str, Any], language: str) -> bool:
    """Store the result and mark the interview finished, in one short transaction, only if its
    answers are still those the result was worked out from (its version unchanged)."""
    level = data["triage"]["level"]
    moment = now()
    changed = {"created_at": moment, "language": language, "triage_level": level,
               "top_condition": data["conditions"][0]["id"] if data["conditions"] else None, "data": data}

    def write(connection: Connection) -> bool | None:
        """Whether the result was new (None: the interview changed meanwhile, nothing written)."""
        marked = connection.execute(FINISH, {"key": row.id, "expected": row.version, "level": level, "moment": moment})
        if _rowcount(marked) != 1:
            return None
        if _rowcount(connection.execute(REPLACE_RESULT, {"key": row.id, **changed})) == 1:
            return False
        connection.execute(INSERT_RESULT, {"interview_id": row.id, **changed})
        return True

    if store.dialect == "postgresql":
        with store.statements() as cursor:
            cursor.execute(PG_STORE_RESULT, {**changed, "key": row.id, "expected": row.version, "level": level, "moment": moment,
                                             "data": orjson.dumps(data).decode()})
            updated, existed = cursor.fetchone()
        new = None if updated != 1 else not existed
    else:
        new = store.committed(write)
    if new is None:
        return False
    if new:
        metrics.INTERVIEWS_BY_LEVEL.labels(level=level).inc()
    return True


RESULTS = cast(Table, Result.__table__)
FINISH = (update(INTERVIEWS).where(INTERVIEWS.c.id == bindparam("key"), INTERVIEWS.c.version == bindparam("expected"))
          .values(status="finished", triage_level=bindparam("level"), updated_at=bindparam("moment")))
REPLACE_RESULT = (update(RESULTS).where(RESULTS.c.interview_id == bindparam("key"))
                  .values({name: bindparam(name) for name in ("created_at", "language", "triage_level", "top_condition", "data")}))
INSERT_RESULT = insert(RESULTS)
