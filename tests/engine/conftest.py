from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from thighdx.engine import Evidence
from thighdx.knowledge.loader import KnowledgeBase


@pytest.fixture(scope="session")
def calm_states(kb: KnowledgeBase) -> Callable[[int, int], list[Evidence]]:
    """`calm_states(count, seed)`: random answer sets of 3 to 11 ordinary findings (each present
    or absent), every universal safety question answered "no", at a random adult age and sex:
    states where home care is possible."""
    universal = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    ordinary = [f.id for f in kb.findings.values() if not f.red_flag and f.screen != "always"]

    def states(count: int, seed: int) -> list[Evidence]:
        rng = np.random.default_rng(seed)
        found = []
        for _ in range(count):
            answers = dict(universal)
            for f in rng.choice(ordinary, size=int(rng.integers(3, 12)), replace=False).tolist():
                answers[f] = "present" if rng.random() < 0.5 else "absent"
            found.append(Evidence.build(kb, float(rng.integers(18, 80)), "female" if rng.random() < 0.5 else "male", answers))
        return found

    return states
