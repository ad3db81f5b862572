"""Which knowledge base gave an answer: its human version and a content hash of its files.

The hash is SHA-256 over every YAML file under the knowledge-base directory, in sorted order of
their paths relative to it, each as its path, a NUL, its bytes (line endings as LF) and a NUL: the
same files give the same hash on any machine and in any checkout. The human version is
`version:` in `version.yaml` ("unversioned" where the file is missing, as in older revisions).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from thighdx.knowledge.loader import KnowledgeBase

VERSION_FILE = "version.yaml"


def content_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml"), key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def human_version(root: Path) -> str:
    try:
        data = yaml.safe_load((root / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return "unversioned"
    version = data.get("version") if isinstance(data, dict) else None
    return str(version) if version else "unversioned"


def kb_provenance(kb: KnowledgeBase) -> dict[str, str]:
    """`{version, hash}` of the knowledge base, computed once per loaded knowledge base."""
    found: dict[str, str] | None = kb._cache.get("provenance")
    if found is None:
        found = kb._cache["provenance"] = {"version": human_version(kb.root), "hash": content_hash(kb.root)}
    return dict(found)
