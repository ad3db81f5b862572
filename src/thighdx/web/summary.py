"""The summary a doctor files: one view of a stored interview's result, shown as a page and printed as a PDF.

`summary_view()` turns `interviews.result_data()` into display-ready rows in the person's language,
with that language's number formats (Turkish "%94", "1,5"; English "94%", "1.5"); a probability
under half a percent reads "<1%", never "0%". `summary_pdf()` renders the same template with
WeasyPrint and the DejaVu fonts from Debian's fonts-dejavu-core.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from thighdx.knowledge.loader import KnowledgeBase
from thighdx.language.durations import find_durations
from thighdx.language.text import normalise

TEMPLATES = Path(__file__).resolve().parent / "templates"
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "tr": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"],
}
SIDE_WORDS = {
    "en": {"left": r"\bleft\b", "right": r"\bright\b(?! (?:now|away|after|before))"},
    "tr": {"left": r"\bsol\b|\bsolda|\bsolu", "right": r"\bsag\b|\bsagda|\bsagi"},
}
CODE_ORDER = ("icd10_who", "icd10_cm", "snomed")


# --- number formats ---------------------------------------------------------------------------

def number(value: float, language: str, digits: int = 1) -> str:
    """A number as written in the language: `1.5` / `1,5`; whole numbers without decimals."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if language == "tr" else text


def percent(p: float, language: str) -> str:
    """`94%` / `%94`; `<1%` / `<%1` for anything above zero that rounds to nothing."""
    value = round(p * 100)
    if p > 0 and value < 1:
        return "<%1" if language == "tr" else "<1%"
    return f"%{value}" if language == "tr" else f"{value}%"


def long_date(moment: datetime, language: str) -> str:
    """`2 December 2026, 14:05 UTC` / `2 Aralık 2026, 14:05 UTC`."""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTHS['tr' if language == 'tr' else 'en'][moment.month - 1]} {moment.year}, {moment:%H:%M} UTC"


# --- facts from the answers and the person's words ----------------------------------------------

def _choice(data: dict[str, Any], finding: str) -> str | None:
    for a in data.get("answers", []):
        if a["finding"] == finding:
            return str(a["choice"])
    return None


def _duration_words(kb: KnowledgeBase, days: float, language: str) -> str:
    if days < 14:
        return kb.message("summary_days", language, n=number(days, language, 0))
    if days < 70:
        return kb.message("summary_weeks", language, n=number(days / 7, language, 0))
    if days < 730:
        return kb.message("summary_months", language, n=number(days / 30, language, 0))
    return kb.message("summary_years", language, n=number(days / 365, language, 0))


