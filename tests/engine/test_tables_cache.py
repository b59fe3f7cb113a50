"""The validated-rules file cache: a hit skips validation, and any change to a rule or the checking code is a miss.

`engine.tables._load` also caches per process; clearing it stands in for starting a new server.
"""

from __future__ import annotations

import importlib.metadata
import shutil

import pytest

from engine import RulesError, load_tables, tables_cache
from engine import tables as tables_module
from engine.tables import RULES_DIR


@pytest.fixture
def rules(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder, ignore=shutil.ignore_patterns("study"))
    return folder


@pytest.fixture
def cache_dir(tmp_path):
    tables_module._load.cache_clear()
    yield tmp_path / "cache"
    tables_module._load.cache_clear()


def new_process() -> None:
    tables_module._load.cache_clear()


def no_validation(monkeypatch) -> None:
    def fail(rules_dir):  # noqa: ANN001, ANN202
        raise AssertionError(f"validated {rules_dir} although the cache should have answered")

    monkeypatch.setattr(tables_module, "validate_tables", fail)


def test_second_start_is_served_from_the_cache_without_validating(rules, cache_dir, monkeypatch):
    first = load_tables(rules, cache_dir)
    assert tables_cache.cache_file(rules, cache_dir).exists()
    new_process()
    no_validation(monkeypatch)
    again = load_tables(rules, cache_dir)
    assert again == first
    assert again is not first  # read back from the file, not the per-process cache
    assert again.decisions["text_encoding"].rules[0].because == first.decisions["text_encoding"].rules[0].because


def test_a_changed_rule_is_not_served_stale(rules, cache_dir, monkeypatch):
    old = load_tables(rules, cache_dir).decisions["text_encoding"].rules[0].because
    path = rules / "text_encoding.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, "Changed after the cache was written: this reason is new.", 1))
    new_process()
    fresh = load_tables(rules, cache_dir).decisions["text_encoding"].rules[0].because
    assert fresh == "Changed after the cache was written: this reason is new."
    new_process()
    no_validation(monkeypatch)  # and the new version is what is cached now
    assert load_tables(rules, cache_dir).decisions["text_encoding"].rules[0].because == fresh


def test_a_rule_broken_after_caching_raises_instead_of_serving_the_old_tables(rules, cache_dir):
    load_tables(rules, cache_dir)
    path = rules / "text_encoding.toml"
    choice = load_tables(rules, cache_dir).decisions["text_encoding"].rules[0].choice
    text = path.read_text()
    path.write_text(text.replace(f'choice = "{choice}"', 'choice = "no_such_choice"', 1))
    new_process()
    with pytest.raises(RulesError, match="no_such_choice"):
        load_tables(rules, cache_dir)


def test_a_new_rules_file_or_changed_checking_code_changes_the_key(rules, tmp_path):
    before = tables_cache.key(rules)
    assert tables_cache.key(rules) == before  # stable while nothing changes
    code = tmp_path / "engine"
    shutil.copytree(tables_cache.ENGINE_DIR, code, ignore=shutil.ignore_patterns("__pycache__", "lab", "study"))
    assert tables_cache.key(rules, code) == before
    (code / "schema.py").write_text((code / "schema.py").read_text() + "\n# a changed schema\n")
    assert tables_cache.key(rules, code) != before
    (rules / "extra.toml").write_text("")
    assert tables_cache.key(rules) != before


def test_a_damaged_or_unwritable_cache_is_ignored(rules, cache_dir):
    first = load_tables(rules, cache_dir)
    tables_cache.cache_file(rules, cache_dir).write_bytes(b"not a pickle")
    new_process()
    assert load_tables(rules, cache_dir) == first
    blocked = cache_dir / "a-file-not-a-folder"
    blocked.write_text("")
    new_process()
    assert load_tables(rules, blocked) == first  # cannot write under a file: runs uncached


def test_only_the_projects_rules_use_the_file_cache_by_default(rules, cache_dir, monkeypatch):
    monkeypatch.setattr(tables_cache, "CACHE_DIR", cache_dir)
    load_tables(rules)
    assert not cache_dir.exists()  # a test's or a user's other folder leaves no files behind
    load_tables()
    assert tables_cache.cache_file(RULES_DIR, cache_dir).exists()


def test_plain_classes_have_exactly_the_validated_fields():
    from engine import rules_schema, schema

    for name, plain in schema.PLAIN.items():
        model = getattr(rules_schema, name)
        assert set(plain.__dataclass_fields__) == set(model.model_fields), name


def test_loaded_tables_hold_plain_objects_equal_to_the_validated_files(rules, cache_dir):
    from engine import datafile, rules_schema, schema

    loaded = load_tables(rules, cache_dir).decisions["text_encoding"]
    validated = datafile.load(rules_schema.DecisionFile, rules / "text_encoding.toml")
    assert type(loaded) is schema.DecisionFile and type(loaded.rules[0]) is schema.Rule
    assert loaded.rules[0].when == validated.rules[0].when
    assert schema.from_validated(validated) == loaded


def test_a_cached_start_does_not_import_pydantic():
    """The Advisor's first screen: its modules and the rules, served from the cache, without pydantic."""
    import subprocess
    import sys

    load_tables()  # make sure the project's cache is current
    code = ("import sys; import ui.state, ui.questions, ui.render; from engine import load_tables; "
            "load_tables(); print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=RULES_DIR.parent, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_key_reads_installed_versions_without_the_email_parser():
    """The version in the key is the one pip installed, read from the top of METADATA; a missing package says so."""
    assert tables_cache._installed_version("pydantic") == importlib.metadata.version("pydantic")
    assert tables_cache._installed_version("no-such-package-here") == "absent"
