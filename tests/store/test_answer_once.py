"""A stored answer works the step out once: the state it returns is the state the interview reloads to."""

from __future__ import annotations

import gc
import random
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.errors import InterviewError
from thighdx.store import Store
from thighdx.store.models import Interview, Result
from thighdx.web import interviews

TEXTS = ["sudden sharp pain in the back of my thigh while sprinting, I felt a pop",
         "pain behind my left thigh for three weeks, worse when sitting, no numbness", None]


def test_answer_state_equals_reloaded_state(store: Store) -> None:
    """On SQLite and on PostgreSQL (whose writes are each one statement), read back from the
    database, not from the process's memory of the answers."""
    try:
        for n in range(6):
            rng = random.Random(n)
            started = interviews.start_interview(store, 20 + 9 * n, "male" if n % 2 else "female", "en", TEXTS[n % 3])
            state = started.state
            steps = 0
            while state.question is not None and not state.should_stop and steps < 40:
                finding = state.question["id"]
                state = interviews.answer(store, started.id, started.secret, finding, rng.choice(["present", "absent", "unknown"]))
                assert state == interviews.interview_state(store, started.id, started.secret)
                assert state == _reloaded(store, started.id, started.secret)
                steps += 1
                if steps == 3:  # going back and answering again keeps them equal
                    state = interviews.go_back(store, started.id, started.secret)
                    assert state == _reloaded(store, started.id, started.secret)
            assert steps > 0
            if state.answers:
                last = next((a for a in reversed(state.answers) if a["source"] == "question"), None)
                if last is not None:  # a repeated submission changes nothing; another choice is refused
                    assert interviews.answer(store, started.id, started.secret, last["id"], last["choice_id"]) == state
                    other = next(c for c in interviews.CHOICES if c != last["choice_id"])
                    with pytest.raises(InterviewError):
                        interviews.answer(store, started.id, started.secret, last["id"], other)
    finally:
        store.close()


def _reloaded(store: Store, interview_id: str, secret: str) -> interviews.InterviewState:
    """The state worked out from the answers as stored (this process's memory of them set aside)."""
    interviews._SEEN.pop(interview_id, None)
    return interviews.interview_state(store, interview_id, secret)


def test_result_stored_once_and_marks_the_interview_finished(store: Store) -> None:
    started = interviews.start_interview(store, 41, "male", "en", TEXTS[0])
    first = interviews.interview_result(store, started.id, started.secret)
    again = interviews.interview_result(store, started.id, started.secret, "tr")  # stored again, in another language
    assert again["language"] == "en" and again["interview_id"] == first["interview_id"] == started.id
    with store.read() as session:
        row = session.get(Interview, started.id)
        stored = session.get(Result, started.id)
        assert row is not None and stored is not None
        assert row.status == "finished" and row.triage_level == first["triage"]["level"] == stored.triage_level
        assert stored.language == "tr" and stored.data["interview_id"] == started.id
        assert stored.data["conditions"] == again["conditions"]
    state = interviews.answer(store, started.id, started.secret, started.state.question["id"], "absent")
    assert [a["id"] for a in state.answers][-1] == started.state.question["id"]  # a finished interview can still be answered


def test_a_change_worked_out_from_an_old_version_is_not_written(store: Store) -> None:
    started = interviews.start_interview(store, 30, "female", "en", TEXTS[1])
    head, stored = interviews._read(store, started.id, started.secret)
    question = started.state.question["id"]
    interviews.answer(store, started.id, started.secret, question, "absent")
    row = {"interview_id": started.id, "seq": stored.last_seq + 1, "finding_id": question, "choice_id": "present",
           "source": "question", "created_at": interviews.now()}
    assert not interviews._change(store, head, {"updated_at": interviews.now()}, [row])  # the version moved on
    assert [(a["id"], a["choice_id"]) for a in _reloaded(store, started.id, started.secret).answers][-1] == (question, "absent")


