"""What the parser gives back: one mention of a finding in a text, and the result of a parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Choice = Literal["present", "absent", "unknown"]


@dataclass(frozen=True)
class Mention:
    """One finding mentioned in a text: `text[start:end] == mention.text` (code points)."""

    id: str
    choice_id: Choice
    text: str
    start: int
    end: int
    # How sure the reading is, in [0, 1]: lower for stem-only matches, a negation far from
    # its finding or reaching along a list, long clauses, and uncertain mentions.
    confidence: float = 1.0
    # Read by the learned reader, not by the lexicon (not sent by the API: a reading is a reading).
    learned: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The mention as the API sends it (contract §5)."""
        return {"id": self.id, "choice_id": self.choice_id, "text": self.text, "start": self.start, "end": self.end,
                "confidence": self.confidence}


@dataclass(frozen=True)
class ParseResult:
    """Mentions plus what the caller should be told about the input."""

    mentions: list[Mention]
    truncated: bool
    max_chars: int
    parsed_chars: int
    # The text is clearly in a language the parser does not read (neither English nor
    # Turkish): no mentions are given rather than misreadings.
    unsupported_language: bool = False

