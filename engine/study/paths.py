"""Where the progress database lives: `DL_ADVISOR_DB` if set, else the user's data folder.

The learner name never takes part in the path: all learners share one database file and are
kept apart by a column, so a name cannot point the app at another file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "DL_ADVISOR_DB"
APP_DIR = "dl-advisor"
FILE_NAME = "progress.sqlite3"


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$DL_ADVISOR_DB`, else `$XDG_DATA_HOME/dl-advisor/progress.sqlite3`, else `~/.local/share/...`."""
    env = os.environ if environ is None else environ
    explicit = env.get(ENV_VAR, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    data_home = env.get("XDG_DATA_HOME", "").strip()
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_DIR / FILE_NAME
