"""Free text to canonical findings, in English and Turkish.

    from thighdx.language import parse, Mention
    parse("sharp pain behind my thigh, no swelling", "en") -> [Mention(...), ...]

Importing this package is cheap: spaCy and medspaCy load on the first `parse` call.
"""

from thighdx.language.lexicon import check_lexicon, max_chars
from thighdx.language.parser import Mention, ParseResult, parse, parse_text

__all__ = ["Mention", "ParseResult", "check_lexicon", "max_chars", "parse", "parse_text"]
