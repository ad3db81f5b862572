"""Typed models of the knowledge-base YAML files.

Every model is frozen and forbids unknown keys, so a typo in a data file is an error
that names the file and the key, never a silently ignored entry.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

LANGUAGES: tuple[str, ...] = ("en", "tr")
LEVELS: tuple[Level, ...] = (
    "self_care",
    "consultation",
    "consultation_24",
    "emergency",
    "emergency_ambulance",
)
Level = Literal["self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"]
Kind = Literal["symptom", "history", "risk_factor", "sign"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """One text in every supported language."""

    en: str = Field(min_length=1)
    tr: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.tr if language == "tr" else self.en


class Source(Model):
    """A citation: a published figure or a labelled clinical estimate."""

    id: str
    kind: Literal["published", "guideline", "estimate", "code_list", "textbook"]
    citation: str
    url: str | None = None
    note: str | None = None


class Finding(Model):
    """A piece of evidence a person can answer present, absent or unknown."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    red_flag: bool = False
    question: Text
    label: Text
    """A short noun phrase used in explanations ("sudden onset")."""
    group: str | None = None
    screen: Literal["always", "by_risk", "never"] = "never"
    """Red-flag screening policy: asked of everyone, or when its risk is high enough."""
    within: list[str] = []
    """Broader findings of which this one is a part: the calf measured wider is one leg swollen.
    When the person has answered every one of them "no", this one is not asked (it stays
    unanswered: nothing is assumed about it)."""


class FindingGroup(Model):
    id: str
    title: Text


class FindingsFile(Model):
    groups: list[FindingGroup] = []
    findings: list[Finding]


class Figure(Model):
    """A probability with the source it comes from."""

    p: float
    src: str

    @field_validator("p")
    @classmethod
    def _open_unit_interval(cls, value: float) -> float:
        if not 0.0 < value < 1.0:
            raise ValueError(f"probability {value} is outside (0, 1)")
        return value


class When(Model):
    """A condition on the person: age range, sex and findings present or absent."""

    age_min: float | None = None
    age_max: float | None = None
    sex: Literal["male", "female"] | None = None
    present: list[str] = []
    any_present: list[str] = []
    absent: list[str] = []
    not_present: list[str] = []
    """Findings that must not be answered present (absent or unknown both pass)."""


class PriorModifier(Model):
    when: When
    factor: float = Field(gt=0)
    src: str


class Prior(Model):
    p: float
    src: str
    modifiers: list[PriorModifier] = []

    @field_validator("p")
    @classmethod
    def _open_unit_interval(cls, value: float) -> float:
        if not 0.0 < value < 1.0:
            raise ValueError(f"probability {value} is outside (0, 1)")
        return value


CodeSystem = Literal["WHO ICD-10", "ICD-10-CM", "SNOMED CT"]
"""WHO ICD-10 (used in Türkiye and by the WHO), the US clinical modification, and SNOMED CT."""


class Code(Model):
    system: CodeSystem
    code: str = Field(min_length=1)
    display: str
    status: Literal["confirmed", "broader"]
    """`broader`: no closer code or concept could be confirmed; this is the nearest confirmed parent."""
    src: str
    confirmed_by: str = Field(min_length=1)
    """The page (address) on which the code and its display were confirmed."""
    no_finer_code: str | None = None
    """Why another condition carries the same code: the system has no finer one (required then)."""
    note: str | None = None


def _system_is(code: Code, system: str) -> Code:
    if code.system != system:
        raise ValueError(f"system is {code.system!r}, expected {system!r}")
    return code


class Codes(Model):
    icd10_who: Code
    icd10_cm: Code
    snomed: Code

    @field_validator("icd10_who")
    @classmethod
    def _who(cls, value: Code) -> Code:
        return _system_is(value, "WHO ICD-10")

    @field_validator("icd10_cm")
    @classmethod
    def _cm(cls, value: Code) -> Code:
        return _system_is(value, "ICD-10-CM")

    @field_validator("snomed")
    @classmethod
    def _snomed(cls, value: Code) -> Code:
        return _system_is(value, "SNOMED CT")

    @property
    def icd10(self) -> Code:
        """ICD-10 without qualification is the WHO classification (kept for older readers)."""
        return self.icd10_who

    def all(self) -> tuple[tuple[str, Code], ...]:
        """(field, code) for every system, in the order they are shown."""
        return (("icd10_who", self.icd10_who), ("icd10_cm", self.icd10_cm), ("snomed", self.snomed))


class Profile(Model):
    """One form of a condition that is a family (e.g. fracture, cancer, infection)."""

    id: str
    name: Text
    weight: float = Field(gt=0, le=1)
    likelihoods: dict[str, Figure] = {}


class LevelRule(Model):
    """Moves a condition's triage level when the person's answers match."""

    when: When
    level: Level
    reason: Text
    src: str


class ConditionTriage(Model):
    level: Level
    reason: Text
    src: str
    rules: list[LevelRule] = []
    """Tried in order; the first that matches sets the level."""


