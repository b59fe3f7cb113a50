"""Study content loads, and broken content fails with messages naming file, item, field and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import RulesError
from engine.study import SNIPPETS_DIR, STUDY_DIR, build_cards, load_content


def test_real_content_loads_and_yields_cards(content):
    cards = build_cards(content)
    assert len({c.key for c in cards}) == len(cards), "card keys must be unique"
    assert {c.kind for c in cards} == {"concept", "table", "gotcha", "formula", "command", "erratum"}
    for card in cards:
        assert card.front.strip() and card.back.strip()
        assert card.day in {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}


def test_concept_questions_read_as_sentences(content):
    # "What is Autoencoder?" reads wrong: each concept says how it reads after "What is", article included.
    missing = [c.id for c in content.concepts if not c.in_a_sentence]
    assert missing == []
    fronts = {c.key: c.front for c in build_cards(content)}
    assert fronts["concept:autoencoder"] == "What is **an autoencoder**?"
    assert fronts["concept:backpropagation"] == "What is **backpropagation**?"
    assert fronts["command:gradient-tape"] == "**A training step with GradientTape** in Keras 3: what is the key code?"
    assert fronts["gotcha:multihead-key-dim"].startswith("Common mistake: **key_dim in MultiHeadAttention**.")


def test_every_topic_is_used(content):
    used = {i.topic for i in (*content.concepts, *content.gotchas, *content.commands, *content.tables)}
    assert used == {t.id for t in content.topics}


BROKEN = [
    pytest.param(
        "concepts.toml",
        '[[concepts]]\nid = "x"\nterm = "X"\ntopic = "rnn"\nday = "Thursday"\ndefinition = "long enough text"\n',
        ['concepts.toml: concepts[0] (id "x"), field "use_case": is required but missing'],
        id="missing-field",
    ),
    pytest.param(
        "concepts.toml",
        '[[concepts]]\nid = "x"\nterm = "X"\ntopic = "rnn"\nday = "Saturday"\ndefinition = "long enough text"\n'
        'use_case = "something"\n',
        ['concepts.toml: concepts[0] (id "x"), field "day": input should be \'Monday\'', "found 'Saturday'"],
        id="bad-day",
    ),
    pytest.param(
        "concepts.toml",
        '[[concepts]]\nid = "x"\nterm = "X"\ntopic = "rnns"\nday = "Thursday"\ndefinition = "long enough text"\n'
        'use_case = "something"\n',
        ['concepts.toml: concept "x", field "topic": expected one of the topics declared in topics.toml',
         'found "rnns"'],
        id="unknown-topic",
    ),
    pytest.param(
        "concepts.toml",
        '[[concepts]]\nid = "x"\nterm = "X"\ntopic = "rnn"\nday = "Monday"\ndefinition = "long enough text"\n'
        'use_case = "something"\n',
        ['concept "x" is tagged Monday but its topic "rnn" belongs to Thursday'],
        id="day-disagrees-with-topic",
    ),
    pytest.param(
        "concepts.toml",
        '[[concepts]]\nid = "x"\nterm = "X"\ntopic = "rnn"\nday = "Thursday"\ndefinition = "long enough text"\n'
        'use_case = "something"\ndefinitoin = "typo"\n',
        ['field "definitoin": is not a known field'],
        id="unknown-field",
    ),
    pytest.param(
        "commands.toml",
        '[[commands]]\nid = "c"\ntitle = "C"\ntopic = "rnn"\nday = "Thursday"\nsnippet = "nope.py"\n'
        'key_api = "layers.LSTM"\nsummary = "a summary of it"\n',
        ['command "c" names snippet "nope.py", which is not a file'],
        id="missing-snippet",
    ),
    pytest.param(
        "errata.toml",
        '[[errata]]\nid = "e"\nkind = "typo"\nwhere = "somewhere"\ntopic = "rnn"\nsource_says = "abc"\n'
        'correction = "abcde"\nwhy = "because of reasons"\n',
        ['errata.toml: errata[0] (id "e"): needs a way to check it: a `snippet`, a `test` or a `reference`'],
        id="erratum-without-check",
    ),
    pytest.param(
        "pros_cons.toml",
        '[[tables]]\nid = "t"\ntitle = "T"\ntopic = "rnn"\nday = "Thursday"\nrow_label = "R"\n'
        'columns = ["Pros", "Cons"]\n[[tables.rows]]\nid = "a"\nname = "A"\nvalues = ["p"]\n'
        '[[tables.rows]]\nid = "b"\nname = "B"\nvalues = ["p", "c"]\n',
        ['row "a" has 1 values but the table has 2 columns (Pros, Cons)'],
        id="row-width",
    ),
    pytest.param("gotchas.toml", "[[gotchas]\nid = 1\n", ["gotchas.toml: not valid TOML"], id="toml-syntax"),
]


@pytest.mark.parametrize(("file_name", "text", "expected"), BROKEN)
def test_broken_content_is_reported_clearly(tmp_path: Path, file_name: str, text: str, expected: list[str]):
    folder = tmp_path / "study"
    shutil.copytree(STUDY_DIR, folder)
    (folder / file_name).write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_content(folder, SNIPPETS_DIR)
    message = str(caught.value)
    for fragment in expected:
        assert fragment in message, message


def test_all_problems_are_reported_together(tmp_path: Path):
    folder = tmp_path / "study"
    shutil.copytree(STUDY_DIR, folder)
    (folder / "formulas.toml").write_text("formulas = []\n", encoding="utf-8")
    (folder / "gotchas.toml").unlink()
    with pytest.raises(RulesError) as caught:
        load_content(folder, SNIPPETS_DIR)
    assert len(caught.value.problems) == 2
    assert any("gotchas.toml: file not found" in p for p in caught.value.problems)
    assert any("formulas.toml" in p and '"formulas"' in p for p in caught.value.problems)
