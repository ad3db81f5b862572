"""thighdx: assessment of pain in the back of the thigh."""

from __future__ import annotations

__version__ = "0.1.0"
