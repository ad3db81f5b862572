"""The adaptive interview: one object that the API, the pages, the terminal and the evaluation all use.

    from thighdx import Interview, load_kb

    interview = Interview.start(load_kb(), age=34, sex="female", language="en",
                                text="felt a pop at the back of my thigh while sprinting")
    step = interview.step()
    while step.question is not None and not step.should_stop:
        step = interview.answer(step.question.finding, "absent")
    result = interview.assessment()

The person's words are read once, by `text_readings`, into readings (`source: "text"`): softer
evidence than answers, which the interview may ask to confirm. Each step is the engine's:
posterior, triage (one function decides the level), the next question and whether to stop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from thighdx.engine.assess import Assessment, assess
from thighdx.engine.evidence import CHOICES, SOURCES, Evidence
from thighdx.engine.posterior import Ranking, posterior
from thighdx.engine.questions import NextStep, Question, next_step, questions_asked
from thighdx.engine.scores import ScoreResult, scores
from thighdx.engine.triage import Triage, triage
from thighdx.errors import InputError, InterviewError
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS

if TYPE_CHECKING:
    from thighdx.language import Mention

LANGUAGES = ("en", "tr")
EMERGENCY = ("emergency", "emergency_ambulance")


class Step:
    """Where the interview stands: what to ask next (if anything), and the assessment so far.

    - `question`, and `why` it is asked (in the interview's language);
    - `ranking`, `triage` and `scores` (the validated scores in play, worked out when first read);
    - `should_stop`: red-flag screening is complete and the ranking is settled (contract §5);
    - `settled`: a red flag already demands emergency care: the person may stop now; finishing is optional;
    - `questions_left`: the engine's estimate of the questions still to come (0 when it would stop);
    - `pending_screening`: the red flags still to ask.
    """

    __slots__ = ("_evidence", "_kb", "_scores", "pending_screening", "question", "questions_left", "ranking", "settled",
                 "should_stop", "triage", "why")

    def __init__(self, kb: KnowledgeBase, evidence: Evidence, question: Question | None, why: str | None, ranking: Ranking,
                 triage: Triage, should_stop: bool, settled: bool, questions_left: int, pending_screening: tuple[str, ...]) -> None:
        self._kb, self._evidence = kb, evidence
        self._scores: tuple[ScoreResult, ...] | None = None
        self.question, self.why, self.ranking, self.triage = question, why, ranking, triage
        self.should_stop, self.settled, self.questions_left, self.pending_screening = should_stop, settled, questions_left, pending_screening

    @property
    def scores(self) -> tuple[ScoreResult, ...]:
        if self._scores is None:
            self._scores = tuple(scores(self._kb, self._evidence, self.ranking))
        return self._scores


def check_language(language: object, field: str = "language") -> str:
    if not isinstance(language, str) or language not in LANGUAGES:
        raise InputError(field, f"must be 'en' or 'tr', got {language!r}")
    return language


def text_readings(kb: KnowledgeBase, text: object, language: str) -> list[Mention]:
    """The one reading of a person's words into findings: one mention per finding the knowledge
    base knows, present, absent or unknown (an unknown one is a hint the interview may ask)."""
    if text is None:
        return []
    if not isinstance(text, str):
        raise InputError("text", "must be a string")
    from thighdx.language import parse

    return [m for m in parse(text, language) if m.id in kb.findings]


def _level(kb: KnowledgeBase, evidence: Evidence) -> str:
    return triage(kb, evidence, posterior(kb, evidence)).level


def why_we_ask(kb: KnowledgeBase, question: Question, language: str) -> str:
    """A short reason for the question, from what the engine wants to learn by it."""
    if question.purpose == "screening":
        return kb.message("why_screen", language)
    if question.purpose == "confirm":
        what = "why_confirm_level" if kb.findings[question.finding].red_flag else "why_confirm_cause"
        return kb.message("why_confirm", language, what=kb.message(what, language))
    if question.purpose == "score":
        score = next((s for s in kb.scores.scores if any(i.finding == question.finding for i in s.items)), None)
        if score is not None:
            return kb.message("why_score", language, score=score.name.get(language))
    if question.purpose == "triage" or question.separates is None:
        return kb.message("why_urgency", language)
    a, b = (kb.conditions[c].name.get(language) for c in question.separates)
    return kb.message("why_separates", language, a=a, b=b)


def _questions_left(kb: KnowledgeBase, asked: int, ranking: Ranking, found: NextStep) -> int:
    """Pending red flags plus the questions the ranking still needs at the current question's
    expected gain (bits of uncertainty left over bits per answer), within the budget."""
    if found.question is None:
        return 0
    settings = kb.interview
    budget = max(settings.max_questions - asked, 0)
    values = ranking.values()
    for_ranking = 0
    if max(max(values), ranking.other_probability) < settings.stop_probability:  # the entropy only when the ranking is unsettled
        entropy = -sum([p * math.log2(p) for p in (*values, ranking.other_probability) if p > 0])
        for_ranking = math.ceil(entropy / max(found.question.gain_bits, 0.5))
    return max(1, min(budget + len(found.pending_screening), len(found.pending_screening) + for_ranking))


class Interview:
    """One person's interview: their evidence so far and the questions answered, in order.

    Mutable: `answer` and `back` change it and return the new `Step`. Build one with `start`
    (from age, sex and the person's words) or `resume` (from evidence items, as a stateless
    client or a stored interview holds them).
    """

    __slots__ = ("_asked", "_evidence", "_readings", "_screens", "_step", "kb", "language")

    def __init__(self, kb: KnowledgeBase, evidence: Evidence, language: str = "en", asked: Iterable[str] = ()) -> None:
        self.kb = kb
        self.language = check_language(language)
        self._evidence = evidence
        self._readings = {f: evidence.answers[f] for f in evidence.text}
        self._asked = list(asked)
        self._screens = [1] * len(self._asked)
        """How many of `_asked` each screen answered, in order (for going back a screen at a time)."""
        self._step: Step | None = None

    @classmethod
    def start(
        cls,
        kb: KnowledgeBase,
        age: object,
        sex: object,
        language: object = "en",
        text: object = None,
        evidence: Iterable[tuple[str, str]] = (),
    ) -> Interview:
        """A new interview; `text` (the person's own words) is read into readings."""
        language = check_language(language)
        answers = list(evidence)
        mentions = text_readings(kb, text, language)
        start = Evidence.build(kb, age, sex, answers, text=[(m.id, m.choice_id) for m in mentions])
        if any(m.learned for m in mentions):
            # the learned reader's additions may not lower the level the lexicon's reading gives
            # (a wrong "after unaccustomed exercise" must not put a swollen calf behind muscle soreness)
            plain = Evidence.build(kb, age, sex, answers, text=[(m.id, m.choice_id) for m in mentions if not m.learned])
            if LEVELS.index(_level(kb, plain)) > LEVELS.index(_level(kb, start)):
                start = plain
        return cls(kb, start, language)

    @classmethod
    def resume(
        cls,
        kb: KnowledgeBase,
        age: object,
        sex: object,
        language: object,
        items: Iterable[tuple[str, str, str]],
        asked: Iterable[str] = (),
    ) -> Interview:
        """An interview from evidence items (finding, choice, source `answer` or `text`); an answer
        replaces a reading of the same finding. `asked` lists the questions answered, in order."""
        answers: list[tuple[str, str]] = []
        readings: list[tuple[str, str]] = []
        for finding, choice, source in items:
            if source not in SOURCES:
                raise InputError("evidence", f"source for {finding!r} must be 'answer' or 'text', got {source!r}")
            (readings if source == "text" else answers).append((finding, choice))
        return cls(kb, Evidence.build(kb, age, sex, answers, text=readings), check_language(language), asked)

    @property
    def evidence(self) -> Evidence:
        return self._evidence

    @property
    def asked(self) -> tuple[str, ...]:
        """The findings answered through questions, in the order they were answered."""
        return tuple(self._asked)

    @property
    def questions(self) -> int:
        """Questions the person has seen (the red-flag checklist is one); readings of their words are not questions."""
        return questions_asked(self.kb, self._evidence)

    def step(self) -> Step:
        """The current step (computed once per state)."""
        if self._step is None:
            kb, evidence = self.kb, self._evidence
            ranking = posterior(kb, evidence)
            current = triage(kb, evidence, ranking)
            asked = questions_asked(kb, evidence)
            found = next_step(kb, evidence, ranking, current, asked)
            question = found.question
            self._step = Step(
                kb,
                evidence,
                question=question,
                why=why_we_ask(kb, question, self.language) if question else None,
                ranking=ranking,
                triage=current,
                should_stop=bool(found.should_stop),
                settled=any(r.kind == "red_flag" and r.level in EMERGENCY for r in current.reasons),
                questions_left=_questions_left(kb, asked, ranking, found),
                pending_screening=found.pending_screening,
            )
        return self._step

    def answer(self, finding: object, choice: object) -> Step:
        """Answer the question being asked (or one of its grouped items); a reading of the person's
        words is replaced by the answer. Repeating an answer changes nothing."""
        return self.answer_screen([(finding, choice)])

    def answer_screen(self, answers: Iterable[tuple[object, object]]) -> Step:
        """Answer the question being asked and any of its grouped items at once (one screen,
        such as the red-flag checklist). Every answer is checked before any is taken; repeating
        an answer changes nothing, and changing one needs going back first."""
        evidence = self._evidence
        fresh: dict[str, str] = {}
        for finding, choice in answers:
            if not isinstance(finding, str) or finding not in self.kb.findings:
                raise InputError("finding_id", f"unknown finding id {finding!r}")
            if not isinstance(choice, str) or choice not in CHOICES:
                raise InputError("choice_id", f"must be present, absent or unknown, got {choice!r}")
            if evidence.answered(finding):
                if evidence.answers[finding] != choice:
                    raise InterviewError(f"finding_id: {finding!r} is already answered; go back to change it")
                continue
            if fresh.setdefault(finding, choice) != choice:
                raise InputError("finding_id", f"{finding!r} is answered twice on one screen, differently")
        if not fresh:
            return self.step()
        question = self.step().question
        if question is None:
            raise InterviewError("finding_id: the interview has no question left to answer; go back to change an answer")
        shown = (question.finding, *question.items)
        for finding in fresh:
            if finding not in shown:
                raise InterviewError(f"finding_id: {finding!r} is not the question being asked")
        for finding, choice in fresh.items():
            evidence = evidence.with_answer(finding, choice)
            self._asked.append(finding)
        self._evidence = evidence
        self._screens.append(len(fresh))
        self._step = None
        return self.step()

    def back(self) -> Step:
        """Withdraw the last screen's answers; a reading an answer had replaced comes back."""
        if not self._asked:
            raise InterviewError("interview: there is no answer to go back to")
        evidence = self._evidence
        for _ in range(self._screens.pop()):
            finding = self._asked.pop()
            evidence = evidence.without(finding)
            if finding in self._readings:
                answers = {**evidence.answers, finding: self._readings[finding]}
                evidence = Evidence(age=evidence.age, sex=evidence.sex, answers=answers, text=evidence.text | {finding})
        self._evidence = evidence
        self._step = None
        return self.step()

    def assessment(self, explain_top: int | None = None) -> Assessment:
        """The full assessment of the answers so far (ranking, triage, explanations, scores)."""
        return assess(self.kb, self._evidence, explain_top)
