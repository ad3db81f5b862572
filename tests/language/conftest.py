"""Fixtures of the language tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from thighdx.language import learned_reading


@pytest.fixture
def lexicon_alone() -> Iterator[None]:
    """The parser with the learned reader switched off: for tests that pin the lexicon's own
    reading of a wording (the reader's worth is measured on held-out rounds instead)."""
    before = {language: learned_reading.use_model(language, None) for language in ("en", "tr")}
    try:
        yield
    finally:
        for language, model in before.items():
            learned_reading.use_model(language, model)
