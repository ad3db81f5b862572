"""A text in a third language is reported unsupported, with no mentions, rather than misread."""

from __future__ import annotations

import pytest

from thighdx.language import parse, parse_text


@pytest.mark.parametrize(
    "text",
    [
        "Seit zwei Wochen habe ich Schmerzen hinten am Oberschenkel, und das Bein ist nicht geschwollen.",
        "J'ai mal à l'arrière de la cuisse depuis une semaine, pas de gonflement ni de fourmillements.",
        "Me duele la parte de atrás del muslo desde hace un mes y no tengo hinchazón.",
        "Ho un dolore dietro la coscia da una settimana, ma non ho gonfiore.",
        "У меня болит задняя поверхность бедра уже две недели, отёка нет.",
        "ركبتي تؤلمني منذ أسبوعين ولا يوجد تورم",
        "大腿后侧疼痛两周了，没有肿胀。",
    ],
)
@pytest.mark.parametrize("language", ["en", "tr"])
def test_third_language_is_unsupported(text: str, language: str) -> None:
    result = parse_text(text, language)
    assert result.unsupported_language is True
    assert result.mentions == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("No swelling, but the back of my thigh aches when I sit.", "en"),
        ("Uyluğumun arkası oturunca ağrıyor, şişlik yok.", "tr"),
        ("Uylugumun arkasi oturunca agriyor, sislik yok.", "tr"),
        ("Uyluğumun arkası ağrıyor", "en"),  # the other supported language: not "unsupported"
        ("no swelling", "en"),
        ("Café owner, no swelling, de facto fine.", "en"),
        ("I had a DVT in Paris, die hard fan of la liga, pain in my calf.", "en"),
    ],
)
def test_supported_text_is_read(text: str, language: str) -> None:
    assert parse_text(text, language).unsupported_language is False


def test_parse_returns_no_mentions_for_a_third_language() -> None:
    assert parse("Das Bein tut weh, keine Schwellung, seit drei Wochen.", "en") == []
