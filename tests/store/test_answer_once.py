"""A stored answer works the step out once: the state it returns is the state the interview reloads to."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.errors import InterviewError
from thighdx.store import Store
from thighdx.web import interviews

TEXTS = ["sudden sharp pain in the back of my thigh while sprinting, I felt a pop",
         "pain behind my left thigh for three weeks, worse when sitting, no numbness", None]


def test_answer_state_equals_reloaded_state(tmp_path: Path) -> None:
    store = Store(Settings(data_dir=tmp_path / "data"))
    store.migrate()
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
                steps += 1
                if steps == 3:  # going back and answering again keeps them equal
                    state = interviews.go_back(store, started.id, started.secret)
                    assert state == interviews.interview_state(store, started.id, started.secret)
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
