"""The fast subset's guard fails a `-m "not slow"` run that imports TensorFlow, and names who did it.

A stand-in module named `tensorflow` plays the part (the real one would take seconds): the guard
only looks at what is in sys.modules. Each case runs pytest in a fresh subprocess with the guard loaded:
in-process, a full run would already hold the real TensorFlow from earlier tests, and the stand-in could
not be told from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE_TENSORFLOW = "import sys, types\nsys.modules['tensorflow'] = types.ModuleType('tensorflow')\n"


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the guard alone: quicker, and nothing else interferes
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # so `-p tests.fast_guard` imports this project's guard

    def run_pytest(*args: str):
        return pytester.runpytest_subprocess("-p", "tests.fast_guard", "-p", "no:cacheprovider", *args)

    return run_pytest


def test_a_module_importing_tensorflow_fails_the_fast_subset(pytester, run):
    pytester.makepyfile(test_heavy=FAKE_TENSORFLOW + "import pytest\n\n@pytest.mark.slow\ndef test_x():\n    pass\n")
    pytester.makeini("[pytest]\nmarkers =\n    slow: slow\n")
    result = run("-m", "not slow")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*TensorFlow was imported during a `-m \"not slow\"` run, first by collecting "
                                 "test_heavy.py*"])


def test_a_test_importing_tensorflow_is_named(pytester, run):
    body = "def test_light():\n    pass\n\ndef test_heavy():\n    " + FAKE_TENSORFLOW.replace("\n", "\n    ")
    pytester.makepyfile(test_mixed=body)
    result = run("-m", "not slow")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*first by test_mixed.py::test_heavy.*"])


def test_a_clean_fast_run_and_a_full_run_pass(pytester, run):
    pytester.makepyfile(test_light="def test_light():\n    pass\n")
    assert run("-m", "not slow").ret == pytest.ExitCode.OK
    pytester.makepyfile(test_heavy=FAKE_TENSORFLOW + "def test_x():\n    pass\n")
    assert run().ret == pytest.ExitCode.OK  # without -m "not slow", importing TensorFlow is allowed
