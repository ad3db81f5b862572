"""Helpers for the browser tests: axe checks and walking the interview."""

from __future__ import annotations

from collections import Counter
from typing import Any

BLOCKING = ("serious", "critical")
CLINICIAN = ("dr.browser", "a long test password 1")
"""The clinician account the browser tests create before starting the server."""
AUDITOR = ("audit.browser", "a long test password 2")
"""The auditor account (reads the audit log) created with it."""
AXE_REPORT: dict[str, dict[str, Any]] = {}
"""Counts of axe violations (by impact) per kind of page, for the whole session."""


def check_axe(page: Any, name: str) -> Counter[str]:
    """Run axe-core on the page; record the counts by impact; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    counts: Counter[str] = Counter()
    for v in violations:
        counts[v.get("impact") or "unknown"] += len(v.get("nodes", [])) or 1
    seen = AXE_REPORT.setdefault(name, {"pages": 0, "critical": 0, "serious": 0, "moderate": 0, "minor": 0})
    seen["pages"] += 1
    for impact, n in counts.items():
        seen[impact] = seen.get(impact, 0) + n
    rules = seen.setdefault("rules", [])  # type: ignore[arg-type]
    rules.extend(f"{v['id']} ({v.get('impact')})" for v in violations if f"{v['id']} ({v.get('impact')})" not in rules)
    blocking = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in violations if v.get("impact") in BLOCKING]
    assert not blocking, f"axe found serious/critical violations on {name}:\n" + "\n".join(blocking)
    return counts


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"page scrolls sideways on a phone: {width}"


def current_finding(page: Any) -> str | None:
    field = page.locator('input[name="finding"]')
    return field.get_attribute("value") if field.count() else None


CHOICE_LABELS = {"en": {"present": "Yes", "absent": "No", "unknown": "Don't know"},
                 "tr": {"present": "Evet", "absent": "Hayır", "unknown": "Bilmiyorum"}}
CONTINUE = {"en": "Continue", "tr": "Devam et"}


def checklist_rows(page: Any) -> list[str] | None:
    """The findings of a checklist page (a question and its grouped items on one page), or None."""
    field = page.locator('input[name="shown"]')
    return (field.get_attribute("value") or "").split(",") if field.count() else None


def marked(page: Any) -> dict[str, str]:
    """The answers ticked on a checklist page."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.check-row input:checked')]
        .map(i => [i.name.replace(/^answer-/, ''), i.value]))""")


def answer_question(page: Any, lang: str, choose: Any) -> list[tuple[str, str]]:
    """Answer the question page shown as a person would: a checklist row by row, then Continue; a
    single question by its button. Returns the (finding, choice) pairs; [] when no question is shown."""
    rows = checklist_rows(page)
    if rows:
        sent = []
        for finding in rows:
            choice = choose(finding)
            page.locator(f"#row-{finding}").get_by_role("radio", name=CHOICE_LABELS[lang][choice], exact=True).check()
            sent.append((finding, choice))
        page.get_by_role("button", name=CONTINUE[lang], exact=True).click()
        return sent
    finding = current_finding(page)
    if finding is None:
        return []
    choice = choose(finding)
    page.get_by_role("button", name=CHOICE_LABELS[lang][choice], exact=True).click()
    return [(finding, choice)]
