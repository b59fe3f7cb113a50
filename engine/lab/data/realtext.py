"""Real English labelled text made on any machine: the Python standard library's own docstrings by module family.

Each example is one paragraph of a docstring (a module's, a class's or a function's), the label the family
of modules it documents ("networking and the web", "concurrency", ...). The source files are parsed with
`ast` from `sysconfig`'s stdlib directory, never imported, so the result does not depend on which optional
modules (sqlite3, ssl, tkinter...) can be imported, on the platform, or on PYTHONHASHSEED: files are read in a
fixed order and sampled with a seeded NumPy generator. The same Python version (3.11.x with the same
standard library sources) gives the same data set everywhere; another minor version (3.12, 3.13) edits
docstrings and moves code (datetime's source, for one), so its data set differs; `fingerprint` says which
one a run used.

Licence: the text is taken from CPython's standard library, Copyright (c) 2001-2024 Python Software
Foundation, under the PSF License Agreement (version 2), which allows use and derived works provided the
copyright notice is kept. It is generated locally at run time and never redistributed by this project.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import re
import sys
import sysconfig
from pathlib import Path

import numpy as np

from ...errors import DataError

LICENCE = ("Python standard library docstrings, Copyright (c) 2001-2024 Python Software Foundation, "
           "PSF License Agreement v2")

# Module family -> source files (a trailing "/" takes every .py file below it). Only pure-Python modules
# that every CPython build ships: no tkinter, idlelib, lib2to3, distutils or ensurepip, which some Linux
# distributions split into separate packages.
FAMILIES: dict[str, tuple[str, ...]] = {
    "files and the operating system": (
        "os.py", "shutil.py", "pathlib.py", "glob.py", "fnmatch.py", "tempfile.py", "filecmp.py", "fileinput.py",
        "posixpath.py", "genericpath.py", "ntpath.py", "stat.py", "subprocess.py"),
    "networking and the web": (
        "socket.py", "socketserver.py", "ssl.py", "http/", "urllib/", "smtplib.py", "ftplib.py", "imaplib.py",
        "poplib.py", "ipaddress.py", "xmlrpc/", "wsgiref/", "nntplib.py"),
    "text processing": (
        "string.py", "textwrap.py", "difflib.py", "re/", "shlex.py", "html/", "codecs.py", "gettext.py",
        "locale.py", "stringprep.py", "_markupbase.py"),
    "math and numbers": ("fractions.py", "_pydecimal.py", "statistics.py", "random.py", "numbers.py", "colorsys.py"),
    "concurrency": (
        "threading.py", "multiprocessing/", "concurrent/", "asyncio/", "queue.py", "sched.py", "selectors.py",
        "_threading_local.py"),
    "data formats and storage": (
        "json/", "pickle.py", "shelve.py", "sqlite3/", "configparser.py", "plistlib.py", "tomllib/", "csv.py",
        "zipfile.py", "tarfile.py", "gzip.py", "bz2.py", "lzma.py", "base64.py", "dbm/"),
    "testing and debugging": (
        "unittest/", "doctest.py", "pdb.py", "bdb.py", "traceback.py", "trace.py", "profile.py", "pstats.py",
        "timeit.py", "cProfile.py", "tracemalloc.py", "warnings.py", "logging/"),
}
PER_CLASS = 280  # the smallest family (text processing) has about 300 usable paragraphs
MIN_WORDS, MAX_WORDS = 8, 120


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def _files(root: Path, entry: str) -> list[Path]:
    path = root / entry
    if entry.endswith("/"):
        # Package tests (e.g. sqlite3/test in some versions) are code about code, not documentation.
        return sorted(p for p in path.rglob("*.py") if "test" not in p.relative_to(path).parts[:-1])
    return [path] if path.is_file() else []


def _documented(node: ast.AST):
    """The module, then every class and function in source order (statement bodies only: a full
    `ast.walk` over every expression costs several times more)."""
    yield node
    for child in getattr(node, "body", ()):
        if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _documented(child)
        elif isinstance(child, ast.If | ast.Try | ast.With):  # definitions under `if sys.platform...` and `try:`
            for block in (child.body, getattr(child, "orelse", ()), getattr(child, "finalbody", ()),
                          *(h.body for h in getattr(child, "handlers", ()))):
                for grandchild in block:
                    if isinstance(grandchild, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                        yield from _documented(grandchild)


def paragraphs(source: str) -> list[str]:
    """The prose paragraphs of every docstring in `source`, whitespace collapsed, examples dropped."""
    found = []
    for node in _documented(ast.parse(source)):
        doc = ast.get_docstring(node, clean=True)
        for block in re.split(r"\n\s*\n", doc or ""):
            if ">>>" in block:  # an interactive example is code, not prose
                continue
            text = " ".join(block.split())
            if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                found.append(text)
    return found


@functools.lru_cache(maxsize=4)
def family_paragraphs(root: Path | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Every family's distinct paragraphs (sorted), and the listed source files that were missing.

    A paragraph found in two families (shared boilerplate) is dropped from both: its label would be a coin toss.
    Parsing some 190 files takes a few seconds, so the result is kept for the life of the process (the
    training worker lives long); `cached_family_paragraphs` also keeps it on disk.
    """
    root = root or stdlib_root()
    missing, per_family = [], {}
    for family, entries in FAMILIES.items():
        texts = []
        for entry in entries:
            files = _files(root, entry)
            if not files:
                missing.append(entry)
            for path in files:
                try:
                    texts.extend(paragraphs(path.read_text(encoding="utf-8")))
                except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                    missing.append(str(path.relative_to(root)))
        per_family[family] = sorted(set(texts))
    owners: dict[str, int] = {}
    for texts in per_family.values():
        for text in texts:
            owners[text] = owners.get(text, 0) + 1
    return {f: [t for t in texts if owners[t] == 1] for f, texts in per_family.items()}, missing


