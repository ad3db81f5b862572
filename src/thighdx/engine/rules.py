"""Matching a knowledge-base `When` against a person's evidence."""

from __future__ import annotations

from thighdx.engine.evidence import Evidence
from thighdx.knowledge.schema import When


def matches(when: When, evidence: Evidence) -> bool:
    """True when the person's age, sex and answers satisfy every part of `when`.

    `present` and `absent` need the answer as said ("don't know" satisfies neither);
    `not_present` passes unless the finding was answered present.
    """
    get = evidence.answers.get
    for f in when.present:
        if get(f) != "present":
            return False
    if when.any_present:
        for f in when.any_present:
            if get(f) == "present":
                break
        else:
            return False
    for f in when.absent:
        if get(f) != "absent":
            return False
    for f in when.not_present:
        if get(f) == "present":
            return False
    return person_fits(when, evidence)


def person_fits(when: When, evidence: Evidence) -> bool:
    """The person's age and sex are within `when`'s limits."""
    if when.age_min is not None and evidence.age < when.age_min:
        return False
    if when.age_max is not None and evidence.age > when.age_max:
        return False
    return when.sex is None or evidence.sex == when.sex


def satisfiable(when: When, evidence: Evidence) -> bool:
    """Could `when` still match if the unanswered findings were answered as it needs?"""
    if not person_fits(when, evidence):
        return False
    answers = evidence.answers
    if any(f in answers and answers[f] != "present" for f in when.present):
        return False
    if any(f in answers and answers[f] != "absent" for f in when.absent):
        return False
    if when.any_present and all(f in answers and answers[f] != "present" for f in when.any_present):
        return False
    return not any(answers.get(f) == "present" for f in when.not_present)


def missing_to_match(when: When, evidence: Evidence) -> list[str] | None:
    """What `when` still needs answered present: its unanswered `present` findings, then, when
    none of `any_present` is present yet, their unanswered ones; None when it matches already or
    can no longer match (`matches`, `satisfiable`, in one pass)."""
    if not person_fits(when, evidence):
        return None
    answers = evidence.answers
    missing: list[str] = []
    for f in when.present:
        choice = answers.get(f)
        if choice is None:
            missing.append(f)
        elif choice != "present":
            return None
    open_absent = False
    for f in when.absent:
        choice = answers.get(f)
        if choice is None:
            open_absent = True
        elif choice != "absent":
            return None
    if when.any_present:
        unanswered: list[str] = []
        for f in when.any_present:
            choice = answers.get(f)
            if choice == "present":
                break
            if choice is None:
                unanswered.append(f)
        else:
            if not unanswered:
                return None
            missing += unanswered
    for f in when.not_present:
        if answers.get(f) == "present":
            return None
    return missing if missing or open_absent else None


def findings_of(when: When) -> list[str]:
    """Every finding id a `When` mentions."""
    return [*when.present, *when.any_present, *when.absent, *when.not_present]
