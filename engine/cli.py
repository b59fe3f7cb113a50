"""The command line: `python -m engine questions | recommend | check | train | scaling`.

Problems with the input print one line to stderr and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from .answers import accepted
from .checks import check_all, check_consistency
from .errors import AnswerError, EngineError
from .recommend import recommend
from .tables import Tables, load_tables


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    q = sub.add_parser("questions", help="list every question the advisor can ask")
    q.add_argument("--json", action="store_true", help="print a machine-readable list")
    q.set_defaults(handler=_questions)

    r = sub.add_parser("recommend", help="recommend a choice for each decision")
    r.add_argument("--answer", "-a", action="append", default=[], metavar="KEY=VALUE",
                   help="one answer, e.g. --answer vocab_size=20000 (repeatable; see `questions`)")
    r.add_argument("--decision", "-d", action="append", metavar="ID",
                   help="only this decision (repeatable; see `check` for the ids); default: all of them")
    r.add_argument("--json", action="store_true", help="print a stable machine-readable document")
    r.set_defaults(handler=_recommend)

    c = sub.add_parser("check", help="validate the rules files and run the completeness and overlap checks")
    c.set_defaults(handler=_check)

    from .lab.cli import add_parsers  # `train` and `scaling`; TensorFlow loads only inside their handlers

    add_parsers(sub)
    from .evidence.cli import add_parsers as add_evidence

    add_evidence(sub)
    return parser


def _questions(args: argparse.Namespace) -> int:
    tables = load_tables()
    rows = [_question_row(q.id, tables) for q in tables.questions.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        print(f"{row['id']}  ({row['type']}; used by {', '.join(row['used_by']) or 'no decision'})")
        print(f"    {row['prompt']}")
        default = f"; default {row['default']}" if row["default"] is not None else ""
        print(f"    accepts {row['accepts']}{default}")
        for reading in row["bins"]:
            bins = ", ".join(_bin_text(b) for b in reading["bins"])
            print(f"    {reading['decision']} reads {reading['reads']} as: {bins}")
    return 0


def _question_row(qid: str, tables: Tables) -> dict[str, object]:
    q = tables.questions[qid]
    readings = [
        {"decision": d.id, "input": i.id, "reads": (" divided by " if i.ratio_of else " minus ").join(i.questions),
         "bins": [{"id": b.id, "at_least": _finite(b.at_least), "below": _finite(b.below)} for b in i.bins]}
        for d in tables.decisions.values() for i in d.inputs if qid in i.questions and i.bins
    ]
    return {
        "id": q.id, "prompt": q.prompt, "help": q.help, "type": q.type, "unit": q.unit, "step": q.step,
        "min": q.min, "max": q.max, "default": q.default, "optional": q.optional,
        "options": [o.value for o in q.options], "accepts": accepted(q),
        "used_by": list(tables.users_of(q.id)), "bins": readings,
    }


def _recommend(args: argparse.Namespace) -> int:
    answers: dict[str, str] = {}
    for item in args.answer:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise AnswerError("", f"--answer {item!r}: expected KEY=VALUE, e.g. --answer vocab_size=20000.")
        answers[key.strip()] = value
    advice = recommend(answers, args.decision)
    if args.json:
        print(advice.to_json())
    else:
        print(advice.to_markdown())
    return 0


def _check(args: argparse.Namespace) -> int:
    tables = load_tables()
    problems = check_all(tables) + check_consistency(tables)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    for d in tables.decisions.values():
        print(f"{d.id}: {len(d.rules)} rules, hit policy {d.hit_policy}: complete, no unintended overlap, "
              f"every rule can fire, all {d.seed_rows} cheatsheet rows carried.")
    print(f"consistency: every pair of recommendations that can contradict each other in one scenario is "
          f"reconciled by one of {len(tables.relations)} relations in consistency.toml.")
    return 0


def _bin_text(b: dict[str, object]) -> str:
    low, high = b["at_least"], b["below"]
    if low is None:
        return f"{b['id']} (< {high:g})"
    if high is None:
        return f"{b['id']} (>= {low:g})"
    return f"{b['id']} ({low:g} to < {high:g})"


def _finite(x: float) -> float | None:
    """JSON has no infinity: an open end of a bin is written as null."""
    return None if math.isinf(x) else x
