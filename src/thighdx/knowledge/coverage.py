"""Source coverage of the figures that decide: which of them cite a published source.

The deciding figures are every condition's prior and its modifiers, every red-flag rule, every
condition's own triage level and level rule, and for each condition the explicit likelihoods with
the largest likelihood ratios (`TOP_LIKELIHOODS`). A figure is sourced when its source is
published work, a guideline or a textbook; a labelled clinical estimate (even one whose derivation
is written out) and a code list are not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

TOP_LIKELIHOODS = 5
"""Per condition, the explicit likelihoods counted as deciding: those with the largest ratios."""
CITED = frozenset({"published", "guideline", "textbook"})


@dataclass(frozen=True)
class DecidingFigure:
    kind: str
    """`prior`, `prior_modifier`, `red_flag`, `condition_level`, `level_rule` or `likelihood`."""
    where: str
    src: str
    source_kind: str

    @property
    def sourced(self) -> bool:
        return self.source_kind in CITED


def likelihood_ratio(p: float, background: float) -> float:
    """How strongly an answer moves a condition: the larger of the ratios for "yes" and "no"."""
    return max(p / background, (1.0 - background) / (1.0 - p), background / p, (1.0 - p) / (1.0 - background))


def deciding_figures(root: Path) -> list[DecidingFigure]:
    """Every deciding figure of the knowledge base in directory `root`, with its source's kind.
    Read from the files themselves, so a knowledge base of any version (any git ref) can be
    measured with the same rule."""
    sources = {s["id"]: s.get("kind", "missing") for path in sorted((root / "sources").glob("*.yaml"))
               for s in _yaml(path).get("sources", [])}
    conditions = [_yaml(path) for path in sorted((root / "conditions").glob("*.yaml"))]
    triage = _yaml(root / "triage.yaml")

    def figure(kind: str, where: str, src: str) -> DecidingFigure:
        return DecidingFigure(kind, where, src, sources.get(src, "missing"))

    found: list[DecidingFigure] = []
    for c in conditions:
        cid, prior, levels = c["id"], c.get("prior", {}), c.get("triage", {})
        found.append(figure("prior", f"{cid}.prior", prior.get("src", "")))
        found += [figure("prior_modifier", f"{cid}.prior.modifiers[{i}]", m.get("src", ""))
                  for i, m in enumerate(prior.get("modifiers", []))]
        found.append(figure("condition_level", f"{cid}.triage", levels.get("src", "")))
        found += [figure("level_rule", f"{cid}.triage.rules[{i}]", r.get("src", ""))
                  for i, r in enumerate(levels.get("rules", []))]
    for flag in triage.get("red_flags", []):
        found.append(figure("red_flag", f"red_flags.{flag['id']}", flag.get("guideline", "")))
    background = _backgrounds(conditions)
    for c in conditions:
        likelihoods = c.get("likelihoods", {})
        ranked = sorted(likelihoods.items(), key=lambda item: -likelihood_ratio(item[1]["p"], background[item[0]]))
        found += [figure("likelihood", f"{c['id']}.likelihoods.{fid}", fig.get("src", ""))
                  for fid, fig in ranked[:TOP_LIKELIHOODS]]
    return found


def all_figures(root: Path) -> tuple[int, int]:
    """Every figure with a source in the conditions and the triage file (likelihoods, defaults,
    priors, modifiers, levels, rules, red flags), and how many of them cite a source."""
    sources = {s["id"]: s.get("kind", "missing") for path in sorted((root / "sources").glob("*.yaml"))
               for s in _yaml(path).get("sources", [])}
    srcs: list[str] = []
    for path in sorted((root / "conditions").glob("*.yaml")):
        c = _yaml(path)
        srcs += [fig.get("src", "") for fig in c.get("likelihoods", {}).values()]
        srcs += [c.get("default_likelihood", {}).get("src", ""), c.get("prior", {}).get("src", "")]
        srcs += [m.get("src", "") for m in c.get("prior", {}).get("modifiers", [])]
        srcs += [c.get("triage", {}).get("src", "")] + [r.get("src", "") for r in c.get("triage", {}).get("rules", [])]
    srcs += [flag.get("guideline", "") for flag in _yaml(root / "triage.yaml").get("red_flags", [])]
    return len(srcs), sum(sources.get(src) in CITED for src in srcs)


def _yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data if isinstance(data, dict) else {}


def _backgrounds(conditions: list[dict[str, Any]]) -> dict[str, float]:
    """Per finding, its median likelihood across conditions (a condition's default where unlisted)."""
    findings = sorted({f for c in conditions for f in c.get("likelihoods", {})})
    return {
        f: float(np.median([c.get("likelihoods", {}).get(f, c["default_likelihood"])["p"] for c in conditions]))
        for f in findings
    }


def coverage(root: Path) -> dict[str, Any]:
    """The share of deciding figures with a cited source, overall and by kind of figure, and the
    unsourced ones listed."""
    figures = deciding_figures(root)
    by_kind: dict[str, Counter[str]] = {}
    for f in figures:
        counts = by_kind.setdefault(f.kind, Counter())
        counts["figures"] += 1
        counts["sourced"] += f.sourced
    sourced = sum(f.sourced for f in figures)
    every, every_sourced = all_figures(root)
    return {
        "all_figures": every,
        "all_sourced": every_sourced,
        "figures": len(figures),
        "sourced": sourced,
        "share": round(sourced / len(figures), 4) if figures else None,
        "by_kind": {
            kind: {"figures": c["figures"], "sourced": c["sourced"], "share": round(c["sourced"] / c["figures"], 4)}
            for kind, c in sorted(by_kind.items())
        },
        "source_kinds": dict(sorted(Counter(f.source_kind for f in figures).items())),
        "unsourced": [f"{f.where} ({f.src}, {f.source_kind})" for f in figures if not f.sourced],
    }