def test_what_this_process_remembers_is_checked_against_the_database(store: Store) -> None:
    """An answer or a result worked out from this process's own last write, without reading, is
    written only at that version: when another host changed the interview meanwhile, it is read
    and worked out again; what is not written (a repeated answer, a refusal) is confirmed by a read."""
    started = interviews.start_interview(store, 52, "female", "en", TEXTS[1])
    first = started.state.question["id"]
    interviews.answer(store, started.id, started.secret, first, "absent")
    memory = interviews._SEEN[started.id]
    seen = interviews._seen(started.id)
    assert seen is not None and seen.head is not None and seen.version == 1
    interviews.go_back(store, started.id, started.secret)  # as another host would, unseen by this process
    interviews._SEEN[started.id] = memory
    # The same answer again is not a repetition: the database no longer holds it, so it is stored.
    state = interviews.answer(store, started.id, started.secret, first, "absent")
    assert state == _reloaded(store, started.id, started.secret) and (first, "absent") in [(a["id"], a["choice_id"]) for a in state.answers]
    interviews.go_back(store, started.id, started.secret)
    changed = interviews.answer(store, started.id, started.secret, first, "present")
    memory = (interviews._SEEN[started.id][0] - 2, *memory[1:])  # this process's memory, two changes old
    interviews._SEEN[started.id] = memory
    with pytest.raises(InterviewError):  # refused on what the database holds (answered "present"), not on the memory
        interviews.answer(store, started.id, started.secret, first, "unknown")
    interviews._SEEN[started.id] = memory
    result = interviews.interview_result(store, started.id, started.secret)  # the write at the old version fails: read again
    assert (first, "present") in [(a["id"], a["choice_id"]) for a in result["answers_given"]]
    assert result["answers_given"] == [{"id": a["id"], "choice_id": a["choice_id"], "source": a["source"]} for a in changed.answers]
    seen = interviews._seen(started.id)
    assert seen is not None and seen.shared and seen.head is None
    # From then on this interview is read first.
    following = interviews.answer(store, started.id, started.secret, changed.question["id"], "absent")
    assert following == _reloaded(store, started.id, started.secret)


def test_the_memory_holds_at_most_its_limit(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    monkeypatch.setattr(interviews, "SEEN_LIMIT", 3)
    monkeypatch.setattr(interviews, "_SEEN", {})
    ids = [interviews.start_interview(store, 30, "male", "en", None).id for _ in range(5)]
    assert list(interviews._SEEN) == ids[2:]


def test_the_memory_gives_the_garbage_collector_nothing_to_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full memory (SEEN_LIMIT interviews of some 25 answers) adds no object the collector
    tracks: each full collection would otherwise walk every answer of every interview."""
    monkeypatch.setattr(interviews, "_SEEN", {})
    moment = interviews.now()
    entries = []
    for n in range(2000):
        answers = tuple(interviews.StoredAnswer(f"finding_{i}", "absent", "question", i + 1, moment) for i in range(25))
        head = interviews.Head(f"id{n}", "0" * 64, moment, moment, 30.0, "male", "en", "open", "finding_0", None, 25)
        entries.append((f"id{n}", interviews.Stored(answers, 25), head))
    gc.collect()
    before = len(gc.get_objects())
    for interview_id, stored, head in entries:
        interviews._remember(interview_id, 25, stored, head)
    del entries, answers, head, stored
    gc.collect()
    assert len(gc.get_objects()) - before < 100  # 2,000 entries; some 60,000 objects as named tuples
    seen = interviews._seen("id7")
    assert seen is not None and seen.stored.answers[3] == ("finding_3", "absent", "question", 4, moment) and seen.head is not None
    assert seen.stored.answers[3].finding_id == "finding_3" and seen.head.version == 25


def test_answer_to_a_question_not_asked_is_refused(tmp_path: Path) -> None:
    store = Store(Settings(data_dir=tmp_path / "data"))
    store.migrate()
    try:
        started = interviews.start_interview(store, 30, "female", "en", None)
        items = started.state.question.get("items") or []
        asking = {started.state.question["id"], *(i["id"] if isinstance(i, dict) else i for i in items)}
        other = next(f for f in ("popping_sensation", "sudden_onset", "bruising") if f not in asking)
        with pytest.raises(InterviewError):
            interviews.answer(store, started.id, started.secret, other, "present")
        assert interviews.interview_state(store, started.id, started.secret).answers == started.state.answers
    finally:
        store.close()
