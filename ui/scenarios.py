"""Compare's scenarios in the link: one query parameter per scenario, so a reload or a shared link brings them back.

A scenario is written as its name followed by its answers, separated by `~`:
`s2=Phone, 20 ms~latency_budget_ms-20~gpu_memory_gb~vocab_size-300`. An answer is `id-value`, or the bare
id when it was answered with the question's default (shorter, and it still counts as answered). `~` and
`-` are left unescaped in the address bar (Streamlit escapes `*`, `:` and `|`), so the link stays readable.
In the name, `%` and `~` are percent-escaped; everything else is kept as typed and shown escaped on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine import AnswerError, Tables
from engine.answers import coerce

MAX_SCENARIOS = 3
KEYS = tuple(f"s{i}" for i in range(1, MAX_SCENARIOS + 1))
NAME_LIMIT = 80
SEP, KV = "~", "-"


def show_value(value: Any) -> str:
    """An answer as it is written in a link or a text field: 'yes', '300', '0.5'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def encode(name: str, answers: Mapping[str, Any], t: Tables) -> str:
    """One scenario as a query value. Answers that the engine cannot read are left out of the link."""
    parts = [name.replace("%", "%25").replace(SEP, "%7E")]
    for qid, raw in answers.items():
        q = t.questions.get(qid)
        if q is None:
            continue
        try:
            value = coerce(q, raw)
        except AnswerError:
            continue
        if value is None:
            continue
        same_as_default = value == q.default and isinstance(value, bool) == isinstance(q.default, bool)
        parts.append(qid if same_as_default else f"{qid}{KV}{show_value(value)}")
    return SEP.join(parts)


def decode(key: str, raw: str, t: Tables) -> tuple[dict[str, Any], list[str]]:
    """A scenario read from a link ({"name", "answers"}), and notices for what in it was ignored."""
    name, *items = raw.split(SEP)
    name = name.replace("%7E", SEP).replace("%25", "%").strip()[:NAME_LIMIT] or f"Scenario {key[1:]}"
    answers: dict[str, Any] = {}
    notices: list[str] = []
    for item in items:
        qid, has_value, text = item.partition(KV)
        q = t.questions.get(qid)
        if q is None:
            notices.append(f"Ignored {qid!r} in scenario {name!r} from the link: not a question.")
            continue
        if not has_value:
            answers[qid] = q.default
            continue
        try:
            value = coerce(q, text)
        except AnswerError as exc:
            notices.append(f"Ignored {qid}={text!r} in scenario {name!r} from the link: {str(exc).split(': ', 1)[-1]}")
            continue
        if value is not None:
            answers[qid] = value
    return {"name": name, "answers": answers}, notices


def to_params(scenarios: Sequence[Mapping[str, Any]], t: Tables) -> dict[str, str]:
    return {key: encode(s["name"], s["answers"], t) for key, s in zip(KEYS, scenarios, strict=False)}


def from_params(params: Mapping[str, str], t: Tables) -> tuple[list[dict[str, Any]], list[str]]:
    """The scenarios in a link, in order, each with a fresh id, and notices for what was ignored."""
    scenarios: list[dict[str, Any]] = []
    notices: list[str] = []
    for key in KEYS:
        if key in params:
            scenario, problems = decode(key, params[key], t)
            notices += problems
            scenarios.append({"id": len(scenarios), **scenario})
    return scenarios, notices
