"""The `thighdx` command: assess, interview, evaluate, kb check, faq, parse, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from thighdx.errors import InputError, KnowledgeError, ThighdxError
from thighdx.knowledge.loader import KnowledgeBase, check_kb, load_kb
from thighdx.render import render_assessment

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Assessment of pain in the back of the thigh.")
kb_app = typer.Typer(no_args_is_help=True, help="Knowledge-base tools.")
app.add_typer(kb_app, name="kb")
out = Console()
err = Console(stderr=True)

Language = Annotated[str, typer.Option("--language", "-l", help="Language of the output: en or tr.")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _kb() -> KnowledgeBase:
    try:
        return load_kb()
    except KnowledgeError as error:
        _fail("the knowledge base is invalid; run `thighdx kb check`: " + str(error))
        raise  # unreachable


def _language(language: str) -> str:
    if language not in ("en", "tr"):
        _fail(f"--language: must be 'en' or 'tr', got {language!r}")
    return language


def _ids(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@app.command()
def assess(
    age: Annotated[float, typer.Option(help="Age in years (0-120).")],
    sex: Annotated[str, typer.Option(help="male or female.")],
    present: Annotated[str | None, typer.Option(help="Comma-separated finding ids answered yes.")] = None,
    absent: Annotated[str | None, typer.Option(help="Comma-separated finding ids answered no.")] = None,
    unknown: Annotated[str | None, typer.Option(help="Comma-separated finding ids answered don't know.")] = None,
    language: Language = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Rank the likely causes, set the triage level and print the care plan."""
    from thighdx.engine import Evidence
    from thighdx.engine import assess as run
    from thighdx.report import assessment_dict, doctor_summary

    kb = _kb()
    language = _language(language)
    pairs = [(f, "present") for f in _ids(present)] + [(f, "absent") for f in _ids(absent)]
    pairs += [(f, "unknown") for f in _ids(unknown)]
    try:
        evidence = Evidence.build(kb, age, sex, pairs)
    except InputError as error:
        _fail(str(error))
    from thighdx.numbers import default_number, fill

    data = fill(assessment_dict(kb, run(kb, evidence, explain_top=5), language), default_number(language))
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    render_assessment(kb, data, language, out)
    out.print(Panel(fill(doctor_summary(kb, data, age, sex, language), default_number(language)), title=kb.message("cli_summary", language), title_align="left"), highlight=False)


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="Case file (JSON Lines, contract §4).")],
    mode: Annotated[str, typer.Option(help="structured, text or interview.")] = "structured",
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object on stdout.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List each case that missed and why.")] = False,
    from_nothing: Annotated[
        bool, typer.Option("--from-nothing", help="Interview mode: start from age and sex only, ignoring the text.")
    ] = False,
    one_at_a_time: Annotated[
        bool, typer.Option("--one-at-a-time", help="Interview mode: answer only each question's first finding, one per screen.")
    ] = False,
) -> None:
    """Score a case file: accuracy, triage safety and interview effort."""
    from thighdx.evaluation.cases import MODES, load_cases
    from thighdx.evaluation.cases import evaluate as run

    kb = _kb()
    if mode not in MODES:
        _fail(f"--mode: must be one of {', '.join(MODES)}, got {mode!r}")
    try:
        cases = load_cases(file, kb)
    except InputError as error:
        _fail(str(error))
    summary, results = run(kb, cases, mode, from_text=not from_nothing, one_at_a_time=one_at_a_time)
    if verbose:
        for r in results:
            problems = r.misses
            if problems:
                asked = f" [{len(r.questions)} questions: {', '.join(r.questions)}]" if r.questions else ""
                err.print(f"{r.case.id}: " + "; ".join(problems) + asked, highlight=False)
            elif mode == "interview":
                err.print(f"{r.case.id}: ok, {len(r.questions)} questions", highlight=False)
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return
    table = Table(title=f"{file.name} ({mode}, {summary['cases']} cases)", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key in ("per_condition", "per_level", "cases", "mode"):
            continue
        table.add_row(key, "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value))
    out.print(table)
    per = Table(title="per condition", title_justify="left")
    for col in ("condition", "cases", "top1", "top3", "triage_exact"):
        per.add_column(col)
    for cid, row in summary["per_condition"].items():
        per.add_row(cid, str(row["cases"]), f"{row['top1']:.2f}", f"{row['top3']:.2f}", f"{row['triage_exact']:.2f}")
    out.print(per)
    lv = Table(title="per expected level", title_justify="left")
    for col in ("level", "cases", "exact", "under", "over"):
        lv.add_column(col)
    for level, row in summary["per_level"].items():
        lv.add_row(level, str(row["cases"]), f"{row['exact']:.2f}", f"{row['under']:.2f}", f"{row['over']:.2f}")
    out.print(lv)


@kb_app.command("check")
def kb_check(
    path: Annotated[Path | None, typer.Argument(help="Knowledge-base directory (default: the packaged one).")] = None,
) -> None:
    """Validate the knowledge base and report every problem with its file and entry."""
    kb, problems = check_kb(path)
    try:
        from thighdx.language import check_lexicon
    except ImportError:
        pass
    else:
        if kb is not None and path is None:
            problems = problems + check_lexicon()
    if problems:
        err.print(f"[bold red]{len(problems)} problem(s) in the knowledge base:[/]")
        for problem in problems:
            err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    assert kb is not None
    out.print(
        kb.message(
            "cli_kb_ok", "en", findings=len(kb.findings), conditions=len(kb.conditions),
            red_flags=len(kb.triage.red_flags), faq=len(kb.faq.faq),
        )
    )


@kb_app.command("coverage")
def kb_coverage(
    ref: Annotated[str | None, typer.Argument(help="Git ref of the knowledge base to measure (default: the working tree's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """The share of deciding figures (priors, red flags, triage rules, each condition's strongest
    likelihoods) that cite a published source, a guideline or a textbook."""
    from thighdx.evaluation.impact import ImpactError, kb_at_ref
    from thighdx.knowledge.coverage import coverage
    from thighdx.knowledge.loader import DATA_DIR

    try:
        if ref is None:
            result = coverage(DATA_DIR)
        else:
            with kb_at_ref(ref) as (_, directory):
                result = coverage(directory)
    except (ImpactError, OSError, KeyError, TypeError) as error:
        _fail(str(error))
        return
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    out.print(f"{result['sourced']} of {result['figures']} deciding figures cite a source ({result['share']:.0%}); "
              f"of all {result['all_figures']} figures, {result['all_sourced']}", highlight=False)
    for kind, row in result["by_kind"].items():
        out.print(f"  {kind}: {row['sourced']} of {row['figures']} ({row['share']:.0%})", highlight=False)


@kb_app.command("impact")
def kb_impact(
    ref: Annotated[
        str | None, typer.Argument(help="Git ref of the base (default: the merge base with origin/main or main, else HEAD).")
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option("--cases", help="Case file to run (repeatable; default: public, every blind set and holdout)."),
    ] = None,
    people: Annotated[int, typer.Option(help="Simulated people (0: none).")] = 500,
    seed: Annotated[int, typer.Option(help="Seed of the simulated population.")] = 11,
    jobs: Annotated[int | None, typer.Option(help="Worker processes for the simulated population.")] = None,
    base_dir: Annotated[Path | None, typer.Option("--base-dir", help="Compare with this knowledge-base directory, not a ref.")] = None,
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="The changed knowledge base (default: the working tree's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compare the knowledge base at a git ref with the working tree on every case and a simulated
    population; exit 1 on a new under-triage, a lost emergency or a broken safety property."""
    from thighdx.evaluation.impact import format_impact, impact_of
    from thighdx.knowledge.loader import DATA_DIR

    try:
        result = impact_of(ref, cases, people, seed, jobs, working=kb_dir or DATA_DIR, base_dir=base_dir)
    except (InputError, KnowledgeError) as error:
        _fail(str(error))
        return
    if as_json:
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    else:
        out.print(format_impact(result), highlight=False, markup=False, soft_wrap=True)
    if not result.passed:
        raise typer.Exit(1)


@app.command()
def interview(
    age: Annotated[float | None, typer.Option(help="Age in years (asked when missing).")] = None,
    sex: Annotated[str | None, typer.Option(help="male or female (asked when missing).")] = None,
    text: Annotated[str | None, typer.Option(help="Describe the pain in your own words.")] = None,
    language: Language = "en",
) -> None:
    """Run the adaptive interview in the terminal (plain prompts when not a TTY)."""
    from thighdx.terminal import run_interview

    kb = _kb()
    try:
        run_interview(kb, _language(language), age, sex, text, console=out)
    except InputError as error:
        _fail(str(error))


@app.command()
def faq(
    question: Annotated[str, typer.Argument(help="Your question, in your own words.")],
    language: Language = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Answer a common question about pain in the back of the thigh."""
    from thighdx.care.faq import answer_question

    kb = _kb()
    language = _language(language)
    found = answer_question(question, language, kb)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {"question": found.question, "answer": found.answer, "confidence": round(found.confidence, 4),
                 "sources": found.sources},
                ensure_ascii=False,
            )
            + "\n"
        )
        return
    if found.answer is None:
        out.print(kb.message("cli_no_answer", language))
        return
    out.print(Panel(found.answer, title=found.question or "", title_align="left"), highlight=False)
    out.print(f"{kb.message('cli_confidence', language)}: {found.confidence:.0%}")
    if found.sources:
        out.print(f"{kb.message('cli_sources', language)}: " + "; ".join(s["citation"] for s in found.sources), highlight=False)


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="Free text describing the pain.")],
    language: Language = "en",
) -> None:
    """Show the findings read from free text, as JSON."""
    from thighdx.language import parse as run

    language = _language(language)
    mentions = [
        {"id": m.id, "choice_id": m.choice_id, "text": m.text, "start": m.start, "end": m.end} for m in run(text, language)
    ]
    sys.stdout.write(json.dumps({"mentions": mentions}, ensure_ascii=False) + "\n")


clinician_app = typer.Typer(no_args_is_help=True, help="Clinician accounts (the database of THIGHDX_DATA_DIR or THIGHDX_DATABASE_URL).")
app.add_typer(clinician_app, name="clinician")


def _store():  # type: ignore[no-untyped-def]
    from thighdx.config import Settings
    from thighdx.store import Store

    store = Store(Settings.from_env())
    store.migrate()
    return store


@clinician_app.command("add")
def clinician_add(username: Annotated[str, typer.Argument(help="The new account's user name.")],
                  role: Annotated[str, typer.Option(help="clinician (sees interviews) or auditor (reads the audit log).")] = "clinician") -> None:
    """Create an account; the password is read from standard input."""
    from thighdx.web.clinicians import create_clinician

    password = sys.stdin.readline().rstrip("\n")
    out.print(create_clinician(_store(), username, password, role=role))


@clinician_app.command("unlock")
def clinician_unlock(username: Annotated[str, typer.Argument(help="The locked account's user name.")]) -> None:
    """Lift an account's sign-in lock after too many wrong passwords (audited)."""
    from thighdx.web.clinicians import unlock

    out.print(f"{username}: " + ("unlocked" if unlock(_store(), username) else "was not locked; its failed sign-ins are forgotten"), highlight=False, markup=False)


@app.command()
def purge() -> None:
    """Delete interviews (with their answers and results) older than THIGHDX_RETENTION_DAYS (90)."""
    from thighdx.config import Settings
    from thighdx.web.retention import purge as run

    days = Settings.from_env().retention_days
    out.print(f"{run(_store(), days)} interview(s) older than {days} days deleted")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start the web app and API (SQLite in THIGHDX_DATA_DIR unless THIGHDX_DATABASE_URL is set)."""
    try:
        from thighdx.web.server import run_server
    except ImportError:
        _fail("the web service is not available in this build; use `thighdx interview`")
        return
    run_server(host=host, port=port, workers=workers)


def main() -> None:
    """Entry point: map the error tree to one-line messages and exit codes."""
    try:
        app()
    except ThighdxError as error:  # one line, whatever its length: the setting or path and the cause
        sys.stderr.write(f"error: {' '.join(str(error).split())}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
