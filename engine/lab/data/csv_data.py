"""A user's CSV of texts and labels: strict loading with actionable errors, and a profile for the interview.

Cells are only ever treated as text. A cell like `=HYPERLINK(...)` or `=cmd|...` is kept as the
literal string it is; nothing here evaluates, executes or re-exports it as a formula.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import DataError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MIN_ROWS = 20
MAX_CLASSES = 50
TEXT_NAMES = ("text", "sentence", "review", "content", "message", "body", "document", "comment")
LABEL_NAMES = ("label", "labels", "class", "category", "target", "sentiment", "y", "tag")
ACCEPTED = ("a UTF-8 CSV file with a header row, one text column and one label column, at least "
            f"{MIN_ROWS} rows and at most {MAX_ROWS:,} rows / {MAX_BYTES // (1024 * 1024)} MB, "
            f"2 to {MAX_CLASSES} classes, and no empty cells")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased words, as TextVectorization's default standardisation splits them (roughly)."""
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class CsvSource:
    """A parsed CSV with the chosen text and label columns; `rows` keeps every column for re-selection."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = field(repr=False)
    text_column: str
    label_column: str

    @property
    def texts(self) -> list[str]:
        i = self.columns.index(self.text_column)
        return [row[i] for row in self.rows]

    @property
    def labels(self) -> list[str]:
        i = self.columns.index(self.label_column)
        return [row[i] for row in self.rows]

    def select(self, text_column: str, label_column: str) -> CsvSource:
        """The same file with other columns chosen (validated again)."""
        return _choose(self.name, self.columns, self.rows, text_column, label_column)


def _fail(name: str, problem: str) -> DataError:
    return DataError(f"{name}: {problem}. Accepted: {ACCEPTED}.")


def load_csv(data: bytes | str | Path, text_column: str | None = None, label_column: str | None = None,
             name: str | None = None) -> CsvSource:
    """Parse and validate a CSV given as bytes (an upload) or a path; columns are guessed when not given."""
    if isinstance(data, (str, Path)):
        path = Path(data)
        name = name or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DataError(f"{name}: cannot read the file ({exc.strerror}).") from None
        if size > MAX_BYTES:
            raise _fail(name, f"the file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit")
        raw = path.read_bytes()
    else:
        raw, name = bytes(data), name or "the uploaded file"
    if len(raw) > MAX_BYTES:
        raise _fail(name, f"the file is {len(raw) / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit")
    if not raw.strip():
        raise _fail(name, "the file is empty")
    if b"\x00" in raw[:8192]:
        raise _fail(name, "this looks like a binary file (it contains NUL bytes), not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"the file is not UTF-8 text (undecodable byte at position {exc.start}); "
                          "re-save it as 'CSV UTF-8'") from None
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _fail(name, f"the file could not be parsed as CSV ({exc})") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:  # only separators and characters Python counts as blank, such as \x1c
        raise _fail(name, "the file has no cells with text in them")
    header = tuple(cell.strip() for cell in table[0])
    if len(header) < 2:
        raise _fail(name, f"found {len(header)} column in the header; a text column and a label column are needed "
                          "(is the file comma-separated?)")
    if any(not col for col in header) or len(set(header)) != len(header):
        raise _fail(name, f"the header must name every column once; found {list(header)}")
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise _fail(name, f"the file has {len(body):,} rows, over the {MAX_ROWS:,} row limit")
    bad = [i + 2 for i, row in enumerate(body) if len(row) != len(header)]
    if bad:
        raise _fail(name, f"line {bad[0]} has a different number of cells than the header's {len(header)}"
                          + (f" ({len(bad)} such lines)" if len(bad) > 1 else ""))
    rows = tuple(tuple(row) for row in body)
    text_column = text_column or _guess(header, rows, TEXT_NAMES, prefer="long")
    label_column = label_column or _guess(tuple(c for c in header if c != text_column), rows, LABEL_NAMES,
                                          prefer="few", columns=header)
    return _choose(name, header, rows, text_column, label_column)


def _guess(candidates: tuple[str, ...], rows, names, prefer: str, columns=None) -> str:
    columns = columns or candidates
    for col in candidates:
        if col.lower() in names:
            return col

    def score(col: str) -> float:
        values = [row[columns.index(col)] for row in rows]
        if prefer == "long":
            return -statistics.fmean(len(v) for v in values) if values else 0.0
        return len(set(values))

    return min(candidates, key=score)


def _choose(name, columns, rows, text_column: str, label_column: str) -> CsvSource:
    for role, col in (("text", text_column), ("label", label_column)):
        if col not in columns:
            raise DataError(f'{name}: there is no {role} column "{col}"; the columns are: {", ".join(columns)}.')
    if text_column == label_column:
        raise DataError(f'{name}: the text and label columns must differ; both are "{text_column}".')
    if len(rows) < MIN_ROWS:
        raise _fail(name, f"the file has {len(rows)} data rows; at least {MIN_ROWS} are needed to train and validate")
    ti, li = columns.index(text_column), columns.index(label_column)
    missing = [i + 2 for i, row in enumerate(rows) if not row[ti].strip() or not row[li].strip()]
    if missing:
        raise _fail(name, f"{len(missing)} row(s) have an empty {text_column!r} or {label_column!r} cell "
                          f"(first at line {missing[0]}); fill or remove them")
    classes = Counter(row[li].strip() for row in rows)
    if len(classes) < 2:
        raise _fail(name, f'column "{label_column}" has only one class ({next(iter(classes))!r}); '
                          "a classifier needs at least two")
    if len(classes) > MAX_CLASSES:
        raise _fail(name, f'column "{label_column}" has {len(classes)} different values; is it really the label?')
    if not any(tokenize(row[ti]) for row in rows):
        raise _fail(name, f'column "{text_column}" contains no words')
    return CsvSource(name, tuple(columns), tuple(rows), text_column, label_column)


@dataclass(frozen=True)
class CsvProfile:
    """What the data looks like, in the interview's terms. Lengths are in words (tokens)."""

    name: str
    rows: int
    vocab_size: int
    length_min: int
    length_median: int
    length_p95: int
    length_max: int
    lengths: tuple[int, ...] = field(repr=False)
    class_counts: dict[str, int] = field(default_factory=dict)

    @property
    def lengths_vary(self) -> bool:
        """True unless nearly every text has the same length (spread under 10% of the mean)."""
        mean = statistics.fmean(self.lengths)
        return len(self.lengths) > 1 and statistics.pstdev(self.lengths) > 0.1 * max(mean, 1.0)

    def to_answers(self) -> dict[str, Any]:
        """Answers for the interview, each from the statistic `answer_sources` names.

        The longest input is the file's true maximum: the interview asks for the longest input because the
        memory and truncation rules must hold for every example, outliers included.
        """
        return {"vocab_size": self.vocab_size, "labelled_examples": self.rows,
                "typical_length": self.length_median, "max_length": self.length_max,
                "lengths_vary": self.lengths_vary}

    def answer_sources(self) -> dict[str, str]:
        """Which statistic of the file each answer of `to_answers` comes from, in words."""
        return {"vocab_size": "distinct words in the file", "labelled_examples": "rows with a label",
                "typical_length": "median words per row", "max_length": "maximum length in the file",
                "lengths_vary": f"lengths range from {min(self.lengths)} to {self.length_max} words"}


def _percentile(sorted_values: list[int], q: float) -> int:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return int(sorted_values[index])


def profile_csv(source: CsvSource | bytes | str | Path, text_column: str | None = None,
                label_column: str | None = None) -> CsvProfile:
    """Rows, vocabulary size, length distribution and class balance of a CSV (loading it first if needed)."""
    if not isinstance(source, CsvSource):
        source = load_csv(source, text_column, label_column)
    tokens = [tokenize(text) for text in source.texts]
    lengths = [len(t) for t in tokens]
    ordered = sorted(lengths)
    return CsvProfile(
        name=source.name, rows=len(lengths), vocab_size=len({w for t in tokens for w in t}),
        length_min=ordered[0], length_median=int(statistics.median(ordered)),
        length_p95=_percentile(ordered, 0.95), length_max=ordered[-1], lengths=tuple(lengths),
        class_counts=dict(Counter(label.strip() for label in source.labels).most_common()),
    )
