"""One exception tree for the whole product.

    ThighdxError
    ├── KnowledgeError   a knowledge-base file is malformed or inconsistent
    ├── InputError       a request names an unknown id, a bad value or contradicts itself
    ├── InterviewError   an interview cannot go on (nothing left to ask, unknown question)
    ├── NotFound         a stored object does not exist (or is not yours)
    └── StorageError     the database failed
"""

from __future__ import annotations


class ThighdxError(Exception):
    """Base of every error the product raises on purpose."""


class KnowledgeError(ThighdxError):
    """The knowledge base is malformed; `problems` lists every fault found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems) if len(problems) < 4 else f"{len(problems)} problems: " + "; ".join(problems[:3]) + " ...")

    def __reduce__(self) -> tuple[type[KnowledgeError], tuple[list[str]]]:
        return type(self), (self.problems,)  # rebuilt from its problems in another process, not from its message


class InputError(ThighdxError, ValueError):
    """Bad input, naming the field and the value at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return type(self), (self.field, self.message)


class InterviewError(ThighdxError):
    """The interview cannot continue as asked."""


class NotFound(ThighdxError):
    """A stored object does not exist, or belongs to someone else."""


class StorageError(ThighdxError):
    """The database failed."""
