"""Every user-facing text exists in English and Turkish, and the Turkish is a translation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from thighdx.knowledge.loader import DATA_DIR
from thighdx.knowledge.schema import Text

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def texts(node, where="kb"):
    """Every Text inside a loaded model, with where it sits."""
    if isinstance(node, Text):
        yield where, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts(getattr(node, name), f"{where}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from texts(value, f"{where}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from texts(value, f"{where}[{i}]")


def all_texts(kb):
    for name in ("findings", "conditions", "care", "exercises", "messages"):
        yield from texts(getattr(kb, name), name)
    for name in ("other", "triage", "scores", "faq"):
        yield from texts(getattr(kb, name), name)
    yield from texts(kb.groups, "groups")


def test_every_text_has_both_languages(kb):
    found = list(all_texts(kb))
    assert len(found) > 1000
    missing = [w for w, t in found if not t.en.strip() or not t.tr.strip()]
    assert missing == []


def test_turkish_is_not_a_copy_of_english(kb):
    copies = [w for w, t in all_texts(kb) if t.en == t.tr and re.search(r"[a-z]{4}", PLACEHOLDER.sub("", t.en))]
    assert copies == [], copies[:10]


def test_placeholders_match_in_both_languages(kb):
    wrong = [w for w, t in all_texts(kb) if sorted(PLACEHOLDER.findall(t.en)) != sorted(PLACEHOLDER.findall(t.tr))]
    assert wrong == []


def test_message_files_define_each_key_once():
    seen: dict[str, str] = {}
    for path in sorted((DATA_DIR / "messages").glob("*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            assert key not in seen, f"{key} in {path.name} and {seen[key]}"
            seen[key] = path.name


def test_lexicon_covers_both_languages():
    from thighdx.language import check_lexicon

    assert check_lexicon() == []


def test_no_file_outside_the_schema():
    known = {"findings.yaml", "other.yaml", "triage.yaml", "scores.yaml", "exercises.yaml", "faq.yaml",
             "faq_index.yaml", "interview.yaml", "version.yaml"}
    top = {p.name for p in Path(DATA_DIR).glob("*.yaml")}
    assert top <= known, top - known
