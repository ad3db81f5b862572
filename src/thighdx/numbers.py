"""The emergency number in texts: the knowledge base never hard-codes one.

Care plans and red-flag messages say `{number}`; whoever shows them fills it with the number the
person chose (the web pages) or, where no choice was made (the terminal), with `DEFAULT`.
"""

from __future__ import annotations

from typing import TypeVar

PLACEHOLDER = "{number}"
NUMBERS = ("112", "911", "999")
DEFAULT = {"en": "112 (999 in the UK, 911 in the US)", "tr": "112"}
"""The terminal's fill, where the person has not said where they are."""

T = TypeVar("T")


def default_number(language: str) -> str:
    return DEFAULT.get(language, DEFAULT["en"])


def fill(value: T, number: str) -> T:
    """`value` (a text, or lists and dicts of texts) with every `{number}` replaced by `number`."""
    if isinstance(value, str):
        return value.replace(PLACEHOLDER, number)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: fill(v, number) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [fill(v, number) for v in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(fill(v, number) for v in value)  # type: ignore[return-value]
    return value