def _sources_key(root: Path) -> str:
    """A hash of the Python version and every listed source file's path, size and modification time."""
    digest = hashlib.sha256(f"{sys.version}|{root}|{MIN_WORDS}|{MAX_WORDS}".encode())
    for family, entries in FAMILIES.items():
        digest.update(family.encode())
        for entry in entries:
            for path in _files(root, entry):
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cached_family_paragraphs(cache_dir: Path | None, root: Path | None = None):
    """`family_paragraphs`, read from `cache_dir` when the same sources were parsed before (JSON, no pickle)."""
    root = root or stdlib_root()
    if cache_dir is None:
        return family_paragraphs(root)
    path = Path(cache_dir) / f"stdlib-docs-{_sources_key(root)}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return stored["families"], stored["missing"]
    except (OSError, ValueError, KeyError):
        pass
    per_family, missing = family_paragraphs(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"families": per_family, "missing": missing}), encoding="utf-8")
    temporary.replace(path)
    return per_family, missing


def make_stdlib_docs(seed: int, per_class: int = PER_CLASS, root: Path | None = None, cache_dir: Path | None = None):
    """`per_class` paragraphs of each family, in a seeded round-robin order (every prefix is balanced).

    Returns (texts, labels as int32, class names, notes).
    """
    per_family, missing = cached_family_paragraphs(cache_dir, root)
    short = {f: len(t) for f, t in per_family.items() if len(t) < per_class}
    if len(short) == len(per_family):
        raise DataError(f"The standard library sources under {root or stdlib_root()} hold too few docstrings "
                        f"(found {sum(len(t) for t in per_family.values())} paragraphs); this data set needs "
                        "CPython's .py sources, which a full Python 3.11 install has.")
    rng = np.random.default_rng(seed)
    classes = list(FAMILIES)
    picked = []
    for family in classes:
        texts = per_family[family]
        order = rng.permutation(len(texts))[:per_class]
        picked.append([texts[i] for i in order])
    texts, labels = [], []
    for rank in range(max(len(p) for p in picked)):
        for label in rng.permutation(len(classes)):  # which family comes first varies from round to round
            if rank < len(picked[label]):
                texts.append(picked[label][rank])
                labels.append(int(label))
    notes = [f"Real text: {LICENCE}, from Python {sys.version.split()[0]}'s sources."]
    if missing:
        notes.append(f"Not found in this Python's standard library, so left out: {', '.join(missing)}.")
    if short:
        notes.append("Fewer than " + f"{per_class} paragraphs in: " + ", ".join(f"{f} ({n})" for f, n in short.items())
                     + ".")
    return texts, np.array(labels, dtype="int32"), classes, notes


def fingerprint(texts: list[str], labels) -> str:
    """A short hash of the data set's exact content, to tell two generations apart."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{int(label)}\t{text}\n".encode())
    return digest.hexdigest()[:16]


def split_punctuation(text: str) -> str:
    """Lower-case words with punctuation turned into spaces ("os.path.join()" -> "os path join"), the way
    GloVe's vocabulary spells them; Keras' default standardisation would glue them into "ospathjoin"."""
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()))
