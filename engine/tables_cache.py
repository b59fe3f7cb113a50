"""A file cache of the loaded, cross-checked rules, so a server start does not validate rules/ again.

Validating the rules with pydantic builds a validator for every model (about 0.1 s), which the first
screen of the app paid on every server start. The tables an earlier load built are pickled here with a
key: a SHA-256 of every rules/*.toml file (name and bytes), of the source of the modules that decide
what a valid table is (schema, rules_schema, tables, datafile, errors), of the rules folder's path, and
of the Python and pydantic versions. A load whose key differs from the stored one validates again and replaces the
file, so an edited rule or schema is never served stale; a rules folder with a problem raises its
RulesError and is never cached.

The pickle is read only from this project's own cache folder (`.cache/rules`, not in git), written by
this code; anyone who can write there can also edit the code itself. A cache that cannot be read or
written (a read-only checkout, a damaged file) is ignored: the rules are validated as before.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ENGINE_DIR = Path(__file__).resolve().parent
CACHE_DIR = ENGINE_DIR.parent / ".cache" / "rules"
# The modules whose code decides what a loaded table is: a change to any of them invalidates the cache.
CODE = ("schema.py", "rules_schema.py", "tables.py", "datafile.py", "errors.py", "tables_cache.py")
FORMAT = 1  # bump if what is pickled changes shape in a way the code hash would not catch


def key(rules_dir: Path, code_dir: Path = ENGINE_DIR) -> str:
    """The fingerprint of everything a loaded table depends on (rules files, checking code, versions)."""
    digest = hashlib.sha256()
    header = f"{FORMAT}|{rules_dir.resolve()}|{sys.version}|{_installed_version('pydantic')}"
    digest.update(header.encode())
    for folder, names in ((rules_dir, sorted(p.name for p in rules_dir.glob("*.toml"))), (code_dir, CODE)):
        for name in names:
            digest.update(b"\0" + name.encode() + b"\0")
            digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def _installed_version(package: str) -> str:
    """A package's version without importing it (importing pydantic is what the cache is there to avoid)."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"
    # The "Version:" header sits near the top of METADATA; importlib.metadata.version() would parse the whole
    # file (pydantic's holds its changelog) with the email parser, 5 ms of a cold start.
    head = (dist.read_text("METADATA") or "")[:4096]
    return next((line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("Version:")),
                "unknown")


def cache_file(rules_dir: Path, cache_dir: Path) -> Path:
    """One file per rules folder; the key inside it says which contents it was built from."""
    slot = hashlib.sha256(str(rules_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"tables-{slot}.pickle"


def cached(rules_dir: Path, cache_dir: Path, build: Callable[[Path], T]) -> T:
    """`build(rules_dir)`, or what it returned last time for exactly these rules files and code."""
    try:
        current = key(rules_dir)
    except OSError:  # a rules file vanished mid-read: let build() report it in its own words
        return build(rules_dir)
    path = cache_file(rules_dir, cache_dir)
    stored = read(path, current)
    if stored is not None:
        return stored
    tables = build(rules_dir)  # raises RulesError for a broken folder: nothing is written
    write(path, current, tables)
    return tables


def read(path: Path, current: str):  # type: ignore[no-untyped-def]
    """The pickled object when its key is `current`, else None (missing, stale or unreadable)."""
    try:
        with path.open("rb") as handle:
            stored_key, value = pickle.load(handle)  # noqa: S301 - our own cache folder, see the docstring
    except Exception:  # noqa: BLE001 - any damage means "not cached"; the rules are validated instead
        return None
    return value if stored_key == current else None


def write(path: Path, current: str, value: object) -> None:
    """Store atomically (a concurrent reader sees the old file or the new one, never half of one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((current, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        return  # a read-only checkout simply runs without the cache
