"""The person's answers: age, sex and findings present, absent or unknown.

A finding may also be a reading of the person's own words (`source: "text"`, contract §5):
it counts as softer evidence than an answer (see `engine.model`), may be asked once to
confirm, and is replaced by the answer when it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from thighdx.errors import InputError
from thighdx.knowledge.loader import KnowledgeBase

Choice = Literal["present", "absent", "unknown"]
CHOICES: tuple[str, ...] = ("present", "absent", "unknown")
SOURCES: tuple[str, ...] = ("answer", "text")
SEXES: tuple[str, ...] = ("male", "female")
MIN_AGE, MAX_AGE = 0, 120


def _check(kb: KnowledgeBase, finding_id: str, choice: str) -> None:
    """A known finding with one of the three choices, or an error naming which is wrong."""
    if finding_id not in kb.findings:
        raise InputError("evidence", f"unknown finding id {finding_id!r}")
    if choice not in CHOICES:
        raise InputError("evidence", f"choice for {finding_id!r} must be present, absent or unknown, got {choice!r}")


@dataclass(frozen=True)
class Evidence:
    """Validated evidence; build it with `Evidence.build` so ids and values are checked.

    >>> ev = Evidence.build(kb, 34, "female", [("a_finding_id", "present")])
    >>> ev.choice("a_finding_id")
    'present'
    """

    age: float
    sex: str
    answers: Mapping[str, str] = field(default_factory=dict)
    text: frozenset[str] = frozenset()
    """Findings whose value in `answers` is a reading of the person's words, not yet confirmed."""

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        age: object,
        sex: object,
        answers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        text: Iterable[tuple[str, str]] = (),
    ) -> Evidence:
        """Check every value against the knowledge base and return frozen evidence.

        `text` holds readings of the person's words; an answer for the same finding replaces
        its reading (a confirmation that contradicts the text is not a contradiction)."""
        if isinstance(age, bool) or not isinstance(age, (int, float)) or not math.isfinite(age):
            raise InputError("age", f"must be a number of years, got {age!r}")
        if not MIN_AGE <= age <= MAX_AGE:
            raise InputError("age", f"must be between {MIN_AGE} and {MAX_AGE}, got {age!r}")
        if sex not in SEXES:
            raise InputError("sex", f"must be 'male' or 'female', got {sex!r}")
        pairs = answers if isinstance(answers, list) else answers.items() if isinstance(answers, Mapping) else answers
        findings = kb.findings
        checked: dict[str, str] = {}
        for finding_id, choice in pairs:
            if finding_id not in findings or choice not in CHOICES:
                _check(kb, finding_id, choice)
            if finding_id in checked:
                if checked[finding_id] != choice:
                    raise InputError(
                        "evidence",
                        f"contradictory answers for {finding_id!r}: {checked[finding_id]!r} and {choice!r}",
                    )
                raise InputError("evidence", f"finding {finding_id!r} is given twice")
            checked[finding_id] = choice
        readings: dict[str, str] = {}
        for finding_id, choice in text:
            if finding_id not in findings or choice not in CHOICES:
                _check(kb, finding_id, choice)
            if finding_id in readings and readings[finding_id] != choice:
                raise InputError("evidence", f"contradictory readings for {finding_id!r}: {readings[finding_id]!r} and {choice!r}")
            if finding_id not in checked:
                readings[finding_id] = choice
        if not readings:
            return cls(age=float(age), sex=str(sex), answers=checked)
        return cls(age=float(age), sex=str(sex), answers={**readings, **checked}, text=frozenset(readings))

    def choice(self, finding_id: str) -> str | None:
        """The answer given (or read) for a finding, or None when it was neither."""
        return self.answers.get(finding_id)

    def answered(self, finding_id: str) -> bool:
        """The person answered this finding's question (a reading of their words is not an answer)."""
        return finding_id in self.answers and finding_id not in self.text

    def with_answer(self, finding_id: str, choice: str) -> Evidence:
        """A copy with one more (or one changed) answer, which replaces a reading; ids are assumed valid."""
        answers = dict(self.answers)
        answers[finding_id] = choice
        return Evidence(age=self.age, sex=self.sex, answers=answers, text=self.text - {finding_id})

    def without(self, finding_id: str) -> Evidence:
        answers = {k: v for k, v in self.answers.items() if k != finding_id}
        return Evidence(age=self.age, sex=self.sex, answers=answers, text=self.text - {finding_id})

    @property
    def present(self) -> list[str]:
        return [k for k, v in self.answers.items() if v == "present"]

    @property
    def absent(self) -> list[str]:
        return [k for k, v in self.answers.items() if v == "absent"]
