"""Rich rendering of an assessment for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from thighdx.knowledge.loader import KnowledgeBase


def render_assessment(kb: KnowledgeBase, data: dict[str, Any], language: str, console: Console) -> None:
    """Print causes, triage with reason, care plan and warning signs."""
    m = kb.message
    tri = data["triage"]
    if tri["level"] in ("emergency", "emergency_ambulance"):
        console.print(Panel(m("cli_emergency_banner", language, advice=tri["label"]), style="bold white on red"))
    table = Table(title=m("cli_causes", language), title_justify="left")
    table.add_column(m("cli_cause", language))
    table.add_column(m("cli_probability", language), justify="right")
    for c in data["conditions"][:5]:
        table.add_row(c["name"], f"{c['probability']:.0%}")
    table.add_row(f"[dim]{m('cli_other', language)}[/]", f"[dim]{data['other_probability']:.0%}[/]")
    console.print(table)
    console.print(Panel(f"[bold]{tri['label']}[/]\n{tri['reason']}", title=m("cli_triage", language), title_align="left"))
    for s in data["scores"]:
        console.print(f"[bold]{s['name']}[/]: {s['total']:g} - {s['verdict']}. {s['advice']}")
    for plan in [data["care"]["level"], *data["care"]["conditions"]]:
        lines = [f"- {t}" for t in plan["do_now"]]
        if plan["avoid"]:
            lines.append(f"[bold]{m('cli_avoid', language)}[/]")
            lines += [f"- {t}" for t in plan["avoid"]]
        if plan["exercises"]:
            lines.append(f"[bold]{m('cli_exercises', language)}[/]")
            for e in plan["exercises"]:
                phase = f"[{e['phase']}] " if e["phase"] else ""
                lines.append(f"- {phase}[bold]{e['name']}[/]: {e['dose']}")
                lines.append(f"    {e['how']}")
                lines.append(f"    {m('cli_progression', language)}: {e['progression']}")
                lines.append(f"    {m('cli_stop_if', language)}: {e['stop_if']}")
        if plan["ergonomics"]:
            lines.append(f"[bold]{m('cli_ergonomics', language)}[/]")
            lines += [f"- {t}" for t in plan["ergonomics"]]
        if plan["movement_breaks"]:
            lines.append(f"[bold]{m('cli_movement_breaks', language)}[/]: {plan['movement_breaks']}")
        if plan["why_different_from_rice"]:
            lines.append(f"[bold]{m('cli_why_not_rice', language)}[/]: {plan['why_different_from_rice']}")
        if plan["expected_course"]:
            lines.append(f"[bold]{m('cli_expected_course', language)}[/]: {plan['expected_course']}")
        console.print(Panel("\n".join(lines), title=m("cli_care", language), title_align="left"), highlight=False)
    if data["warning_signs"]:
        lines = [f"- {w['change']}: {w['action']}" for w in data["warning_signs"]]
        console.print(Panel("\n".join(lines), title=m("cli_warning_signs", language), title_align="left"), highlight=False)
