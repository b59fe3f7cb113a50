"""Property-based tests of the command line: arbitrary arguments end in output or one clear error line."""

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_tables
from engine.cli import main

QUESTIONS = list(load_tables().questions)

values = st.one_of(
    st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=20), st.sampled_from(["yes", "no", "", "nan", "1e999", "-0", "20,000", "simplicity"]))
keys = st.one_of(st.sampled_from(QUESTIONS), st.text(max_size=12))
answer = st.builds(lambda k, v: f"{k}={v}", keys, values) | st.text(max_size=20)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answer, max_size=6), st.booleans())
def test_recommend_with_any_answers_prints_a_result_or_one_error_line(answers, as_json):
    argv = ["recommend"] + [a for item in answers for a in ("--answer", item)] + (["--json"] if as_json else [])
    code, out, err = run(argv)
    assert code in (0, 2)
    if code == 0:
        assert out and not err
    else:
        assert "Traceback" not in err
        assert err.startswith("error: ") or "usage:" in err
        if err.startswith("error: "):
            assert err.count("\n") == 1
