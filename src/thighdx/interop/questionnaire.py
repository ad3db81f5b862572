"""thighdx's questions as one FHIR R4 Questionnaire, generated from the knowledge base.

Items: the person's age and sex, then one choice item per finding (linkId = finding id, coded in
`thighdx-findings`, answered present / absent / unknown from `thighdx-choices`). The adaptive
form (SDC $next-question) uses the same items, one step at a time.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem

from thighdx import __version__
from thighdx.interop.codes import CHOICES, FINDINGS, GENDER, QUESTIONNAIRE_ID, questionnaire_url, system_url
from thighdx.interop.codesystem import CHOICE_TEXT
from thighdx.knowledge.loader import KnowledgeBase

AGE, SEX = "age", "sex"
SEX_TEXT = {"en": {"male": "Male", "female": "Female"}, "tr": {"male": "Erkek", "female": "Kadın"}}
PERSON_TEXT = {"en": {AGE: "How old are you (years)?", SEX: "Sex"}, "tr": {AGE: "Kaç yaşındasınız?", SEX: "Cinsiyet"}}


def choice_coding(choice: str, language: str = "en") -> dict[str, str]:
    return {"system": system_url(CHOICES), "code": choice, "display": CHOICE_TEXT[choice].get(language)}


def sex_coding(sex: str, language: str = "en") -> dict[str, str]:
    return {"system": GENDER, "code": sex, "display": SEX_TEXT[language][sex]}


def finding_coding(kb: KnowledgeBase, finding_id: str, language: str = "en") -> dict[str, str]:
    return {"system": system_url(FINDINGS), "code": finding_id, "display": kb.findings[finding_id].label.get(language)}


def person_items(language: str) -> list[dict[str, Any]]:
    text = PERSON_TEXT[language]
    return [
        {"linkId": AGE, "text": text[AGE], "type": "decimal", "required": True},
        {"linkId": SEX, "text": text[SEX], "type": "choice", "required": True,
         "answerOption": [{"valueCoding": sex_coding(s, language)} for s in ("male", "female")]},
    ]


def finding_item(kb: KnowledgeBase, finding_id: str, language: str) -> dict[str, Any]:
    finding = kb.findings[finding_id]
    return {
        "linkId": finding_id,
        "code": [finding_coding(kb, finding_id, language)],
        "text": finding.question.get(language),
        "type": "choice",
        "answerOption": [{"valueCoding": choice_coding(c, language)} for c in CHOICE_TEXT],
    }


def questionnaire(kb: KnowledgeBase, language: str = "en") -> Questionnaire:
    """Every thighdx question in one language."""
    items = [*person_items(language), *(finding_item(kb, f, language) for f in kb.findings)]
    return Questionnaire(
        id=QUESTIONNAIRE_ID,
        url=questionnaire_url(),
        version=__version__,
        name="Thighdx",
        title="thighdx: pain in the back of the thigh" if language == "en" else "thighdx: uyluk arkası ağrısı",
        status="active",
        experimental=False,
        publisher="thighdx",
        language=language,
        subjectType=["Patient"],
        item=[QuestionnaireItem(**i) for i in items],
    )
