"""Find the common question that a free-text question means, in English or Turkish.

The search is lexical and runs on the standard library alone: a BM25 index per language over
each entry's question, its answer and extra phrasings kept as data (`faq_index.yaml`), after

* Turkish-aware lower-casing (I -> ı, İ -> i) and folding to ASCII, so "bacağım ağrıyor" and
  "bacagim agriyor" are the same words;
* stemming: a light suffix stripper for English, the first five letters for Turkish (a
  well-tested stand-in for a Turkish stemmer; Can et al., JASIST 2008);
* a synonym map (`faq_index.yaml: synonyms`) that maps words and phrases with one meaning
  ("pulled", "torn", "strain"; "pıhtı", "DVT") to one concept;
* stop-word removal;
* for a query word the index does not know: the longest known stem that starts it (a suffix the
  stemmer misses), else the known stem sharing most character bigrams (a misspelling), counted
  at `FUZZY_WEIGHT`.

Question-form concepts ("how long", "what causes"; `faq_index.yaml: generic`) and words found in
most entries ("pain") are generic: an entry matched on generic or rough terms alone has its
confidence halved (`GENERIC_ONLY_FACTOR`), so "how long does a cold last" gets no answer.

The confidence of a match is the share of the question's information (the IDF weight of its
words, unknown words counting at full weight) that the best entry covers. An off-topic
question ("how do I bake bread") shares almost nothing with any entry and gets no answer.
The threshold is `MIN_CONFIDENCE`, chosen on the labelled paraphrase set
(`tests/data/faq_paraphrases.jsonl`, see `thighdx.evaluation.faq_quality`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thighdx.care.stemming import STEMMERS, fold

__all__ = ["MIN_CONFIDENCE", "FaqAnswer", "answer_question"]

INDEX_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "faq_index.yaml"

MIN_CONFIDENCE = 0.3
"""Below this, `answer_question` says it has no good answer.