def facts(kb: KnowledgeBase, data: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """Side, duration, onset and severity: from the answers, and the person's own words where they say more."""
    m = kb.message
    text = data.get("description") or ""
    text_lang = data.get("language") or language
    norm = normalise(text, text_lang) if text else ""
    unstated = m("summary_not_stated", language)

    sides = [side for side, pattern in SIDE_WORDS.get(text_lang, {}).items() if re.search(pattern, norm)]
    both = _choice(data, "pain_both_legs")
    if both == "present" or len(sides) == 2:
        side = m("summary_side_both", language)
    elif len(sides) == 1:
        side = m(f"summary_side_{sides[0]}", language)
    elif both == "absent":
        side = m("summary_side_one", language)
    else:
        side = unstated

    duration = unstated
    if norm:
        created = data.get("created_at")
        today = datetime.fromisoformat(created).date() if created else None
        found = find_durations(norm, text_lang, today)
        if found:
            duration = m("summary_duration_said", language, duration=_duration_words(kb, max(d.days for d in found), language))
    if duration == unstated:
        over = _choice(data, "symptoms_over_6_weeks")
        duration = {"present": m("summary_over_6_weeks", language), "absent": m("summary_under_6_weeks", language)}.get(over or "", unstated)

    onset = {("present", None): "sudden", (None, "present"): "gradual"}
    sudden, gradual = _choice(data, "sudden_onset"), _choice(data, "gradual_onset")
    kind = "sudden" if sudden == "present" else "gradual" if gradual == "present" else onset.get((sudden, gradual))
    onset_text = m(f"summary_onset_{kind}", language) if kind else unstated

    severe = _choice(data, "pain_severe")
    severity = {"present": m("summary_severe", language), "absent": m("summary_not_severe", language),
                "unknown": m("choice_unknown", language)}.get(severe or "", unstated)
    return [
        (m("summary_side", language), side),
        (m("summary_duration", language), duration),
        (m("summary_onset", language), onset_text),
        (m("summary_severity", language), severity),
    ]


def codes(row: dict[str, Any]) -> list[dict[str, str]]:
    """Every code of a condition labelled by its system, in a fixed order (WHO ICD-10, ICD-10-CM, SNOMED CT)."""
    found = row.get("codes") or {}
    names = [n for n in CODE_ORDER if n in found] or [n for n in found if n != "icd10"]
    out = []
    for name in names:
        code = found[name]
        out.append({"system": code["system"], "code": code["code"], "display": code.get("display", ""),
                    "broader": code.get("status") == "broader"})
    return out


def summary_view(kb: KnowledgeBase, data: dict[str, Any], language: str) -> dict[str, Any]:
    """Everything the summary page and PDF show, formatted for `language`."""
    m = kb.message
    created = data.get("created_at")
    moment = datetime.fromisoformat(created) if created else datetime.now(UTC)
    tri = data["triage"]
    findings = kb.findings
    answers = []
    for a in data.get("answers_given") or []:
        fid, choice = a.get("id") or a.get("finding"), a.get("choice_id") or a.get("choice")
        if fid not in findings:
            continue
        answers.append({"question": findings[fid].question.get(language), "label": findings[fid].label.get(language),
                        "answer": m(f"choice_{choice}", language), "choice": choice,
                        "from_text": a.get("source") == "text"})

    def label(fid: str) -> str:
        return findings[fid].label.get(language) if fid in findings else fid

    not_ruled_out = tri.get("not_ruled_out", tri.get("unscreened", []))
    scores = []
    for s in data.get("scores", []):
        scores.append({"name": s["name"], "total": number(float(s["total"]), language), "verdict": s["verdict"],
                       "complete": s["complete"],
                       "items": [{"label": i["label"], "points": number(float(i["points"]), language),
                                  "answer": m(f"choice_{i['answer']}", language) if i["answer"] in ("present", "absent", "unknown")
                                  else m("summary_not_asked", language)} for i in s["items"]]})
    age, sex = data.get("age"), data.get("sex")
    return {
        "title": m("summary_title", language),
        "date": long_date(moment, language),
        "reference": data.get("reference", ""),
        "knowledge_base": data.get("knowledge_base") or {},
        "person": [
            (m("summary_age", language), m("summary_years_old", language, n=int(age)) if age is not None else "-"),
            (m("summary_sex", language), m(f"sex_{sex}", language) if sex in ("male", "female") else "-"),
            *facts(kb, data, language),
        ],
        "own_words": data.get("description"),
        "urgency": m(f"web_level_{tri['level']}", language) if f"web_level_{tri['level']}" in kb.messages else tri["label"],
        "level": tri["level"],
        "reason": tri["reason"],
        "red_flags": [label(f) for f in tri.get("red_flags", [])],
        "not_ruled_out": [label(f) for f in not_ruled_out],
        "conditions": [{"name": c["name"], "probability": percent(c["probability"], language), "codes": codes(c)}
                       for c in data["conditions"][:6]],
        "other": percent(data.get("other_probability", 0.0), language),
        "scores": scores,
        "answers": answers,
        "unknown_count": sum(1 for a in answers if a["choice"] == "unknown"),
    }


# --- PDF ------------------------------------------------------------------------------------------

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def summary_pdf(kb: KnowledgeBase, data: dict[str, Any], language: str) -> bytes:
    """The summary as an A4 PDF (WeasyPrint; DejaVu Sans from Debian's fonts-dejavu-core)."""
    from weasyprint import HTML  # imported on first use: it loads pango

    view = summary_view(kb, data, language)
    html = _env.get_template("summary_pdf.html").render(s=view, lang=language, t=lambda key, **v: kb.message(key, language, **v))
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()  # type: ignore[no-any-return]
