"""Hints of red flags the lexicon did not read, from a small learned detector.

The lexicon reads what its patterns name; a red flag told in words it has never met is read
as nothing, and the interview then has no reason to ask it early. This module scores, for each
red flag (and each finding that alone demands emergency care), the chance that a text tells of it, with a linear classifier over the text's words,
word pairs, words after a negation and letter groups (so Turkish suffixes and phone-typed
spellings share features). It is trained on every labelled set in the repository
(`python -m thighdx.evaluation.flag_training`) and ships as data beside this module
(`models/red_flags-<language>.npz`); nothing is downloaded.

Its one power is to add, as `unknown`, a red flag the lexicon did not read at all when the
score reaches the model's threshold: the interview then asks it. It never reads a finding
present or absent and never replaces the lexicon's reading, so it cannot make a reading wrong,
only a question earlier.
"""

from __future__ import annotations

import logging

from thighdx.language.linear import LinearModel, packaged, sentence_spans, use_packaged
from thighdx.language.mention import Mention

NAME = "red_flags"

log = logging.getLogger(__name__)


def model(language: str) -> LinearModel | None:
    """The packaged detector for `language` (None if there is none), loaded once."""
    return packaged(NAME, language)


def use_model(language: str, replacement: LinearModel | None) -> LinearModel | None:
    """Put `replacement` in place of the detector for `language` (None: no hints) and return
    the one it replaced; for measuring a detector trained without a held-out set."""
    return use_packaged(NAME, language, replacement)


def with_flag_hints(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    """`mentions` plus, as `unknown`, every red flag the detector finds told of that the lexicon
    did not read at all (its span: the sentence that scores highest for it); `mentions` unchanged
    if the detector fails in any way."""
    try:
        return mentions + _hints(mentions, norm, work, language)
    except Exception:  # a broken detector must never cost the lexicon's reading
        log.exception("the red-flag detector failed; the lexicon's reading is used alone")
        return mentions


def _hints(mentions: list[Mention], norm: str, work: str, language: str) -> list[Mention]:
    detector = model(language)
    if detector is None or not norm.strip():
        return []
    whole = detector.scores(norm)
    read = {m.id for m in mentions}  # the lexicon's own reading of a flag stands
    flagged = [flag for flag, p in whole.items() if p >= detector.threshold and flag not in read]
    if not flagged:
        return []
    return [Mention(flag, "unknown", work[start:end], start, end, round(whole[flag], 2))
            for flag, (start, end) in sentence_spans(norm, work, detector, flagged).items()]