Chosen on the tuning half of `tests/data/faq_paraphrases.jsonl` only, with
`python -m thighdx.evaluation.faq_quality tests/data/faq_paraphrases.jsonl` (its
`threshold_sweep_tune`): from 0.25 to 0.30 every off-topic question in both languages is rejected
and 98.5 % (en) / 97.1 % (tr) of the paraphrases keep the right answer; at 0.20 one off-topic
question per language gets through, at 0.35 right answers drop (95.6 % en, 94.1 % tr). The upper
end of the plateau is taken, as wrongly answering an off-topic question costs more than
saying "no good answer".
"""

MAX_QUERY_CHARS = 2000
"""Longer input is cut: no real question is longer, and it bounds the time per call."""

UNKNOWN_WEIGHT = 1.0
"""Weight of a word the index has never seen, relative to the rarest indexed word."""

ANSWER_ONLY_WEIGHT = 0.3
"""Share of a matched word's weight that counts towards confidence when the word occurs only
in answers (not in any question, phrasing or synonym): such words ("sleep", "hours") are
incidental and should not make an off-topic question look answered."""

FUZZY_WEIGHT = 0.7
"""Weight of a query word matched only roughly (a known stem starting it, or a misspelling)."""

FUZZY_MIN_LENGTH = 4
"""Shorter words are never matched roughly: too many short words look alike."""

FUZZY_MIN_SIMILARITY = 0.7
"""Least share of character bigrams (Dice) a misspelt word must share with a known stem."""

GENERIC_ONLY_FACTOR = 0.5
"""Confidence is scaled by this when the best entry shares only generic or roughly matched terms
with the question (question forms such as "how long", "why", "what helps", and words in most entries such as
"pain"): "how long does a cold last" is not about any entry."""

GENERIC_RANK_WEIGHT = 0.8
"""Generic terms count less in the ranking too: the subject of a question ("posture") says more
about which entry it means than its form ("what causes")."""

_K1 = 1.2
_B = 0.5
_FIELD_WEIGHTS = {"question": 2.0, "phrasings": 1.0, "answer": 0.25}

_WORD = re.compile(r"[a-z0-9]+")
_TR_APOSTROPHE = re.compile(r"'[a-z]+")


@dataclass(frozen=True)
class FaqAnswer:
    """The common question that best fits, or `answer=None` when nothing fits well enough."""

    id: str | None
    question: str | None
    answer: str | None
    confidence: float
    sources: list[dict[str, Any]] = field(default_factory=list)




def _strings(values: Any) -> list[str]:
    """YAML turns some words into booleans or numbers ("no", "on", 999): keep them as text."""
    out = []
    for value in values or []:
        if isinstance(value, bool):
            from thighdx.errors import KnowledgeError

            raise KnowledgeError([f"faq_index.yaml: quote the word that YAML reads as a boolean ({value!r})"])
        out.append(str(value))
    return out


class _Analyzer:
    """Turns text into index terms for one language."""

    def __init__(self, language: str, stopwords: list[str], synonyms: list[list[str]], generic: Sequence[str] = ()) -> None:
        self.language = language
        self.stem = STEMMERS[language]
        self.stopwords = {fold(w) for w in _strings(stopwords)}
        # phrase (tuple of stems) -> concept term; longest phrases first
        phrases: dict[tuple[str, ...], str] = {}
        for group in synonyms:
            group = _strings(group)
            if not group:
                continue
            concept = "_" + "_".join(_WORD.findall(fold(group[0])))
            for member in group:
                stems = tuple(self.stem(w) for w in _WORD.findall(fold(member)))
                if stems:
                    phrases.setdefault(stems, concept)
        self.phrases = phrases
        self.max_phrase = max((len(p) for p in phrases), default=1)
        self.generic = {"_" + "_".join(_WORD.findall(fold(g))) for g in _strings(generic)}
        self.known: set[str] = set()
        self._bigrams: dict[str, set[str]] = {}

    def learn(self, stems: set[str]) -> None:
        """Remember the indexed vocabulary, so unknown query words can be matched to it."""
        self.known = {s for s in stems if not s.startswith("_")}
        for phrase in self.phrases:
            self.known.update(phrase)
        self._bigrams = {}
        for stem in self.known:
            if len(stem) >= FUZZY_MIN_LENGTH:
                for gram in _bigrams(stem):
                    self._bigrams.setdefault(gram, set()).add(stem)

    def resolve(self, word: str, stem: str) -> tuple[str, bool]:
        """The indexed stem a query word stands for, and whether it was matched only roughly.

        A word whose stem the index does not know is tried, in order, as (1) the longest known
        stem that starts the word (a suffix the stemmer does not know: "agriyormus" -> "agri"),
        (2) the known stem with the most character bigrams in common (a misspelling:
        "hamstirng" -> "hamstring", "siyatk" -> "siyatik"), if similar enough.
        """
        if stem in self.known or not self.known or len(word) < FUZZY_MIN_LENGTH or word.isdigit():
            return stem, False
        for size in range(min(len(word), 8), FUZZY_MIN_LENGTH - 1, -1):
            if word[:size] in self.known:
                return word[:size], True
        grams = _bigrams(word)
        counts: Counter[str] = Counter()
        for gram in grams:
            for candidate in self._bigrams.get(gram, ()):
                counts[candidate] += 1
        best, best_sim = stem, 0.0
        for candidate in counts:
            if candidate[0] != word[0]:
                continue  # misspellings rarely change the first letter; this keeps the match strict
            # the stem is a prefix of its word: compare with the same length of the word
            target = _bigrams(word[: max(len(candidate), FUZZY_MIN_LENGTH)]) if self.language == "tr" else grams
            sim = 2 * len(target & _bigrams(candidate)) / (len(target) + len(_bigrams(candidate)))
            if sim > best_sim or (sim == best_sim and candidate < best):
                best, best_sim = candidate, sim
        if best_sim >= FUZZY_MIN_SIMILARITY:
            return best, True
        return stem, False

    def normalise(self, text: str) -> str:
        """Folded text; an apostrophe joins an English contraction ("doesn't" -> "doesnt") and
        ends a Turkish proper name ("Tokyo'da" -> "tokyo": the suffix after it is grammar)."""
        text = fold(text).replace("\u2019", "'")
        if self.language == "tr":
            return _TR_APOSTROPHE.sub("", text)
        return text.replace("'", "")

    def terms(self, text: str) -> list[str]:
        return [term for term, _weight in self.weighted_terms(text)]

    def weighted_terms(self, text: str, query: bool = False) -> list[tuple[str, float]]:
        """Index terms with their weight: 1, or `FUZZY_WEIGHT` for a rough (fuzzy) match."""
        words = _WORD.findall(self.normalise(text))
        stems = [self.stem(w) for w in words]
        rough = [False] * len(words)
        if query:
            for i, word in enumerate(words):
                if word not in self.stopwords:
                    stems[i], rough[i] = self.resolve(word, stems[i])
        out: list[tuple[str, float]] = []
        i = 0
        while i < len(words):
            for size in range(min(self.max_phrase, len(words) - i), 0, -1):
                concept = self.phrases.get(tuple(stems[i : i + size]))
                if concept and not (size == 1 and words[i] in self.stopwords):
                    out.append((concept, FUZZY_WEIGHT if any(rough[i : i + size]) else 1.0))
                    i += size
                    break
            else:
                if words[i] not in self.stopwords and len(words[i]) > 1:
                    out.append((stems[i], FUZZY_WEIGHT if rough[i] else 1.0))
                i += 1
        return out


def _bigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


# --- index ----------------------------------------------------------------------------------


class _Index:
    """A BM25 index of the common questions in one language."""

    def __init__(self, analyzer: _Analyzer, docs: list[tuple[str, dict[str, str | list[str]]]]) -> None:
        self.analyzer = analyzer
        self.ids = [doc_id for doc_id, _ in docs]
        # Term weights per document (weighted counts: floats).
        self.tf: list[dict[str, float]] = []
        for _, fields in docs:
            counts: dict[str, float] = {}
            for name, weight in _FIELD_WEIGHTS.items():
                value = fields.get(name) or []
                texts = [value] if isinstance(value, str) else value
                for text in texts:
                    for term in analyzer.terms(text):
                        counts[term] = counts.get(term, 0.0) + weight
            self.tf.append(counts)
        # Words of the questions and phrasings (and every synonym concept): the domain vocabulary.
        self.title_terms: set[str] = set()
        for _, fields in docs:
            value = fields.get("phrasings") or []
            titles = [fields.get("question") or ""] + ([value] if isinstance(value, str) else list(value))
            for title in titles:
                self.title_terms.update(analyzer.terms(str(title)))
        self.title_terms.update(analyzer.phrases.values())
        analyzer.learn({term for counts in self.tf for term in counts})
        self.lengths = [sum(c.values()) for c in self.tf]
        self.avg_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(self.tf)
        self.idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        # Terms that do not say what the question is about: the question-form concepts listed as
        # `generic` in faq_index.yaml ("how long", "why", "what helps") and words found in more
        # than half of the entries ("pain", "leg").
        self.generic = set(analyzer.generic) | {term for term, d in df.items() if d > n / 2}

    def search(self, text: str) -> tuple[int | None, float, float]:
        """Best entry, its BM25 score and its confidence (0..1).

        The confidence is the share of the question's information (IDF) that the best entry
        covers, with words the index has never seen counted at `UNKNOWN_WEIGHT` of full weight:
        a question made of unrelated words scores near 0, a paraphrase with a few extra words
        still scores well.
        """
        weights: dict[str, float] = {}
        for term, weight in self.analyzer.weighted_terms(text, query=True):
            weights[term] = max(weight, weights.get(term, 0.0))
        if not weights or not self.tf:
            return None, 0.0, 0.0
        best, best_score, best_covered, best_topic = None, 0.0, 0.0, 0.0
        for i, counts in enumerate(self.tf):
            score = 0.0
            covered = 0.0
            topic = 0.0
            norm = _K1 * (1 - _B + _B * self.lengths[i] / self.avg_length)
            for term, weight in weights.items():
                f = counts.get(term)
                if f:
                    idf = self.idf[term]
                    score += weight * idf * f * (_K1 + 1) / (f + norm)
                    share = weight * (idf if term in self.title_terms else ANSWER_ONLY_WEIGHT * idf)
                    covered += share
                    if term not in self.generic and weight == 1.0:
                        topic += share  # a rough match alone does not make a question on topic
            if score > best_score:
                best, best_score, best_covered, best_topic = i, score, covered, topic
        total = sum(self.idf[t] if t in self.idf else UNKNOWN_WEIGHT * self.unknown_idf for t in weights)
        confidence = best_covered / total if best_covered else 0.0
        if best_topic == 0.0:
            confidence *= GENERIC_ONLY_FACTOR  # only "how long ... heal" matched, nothing on the subject
        return best, best_score, min(1.0, confidence)


def _load_index_data(path: Path = INDEX_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return data


def _build(kb: Any) -> dict[str, Any]:
    data = _load_index_data()
    entries = list(kb.faq.faq)
    extra = data.get("entries") or {}
    indexes = {}
    for language in ("en", "tr"):
        analyzer = _Analyzer(
            language,
            (data.get("stopwords") or {}).get(language, []),
            (data.get("synonyms") or {}).get(language, []),
            (data.get("generic") or {}).get(language, []),
        )
        docs = [
            (
                entry.id,
                {
                    "question": entry.question.get(language),
                    "answer": entry.answer.get(language),
                    "phrasings": list((extra.get(entry.id) or {}).get(language, [])),
                },
            )
            for entry in entries
        ]
        indexes[language] = _Index(analyzer, docs)
    folded = {
        key: {lang: [fold(w) for w in _strings((data.get(key) or {}).get(lang, []))] for lang in ("en", "tr")}
        for key in ("elsewhere", "anchors")
    }
    return {"indexes": indexes, "entries": {e.id: e for e in entries}, **folded}


def _search_state(kb: Any) -> dict[str, Any]:
    cache = getattr(kb, "_cache", None)
    if isinstance(cache, dict):
        state = cache.get("faq_search")
        if state is None:
            state = cache["faq_search"] = _build(kb)
        return state
    return _build(kb)


def _source_dicts(kb: Any, ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for sid in ids:
        source = kb.sources.get(sid)
        out.append(
            {
                "id": sid,
                "citation": getattr(source, "citation", None),
                "url": getattr(source, "url", None),
            }
        )
    return out


def _word_hits(words: set[str], listed: list[str]) -> bool:
    return any(w == x or (len(x) >= 5 and w.startswith(x)) for w in words for x in listed)


def _about_something_else(state: dict[str, Any], text: str, language: str) -> bool:
    """The question names another complaint (a toothache) and nothing of this one."""
    words = set(_WORD.findall(fold(text)))
    elsewhere, anchors = state["elsewhere"].get(language, []), state["anchors"].get(language, [])
    return _word_hits(words, elsewhere) and not _word_hits(words, anchors)


def score_question(question: str, language: str = "en", kb: Any = None) -> tuple[str | None, float]:
    """The best entry id and its confidence, whatever the threshold (for evaluation)."""
    if kb is None:
        from thighdx.knowledge.loader import load_kb

        kb = load_kb()
    language = language if language in ("en", "tr") else "en"
    text = question[:MAX_QUERY_CHARS] if isinstance(question, str) else ""
    state = _search_state(kb)
    if _about_something_else(state, text, language):
        return None, 0.0
    best_id, best_conf = None, 0.0
    # The question is matched in its own language first; the other language is tried too, with
    # a small handicap, so a question typed in the "wrong" language still finds its entry.
    for lang, factor in ((language, 1.0), ("tr" if language == "en" else "en", 0.9)):
        index: _Index = state["indexes"][lang]
        i, _score, cover = index.search(text)
        if i is not None and cover * factor > best_conf:
            best_id, best_conf = index.ids[i], cover * factor
    return best_id, round(min(1.0, max(0.0, best_conf)), 4)


def answer_question(question: str, language: str = "en", kb: Any = None) -> FaqAnswer:
    """Answer a free-text question with the common question it means, or say nothing fits.

    `answer` (and `id`, `question`) are None when the best match's confidence is below
    `MIN_CONFIDENCE`; `confidence` is always reported. Never raises on odd input.
    """
    if kb is None:
        from thighdx.knowledge.loader import load_kb

        kb = load_kb()
    language = language if language in ("en", "tr") else "en"
    entry_id, confidence = score_question(question, language, kb)
    if entry_id is None or confidence < MIN_CONFIDENCE:
        return FaqAnswer(id=None, question=None, answer=None, confidence=confidence, sources=[])
    entry = _search_state(kb)["entries"][entry_id]
    return FaqAnswer(
        id=entry.id,
        question=entry.question.get(language),
        answer=entry.answer.get(language),
        confidence=confidence,
        sources=_source_dicts(kb, list(entry.sources)),
    )


@dataclass(frozen=True)
class FaqKnowledge:
    """The part of the knowledge base the search needs: the questions and the sources."""

    faq: Any
    sources: dict[str, Any]
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def load_faq_knowledge(root: Path | None = None) -> FaqKnowledge:
    """Read and validate only `faq.yaml` and `sources/*.yaml` (no cross-checks).

    For tools and tests that must work while other parts of the knowledge base are being
    edited; the product itself passes the full knowledge base (`load_kb()`).
    """
    from thighdx.knowledge.schema import FaqFile, SourcesFile

    root = Path(root) if root else INDEX_FILE.parent
    with (root / "faq.yaml").open(encoding="utf-8") as handle:
        faq = FaqFile.model_validate(yaml.safe_load(handle))
    sources: dict[str, Any] = {}
    for path in sorted((root / "sources").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            for source in SourcesFile.model_validate(yaml.safe_load(handle)).sources:
                sources[source.id] = source
    return FaqKnowledge(faq=faq, sources=sources)
