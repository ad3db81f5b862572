"""The person's answers: age, sex and findings present, absent or unknown."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from thighdx.errors import InputError
from thighdx.knowledge.loader import KnowledgeBase

Choice = Literal["present", "absent", "unknown"]
CHOICES: tuple[str, ...] = ("present", "absent", "unknown")
SEXES: tuple[str, ...] = ("male", "female")
MIN_AGE, MAX_AGE = 0, 120


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

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        age: object,
        sex: object,
        answers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
    ) -> Evidence:
        """Check every value against the knowledge base and return frozen evidence."""
        if isinstance(age, bool) or not isinstance(age, (int, float)) or not math.isfinite(age):
            raise InputError("age", f"must be a number of years, got {age!r}")
        if not MIN_AGE <= age <= MAX_AGE:
            raise InputError("age", f"must be between {MIN_AGE} and {MAX_AGE}, got {age!r}")
        if sex not in SEXES:
            raise InputError("sex", f"must be 'male' or 'female', got {sex!r}")
        pairs = answers.items() if isinstance(answers, Mapping) else answers
        checked: dict[str, str] = {}
        for finding_id, choice in pairs:
            if finding_id not in kb.findings:
                raise InputError("evidence", f"unknown finding id {finding_id!r}")
            if choice not in CHOICES:
                raise InputError("evidence", f"choice for {finding_id!r} must be present, absent or unknown, got {choice!r}")
            if finding_id in checked:
                if checked[finding_id] != choice:
                    raise InputError(
                        "evidence",
                        f"contradictory answers for {finding_id!r}: {checked[finding_id]!r} and {choice!r}",
                    )
                raise InputError("evidence", f"finding {finding_id!r} is given twice")
            checked[finding_id] = choice
        return cls(age=float(age), sex=str(sex), answers=checked)

    def choice(self, finding_id: str) -> str | None:
        """The answer given for a finding, or None when it was not asked."""
        return self.answers.get(finding_id)

    def with_answer(self, finding_id: str, choice: str) -> Evidence:
        """A copy with one more (or one changed) answer; ids are assumed valid."""
        answers = dict(self.answers)
        answers[finding_id] = choice
        return Evidence(age=self.age, sex=self.sex, answers=answers)

    def without(self, finding_id: str) -> Evidence:
        answers = {k: v for k, v in self.answers.items() if k != finding_id}
        return Evidence(age=self.age, sex=self.sex, answers=answers)

    @property
    def present(self) -> list[str]:
        return [k for k, v in self.answers.items() if v == "present"]

    @property
    def absent(self) -> list[str]:
        return [k for k, v in self.answers.items() if v == "absent"]
