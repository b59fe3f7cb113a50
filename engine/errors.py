"""Every error the engine raises on purpose, as one tree.

    EngineError                 base: a message a user can act on, never a traceback
    ├── RulesError              a rules or study-content file is malformed (names file, item, field)
    ├── AnswerError             an answer is unknown, of the wrong type or out of range (names the question)
    ├── DataError               a data set or uploaded CSV cannot be used (says what is accepted)
    └── TrainingError           a training run could not start or finish (busy, cancelled, failed)

Callers catch `EngineError` at the edge (CLI, pages) and show `str(error)`.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of all errors meant to be shown to a user as one or more sentences."""


class RulesError(EngineError):
    """A rules or content file failed to load, validate or pass the static checks."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class AnswerError(EngineError):
    """An answer that the engine cannot use; `question` is its id ('' when the id itself is unknown)."""

    def __init__(self, question: str, message: str):
        self.question = question
        super().__init__(message)


class DataError(EngineError):
    """A data set or uploaded CSV that cannot be used, with what would be accepted."""


class TrainingError(EngineError):
    """A training run that could not start or finish."""
