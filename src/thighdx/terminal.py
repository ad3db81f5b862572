"""The adaptive interview in a terminal: one question at a time, back, progress, final screen.

Plain `input()` prompts, so another program can drive it through a pipe.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.panel import Panel

from thighdx.engine.evidence import Evidence
from thighdx.errors import InputError
from thighdx.interview import Interview
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.numbers import default_number, fill

ANSWERS = {
    "y": "present", "yes": "present", "e": "present", "evet": "present",
    "n": "absent", "no": "absent", "h": "absent", "hayır": "absent", "hayir": "absent",
    "?": "unknown", "d": "unknown", "dk": "unknown", "bilmiyorum": "unknown", "don't know": "unknown",
}
NONE = {"n", "no", "none", "h", "hayır", "hayir", "yok", "hiçbiri", "hicbiri", "0"}
BACK = {"b", "back", "g", "geri"}
QUIT = {"q", "quit", "exit", "çık", "cik"}
EMERGENCY = ("emergency", "emergency_ambulance")


def checklist_answers(raw: str, count: int) -> list[str] | None:
    """A checklist's answers from what was typed: the numbers that apply (present; the rest absent),
    "n" for none of them, "?" for don't know to all; None when it cannot be read."""
    if raw in NONE:
        return ["absent"] * count
    if raw in {"?", "d", "dk", "bilmiyorum", "don't know"}:
        return ["unknown"] * count
    parts = raw.replace(",", " ").split()
    if not parts or not all(p.isdigit() and 1 <= int(p) <= count for p in parts):
        return None
    chosen = {int(p) for p in parts}
    return ["present" if i in chosen else "absent" for i in range(1, count + 1)]


def _ask(prompt: Callable[[str], str], console: Console, label: str) -> str:
    console.print(label, highlight=False)
    try:
        return prompt("> ").strip()
    except EOFError:
        return "q"


def run_interview(
    kb: KnowledgeBase,
    language: str,
    age: float | None,
    sex: str | None,
    text: str | None,
    console: Console,
    prompt: Callable[[str], str] = input,
) -> Evidence:
    """Interview a person; returns the final evidence after printing the result."""
    m = kb.message
    while age is None:
        raw = _ask(prompt, console, "Age / Yaş:")
        if raw in QUIT:
            raise InputError("age", "the interview was stopped before an age was given")
        try:
            age = float(raw)
        except ValueError:
            console.print("0-120")
    while sex not in ("male", "female"):
        raw = _ask(prompt, console, "Sex / Cinsiyet (male|female, erkek|kadın):").lower()
        if raw in QUIT:
            raise InputError("sex", "the interview was stopped before sex was given")
        sex = {"m": "male", "f": "female", "erkek": "male", "kadın": "female", "kadin": "female", "k": "female", "e": "male"}.get(raw, raw)
    interview = Interview.start(kb, age, sex, language, text)
    console.print(m("cli_interview_intro", language))
    announced: set[str] = set()
    step = interview.step()
    while True:
        fresh = [r for r in step.triage.reasons if r.kind == "red_flag" and r.level in EMERGENCY and r.id not in announced]
        if fresh:
            announced.update(r.id for r in fresh)
            advice = fill(" ".join(r.text.get(language) for r in fresh), default_number(language))
            console.print(Panel(m("cli_emergency_banner", language, advice=advice), style="bold white on red"))
            console.print(m("settled", language))
        question = step.question
        if question is None or step.should_stop:
            break
        finding = kb.findings[question.finding]
        header = m("cli_progress", language, n=interview.questions + 1)
        if question.purpose == "screening":
            header += " - " + m("cli_screening_note", language)
        shown = (question.finding, *question.items)
        if len(shown) > 1:  # a checklist: one screen, the numbers that apply
            rows = "\n".join(f"  {i}. {kb.findings[f].question.get(language)}" for i, f in enumerate(shown, start=1))
            text = f"{m('cli_checklist', language)}\n{rows}"
        else:
            text = finding.question.get(language)
        raw = _ask(prompt, console, f"[bold]{header}[/]  {text}\n[dim]{m('cli_why', language)}: {step.why}[/]").lower()
        if raw in QUIT:
            break
        if raw in BACK:
            if interview.asked:
                step = interview.back()
            else:
                console.print(m("cli_nothing_to_undo", language))
            continue
        if len(shown) > 1:
            marks = checklist_answers(raw, len(shown))
            if marks is None:
                console.print(m("cli_invalid_checklist", language, n=len(shown)))
                continue
            step = interview.answer_screen(list(zip(shown, marks, strict=True)))
        elif raw in ANSWERS:
            step = interview.answer(question.finding, ANSWERS[raw])
        else:
            console.print(m("cli_invalid_choice", language))
    from thighdx.render import render_assessment
    from thighdx.report import assessment_dict, doctor_summary

    evidence = interview.evidence
    data = fill(assessment_dict(kb, interview.assessment(explain_top=3), language), default_number(language))
    render_assessment(kb, data, language, console)
    console.print(Panel(fill(doctor_summary(kb, data, evidence.age, evidence.sex, language), default_number(language)), title=m("cli_summary", language), title_align="left"), highlight=False)
    return evidence
