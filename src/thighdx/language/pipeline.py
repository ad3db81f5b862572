"""The spaCy pipeline that runs medspaCy's ConText with the lexicon's own cue lists.

A blank spaCy pipeline per language (no model is downloaded): a sentencizer, line breaks as
sentence ends, and ConText, whose rules are the lexicon's cues. A negation reaches past a comma
only along a list of findings ("no swelling, numbness or tingling"). spaCy is imported when the
first pipeline is built, not at import.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from thighdx.language.lexicon import Cue, Lexicon

GROUP = "thighdx_findings"
# doc.user_data key: (start, end) token spans of findings that end in a finite verb of their own.
FINITE = "thighdx_finite"
ABSENT_LABEL = "__absent__"
# List items are at most this many tokens long.
LIST_ITEM_TOKENS = 3
# Words that may sit between a negation and a finding further along a list
# ("no swelling, numbness or tingling"); anything else ends the list at a comma.
LIST_WORDS = {
    "en": {",", "or", "and", "nor", "any", "my", "the", "a", "of", "in", "no", "other", "real", "/", "-", "either", "neither", "at", "all", "also", "&"},
    "tr": {",", "veya", "ya", "da", "de", "ve", "ile", "hic", "ne", "bir", "/", "-", "ayrica", "herhangi", "&"},
}
# Turkish cues after a finite verb that may still speak of it: "şişmiş değil" (it is not
# swollen), "şişti geçti" (it swelled and went down).
CLAUSE_CLOSING_EXCEPT = ("degil", "gecti")
# Turkish "değil" negates the constituent right before it: a side of the part ("kalçamın yan
# tarafında değil": the side, not the hip) or how many ("ikisi birden değil": not both legs)
# between a finding and "değil" is what is denied, not the finding.
DEGIL_OWN_CONSTITUENT = re.compile(r"(?!(?:icin|yani|ona|onu|ondan|onun|onda|ice|dise)$)(?:yan|on|ic|dis|taraf|ikisi|iki|birden|hepsi|tek)(?:[iu]?n?(?:d[ae]|d[ae]n|[iu]|[ae]|[iu]n))?")
# Words that carry a list on past its next item.
LIST_BREAKS = {",", ";", "or", "and", "nor", "ve", "veya", "ya", "ile", "/", "&"}
LIST_JOINERS = {"en": {"or", "nor", "and", "/", "&"}, "tr": {"veya", "ya", "ve", "ile", "/", "&"}}
CATEGORY = {
    "negation": "NEGATED_EXISTENCE",
    "uncertainty": "POSSIBLE_EXISTENCE",
    "hypothetical": "HYPOTHETICAL",
    "family": "FAMILY",
    "other_person": "OTHER_PERSON",
    "historical": "HISTORICAL",
    "terminate": "TERMINATE",
    "pseudo": "PSEUDO",
}
ATTRIBUTES = {
    "NEGATED_EXISTENCE": {"is_negated": True},
    "POSSIBLE_EXISTENCE": {"is_uncertain": True},
    "HYPOTHETICAL": {"is_hypothetical": True},
    "FAMILY": {"is_family": True},
    "OTHER_PERSON": {"is_family": True},
    "HISTORICAL": {"is_historical": True},
}


_LOCK = threading.Lock()
_PIPELINES: dict[str, Any] = {}


def _token_pattern(cue: Cue, nlp: Any) -> list[dict[str, Any]]:
    if cue.regex:
        return [{"LOWER": {"REGEX": cue.regex}}]
    pattern: list[dict[str, Any]] = []
    for word in (cue.phrase or "").split():
        if word.startswith("^"):  # a word given as a regular expression ("^\\d+/52$")
            pattern.append({"LOWER": {"REGEX": word}})
        elif word.endswith("~"):
            stem = word[:-1]
            pattern.append({"LOWER": {"REGEX": rf"^{stem}\w*$"}})
        else:
            pattern.extend({"LOWER": token.text} for token in nlp.tokenizer(word))
    return pattern


def _build(language: str, lexicon: Lexicon) -> Any:
    from loguru import logger

    logger.disable("PyRuSH")
    logger.disable("medspacy")
    import spacy
    from medspacy.context import ConText, ConTextRule  # the import registers the pipe
    from spacy.language import Language

    if not Language.has_factory("thighdx_newline_sentences"):

        @Language.component("thighdx_newline_sentences")
        def newline_sentences(doc: Any) -> Any:
            for token in doc[:-1]:
                if "\n" in token.text or token.text in {";", "|"}:
                    doc[token.i + 1].is_sent_start = True
            return doc

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("thighdx_newline_sentences")
    context: ConText = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "span_attrs": ATTRIBUTES, "input_span_type": "group", "span_group_name": GROUP},
    )
    list_words = LIST_WORDS[language]
    list_joiners = LIST_JOINERS[language]

    def free_cue(target: Any, modifier: Any, span_between: Any) -> bool:
        """A cue that is part of another finding's words ("hasn't settled") is that
        finding's, not a cue for its neighbours (unless they share words: "bladder & bowels"
        and "bowels normal")."""
        return not any(s.start <= modifier.start and modifier.end <= s.end and (s.end <= target.start or target.end <= s.start)
                       for s in target.doc.spans[GROUP])

    def closed_by_own_verb(target: Any, modifier: Any) -> bool:
        """Turkish puts the verb last: a finding whose own last word is a finite affirmative
        verb ("güçsüzleşti", "uyuştu") has closed its clause, so a negation after it is the
        next clause's ("bacağım güçsüzleşti, yürüyemiyor": it cannot walk)."""
        if language != "tr" or modifier.start < target.end:
            return False
        if target.doc[modifier.start : modifier.end].text.startswith(CLAUSE_CLOSING_EXCEPT):
            return False
        return (target.start, target.end) in target.doc.user_data.get(FINITE, ())

    def constituent_of_degil(target: Any, modifier: Any) -> bool:
        """Turkish "değil" after a finding does not deny it across a side or a count of
        its own ("kalçamın yan tarafında değil", "ikisi birden değil")."""
        doc = target.doc
        if modifier.start < target.end or not doc[modifier.start].lower_.startswith("degil"):
            return True
        if target.label_ == ABSENT_LABEL:
            return True  # "idrarımı tutabiliyorum ama her zaman değil": the state itself is denied
        covered = {i for s in doc.spans[GROUP] for i in range(s.start, s.end)}
        return not any(t.i not in covered and DEGIL_OWN_CONSTITUENT.fullmatch(t.lower_) for t in doc[target.end : modifier.start])

    def within_list(target: Any, modifier: Any, span_between: Any) -> bool:
        """A negation reaches past a comma only along a list of findings."""
        if not free_cue(target, modifier, span_between) or closed_by_own_verb(target, modifier):
            return False
        if language == "tr" and not constituent_of_degil(target, modifier):
            return False
        if span_between is None:
            return True
        # medspaCy's span between a backward cue and its target runs to the cue's end: leave
        # the cue's own words out.
        span_between = [t for t in span_between if not modifier.start <= t.i < modifier.end]
        if not any(t.text in {",", "and", "ve", ";", "&"} for t in span_between):
            return True
        # List items are short ("numbness, tingling or weakness"); a longer phrase after a
        # comma starts a new clause ("no swelling, pain shoots into my calf").
        if len(target) > LIST_ITEM_TOKENS:
            return False
        covered = {i for span in target.doc.spans[GROUP] if len(span) <= LIST_ITEM_TOKENS for i in range(span.start, span.end)}
        if not all(t.i in covered or t.lower_ in list_words or t.is_space for t in span_between):
            return False
        if modifier.start < target.start:
            commas = [t.i for t in span_between if t.text in {",", ";"}]
            joined = commas and any(t.lower_ in list_joiners for t in span_between if t.i > commas[-1])
            if not joined and not bare_item(target):
                return False
        return True

    def bare_item(target: Any) -> bool:
        """A list item: what follows it up to the next comma is only more of the list ("or
        tingling"), not a description of its own ("numbness in my foot", "numbness started
        yesterday"), which makes it a new clause."""
        doc = target.doc
        after = []
        for token in doc[target.end : target.sent.end]:
            if token.text in {",", ";", ".", "!", "?"}:
                break
            after.append(token)
        if any(t.lower_ in list_joiners for t in after):
            return True  # "numbness or tingling in my foot": the list goes on
        return all(t.lower_ in list_words or t.is_space or t.is_punct for t in after)

    rules = []
    for cue in lexicon.cues:
        pattern = _token_pattern(cue, nlp)
        if not pattern:
            continue
        # A rule's literal is its name in the matcher: keep it unique per kind and direction.
        literal = f"{cue.kind}:{cue.direction}:{cue.phrase or cue.regex}"
        kwargs: dict[str, Any] = {"direction": cue.direction.upper(), "pattern": pattern}
        scope = cue.max_scope or (lexicon.default_scope if cue.direction in ("forward", "backward", "bidirectional") else None)
        if scope:
            kwargs["max_scope"] = scope
        if cue.kind == "negation" and cue.direction in ("forward", "backward", "bidirectional"):
            kwargs["on_modifies"] = within_list
        elif cue.direction not in ("terminate", "pseudo"):
            kwargs["on_modifies"] = free_cue
        rules.append(ConTextRule(literal, CATEGORY[cue.kind], **kwargs))
    context.add(rules)
    return nlp


def pipeline(language: str, lexicon: Lexicon) -> Any:
    nlp = _PIPELINES.get(language)
    if nlp is None:
        with _LOCK:
            nlp = _PIPELINES.get(language)
            if nlp is None:
                nlp = _build(language, lexicon)
                _PIPELINES[language] = nlp
    return nlp