class Condition(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    description: Text
    codes: Codes
    severity: Literal["minor", "moderate", "serious", "critical"]
    acuteness: Literal["acute", "subacute", "chronic", "acute_or_chronic"]
    specialist: Text
    recovery: Text
    prior: Prior
    default_likelihood: Figure
    likelihoods: dict[str, Figure]
    profiles: list[Profile] = []
    triage: ConditionTriage


class RedFlag(Model):
    """A finding or a combination of findings that demands a triage level on its own."""

    id: str
    when: When
    level: Level
    message: Text
    guideline: str


class Screening(Model):
    risk_threshold: float = Field(gt=0, lt=1)
    """Screen a `by_risk` red flag when the cost of missing it (its chance of being present,
    times the levels a "yes" would raise the triage by, over two) exceeds this."""
    robustness: float = Field(default=0.0, ge=0, lt=1)
    """Share of the chance of a red flag taken from the person's age-and-sex prior rather than the
    current ranking, so a ranking built on a misread answer cannot hide a red flag."""
    src: str


class PosteriorTriage(Model):
    """A condition's level counts when its probability reaches the threshold for that level."""

    thresholds: dict[Level, float]
    leader_min: float = Field(ge=0, lt=1)
    """The leading condition sets the level only when at least this likely; below it (when
    "something else" is as likely as anything named) the level is `unclear_level`."""
    unclear_level: Level
    src: str


class TriageFile(Model):
    red_flags: list[RedFlag]
    screening: Screening
    posterior: PosteriorTriage
    levels: dict[Level, Text]
    """What each level means for the person."""


class InterviewSettings(Model):
    """When the interview stops asking; set by measurement (see README)."""

    stop_probability: float = Field(gt=0, lt=1)
    """Stop the ranking phase once the leading cause is at least this likely..."""
    min_gain_bits: float = Field(ge=0)
    """...or once no question is expected to teach at least this much (bits)."""
    max_questions: int = Field(ge=1)
    """At most this many answers in all (those read from free text count); screening is exempt."""
    ranking_budget: int = Field(ge=0)
    """Questions to settle the ranking are asked only while fewer than this have been asked in all."""
    triage_budget: int = Field(ge=0)
    """The same for questions that may still change the level (those that may raise it a lot are exempt)."""
    triage_min_change: float = Field(ge=0)
    """Ask a triage question only if the level it is expected to move (chance x levels) is at least this."""
    triage_priority: float = Field(ge=0)
    """A triage question expected to move the level at least this much is asked before ranking questions."""
    level_weight: float = Field(ge=0)
    """Weight of the information about the level a cause demands, added to that about the cause."""
    leader_min_change: float = Field(ge=0, lt=1)
    """Stop the ranking phase when no question has at least this chance of changing the leading cause."""
    grouped: list[str] = []
    """Finding groups asked on one screen: a ranking question from one of them lists the group's
    other unanswered findings as items (answering only the first still works)."""
    answer_rate_by_kind: dict[Kind, float] = {}
    """How often a person can answer a question of this kind (1 when not listed)."""
    answer_rate: dict[str, float] = {}
    """Per-finding answer rate, for questions a person can rarely answer (a clinician's test)."""
    text_false_present: float = Field(default=0.0, ge=0, lt=1)
    """A reading of the person's words as "present" is this many times as likely when the finding is
    absent as when it is present (the reading's likelihood is p + (1 - p) x this)."""
    text_false_absent: float = Field(default=0.0, ge=0, lt=1)
    """The same for a reading as "absent": its likelihood is (1 - p) + p x this."""
    score_in_play: float = Field(default=1.0, gt=0, le=1)
    """A validated score's unanswered items are asked while its condition is at least this likely."""
    src: str


class Other(Model):
    """The implicit "something else" candidate."""

    name: Text
    prior: Figure
    default_likelihood: Figure
    likelihoods: dict[str, Figure] = {}


class ScoreItem(Model):
    finding: str | None = None
    derived: Literal["alternative_diagnosis_as_likely"] | None = None
    points: float
    label: Text


class ScoreBand(Model):
    min: float
    verdict: Text
    advice: Text


class Score(Model):
    """A validated clinical rule computed from answers (Wells DVT and others)."""

    id: str
    name: Text
    condition: str
    items: list[ScoreItem]
    bands: list[ScoreBand]
    """Sorted by `min` descending; the first band whose `min` the total reaches applies."""
    minimum_answered: int = Field(ge=1)
    src: str


class ScoresFile(Model):
    scores: list[Score]


class Dosage(Model):
    sets: int | None = Field(default=None, ge=1)
    reps: int | None = Field(default=None, ge=1)
    hold_seconds: int | None = Field(default=None, ge=1)
    frequency: Text
    progression: Text
    stop_if: Text


class ExerciseImages(Model):
    """Alt text of the two drawings, web/static/exercises/<id>-start.svg and <id>-end.svg."""

    start: Text
    end: Text


class Exercise(Model):
    id: str
    name: Text
    alt: ExerciseImages
    how: Text
    src: str


class PlannedExercise(Model):
    exercise: str
    dosage: Dosage
    phase: Text | None = None


class SafetyNet(Model):
    change: Text
    action: Text
    level: Level


class CarePlan(Model):
    """What to do for one condition or one triage level."""

    id: str
    applies_to: Literal["condition", "level"]
    do_now: list[Text]
    avoid: list[Text] = []
    exercises: list[PlannedExercise] = []
    ergonomics: list[Text] = []
    movement_breaks: Text | None = None
    safety_net: list[SafetyNet] = []
    expected_course: Text | None = None
    why_different_from_rice: Text | None = None
    sources: list[str] = Field(min_length=1)


class ExercisesFile(Model):
    exercises: list[Exercise]


class FaqEntry(Model):
    id: str
    question: Text
    answer: Text
    conditions: list[str] = []
    sources: list[str] = Field(min_length=1)


class FaqFile(Model):
    faq: list[FaqEntry]


class SourcesFile(Model):
    sources: list[Source]
