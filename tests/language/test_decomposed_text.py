"""Text whose accents arrive as separate marks (NFD) reads like the composed text, with spans
into the text as sent."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thighdx.language import parse


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bacağımda şişlik yok, uyuşma yok. Ağrı dizin altına vuruyor.", "tr"),
        ("İki gündür kaba etimde ağrı var, idrarımı tutamıyorum.", "tr"),
        ("Café owner here: no swelling, but pins and needles down to my foot.", "en"),
    ],
)
def test_decomposed_text_reads_like_composed(text, language):
    composed = [(m.id, m.choice_id) for m in parse(text, language)]
    decomposed_text = unicodedata.normalize("NFD", text)
    decomposed = parse(decomposed_text, language)
    assert [(m.id, m.choice_id) for m in decomposed] == composed
    for m in decomposed:
        assert decomposed_text[m.start : m.end] == m.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcışğüöçİI \u0301\u0307\u0327\u0308,.", max_size=80))
def test_spans_point_into_the_text_as_sent(text):
    for language in ("en", "tr"):
        for m in parse(text, language):
            assert text[m.start : m.end] == m.text
