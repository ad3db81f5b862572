"""The core imports nothing from the adapters, and engine code names no clinical id."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "thighdx"
CORE = ["knowledge", "engine", "language", "care", "report.py", "errors.py", "evaluation"]
ADAPTERS = ("thighdx.web", "thighdx.store", "thighdx.cli", "thighdx.config", "fastapi", "sqlalchemy", "typer", "starlette")


def modules(part: str) -> list[Path]:
    path = PACKAGE / part
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def test_core_does_not_import_adapters():
    bad = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for part in CORE
        for path in modules(part)
        for name in imports(path)
        if name.startswith(ADAPTERS)
    ]
    assert bad == []


def test_engine_code_names_no_condition_or_finding():
    data = PACKAGE / "knowledge" / "data"
    ids = {p.stem for p in (data / "conditions").glob("*.yaml")}
    ids |= {f["id"] for f in yaml.safe_load((data / "findings.yaml").read_text(encoding="utf-8"))["findings"]}
    pattern = re.compile(r"[\"']([a-z][a-z0-9_]+)[\"']")
    hits = [
        f"{path.relative_to(PACKAGE)}: {m}"
        for path in modules("engine")
        for m in pattern.findall(path.read_text(encoding="utf-8"))
        if m in ids
    ]
    assert hits == []
