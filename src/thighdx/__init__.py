"""thighdx: assessment of pain in the back of the thigh.

The public API, re-exported here:

    from thighdx import Interview, load_kb
    interview = Interview.start(load_kb(), age=34, sex="female", text="felt a pop behind my thigh")

Every error the product raises on purpose is a `ThighdxError`.
"""

from __future__ import annotations

from thighdx.engine import Assessment, Evidence, Ranking, Triage, assess, posterior, triage
from thighdx.errors import InputError, InterviewError, KnowledgeError, NotFound, StorageError, ThighdxError
from thighdx.interview import Interview, Step, text_readings
from thighdx.knowledge.loader import KnowledgeBase, load_kb

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Evidence",
    "InputError",
    "Interview",
    "InterviewError",
    "KnowledgeBase",
    "KnowledgeError",
    "NotFound",
    "Ranking",
    "Step",
    "StorageError",
    "ThighdxError",
    "Triage",
    "assess",
    "load_kb",
    "posterior",
    "text_readings",
    "triage",
]
