"""Loading and profiling a user's CSV: every bad file gets one DataError saying what is wrong and what is accepted."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.errors import DataError
from engine.lab import load_csv, profile_csv
from engine.lab.data.csv_data import MAX_BYTES, MAX_ROWS

from .conftest import tiny_csv


def rows(n, label=lambda i: "pos" if i % 2 else "neg", text=lambda i: f"sentence number {i} here"):
    return ("text,label\n" + "".join(f"{text(i)},{label(i)}\n" for i in range(n))).encode()


BAD = {
    "empty": (b"", "empty"),
    "blank": (b"  \n\n ", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10, "binary"),
    "latin-1": (("text,label\n" + "caf\xe9 au lait,pos\n" * 30).encode("latin-1"), "not UTF-8"),
    "one column": (b"just text\n" + b"hello\n" * 30, "1 column"),
    "ragged": (rows(30) + b"one,two,three\n", "different number of cells"),
    "missing label": (rows(30) + b"some text,\n", "empty"),
    "missing text": (rows(30) + b",pos\n", "empty"),
    "one class": (rows(30, label=lambda i: "pos"), "only one class"),
    "too few rows": (rows(5), "at least 20"),
    "id column": (rows(120, label=lambda i: f"id{i}"), "really the label"),
    "duplicate header": (b"text,text\n" + b"a,b\n" * 30, "name every column once"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_raise_one_clear_error(case):
    data, expected = BAD[case]
    with pytest.raises(DataError) as info:
        load_csv(data, name="upload.csv")
    message = str(info.value)
    assert message.startswith("upload.csv:"), message  # names the input
    assert expected in message
    assert "Accepted:" in message or "columns are" in message


def test_too_large_by_bytes_and_by_rows(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"text,label\n" + b"x" * (MAX_BYTES + 1))
    with pytest.raises(DataError, match=r"big.csv: .* over the 5 MB limit"):
        load_csv(big)
    with pytest.raises(DataError, match="row limit"):
        load_csv(rows(MAX_ROWS + 1, text=lambda i: "t"))


def test_unknown_column_lists_the_real_ones():
    with pytest.raises(DataError, match='no text column "body"; the columns are: text, label'):
        load_csv(rows(30), text_column="body")


def test_columns_are_guessed_and_can_be_reselected():
    data = b"id,review,stars\n" + b"".join(f"{i},a long review text {i},{i % 3}\n".encode() for i in range(40))
    source = load_csv(data)
    assert (source.text_column, source.label_column) == ("review", "stars")
    assert source.columns == ("id", "review", "stars")
    assert source.select("review", "id").label_column == "id"


def test_formula_cells_are_kept_as_plain_text():
    formula = "=cmd|' /C calc'!A0"
    data = rows(30, text=lambda i: f'"{formula}"' if i == 3 else f"words {i}")
    source = load_csv(data)
    assert source.texts[3] == formula  # data, never evaluated
    assert profile_csv(source).rows == 30


def test_profile_maps_onto_the_interview_answers():
    profile = profile_csv(tiny_csv(60))
    answers = profile.to_answers()
    assert set(answers) == {"vocab_size", "labelled_examples", "typical_length", "max_length", "lengths_vary"}
    assert answers["labelled_examples"] == 60
    assert 4 <= answers["typical_length"] <= answers["max_length"] <= 9  # 3-8 fillers plus one cue word
    assert answers["lengths_vary"] is True
    assert answers["vocab_size"] == 12
    assert answers["max_length"] == profile.length_max == max(profile.lengths)  # the true longest, not a percentile
    assert set(profile.answer_sources()) == set(answers)
    assert profile.answer_sources()["max_length"] == "maximum length in the file"
    assert profile.class_counts == {"neg": 30, "pos": 30}


def test_equal_lengths_do_not_vary():
    profile = profile_csv(rows(30, text=lambda i: "one two three"))
    assert profile.to_answers()["lengths_vary"] is False
    assert profile.length_median == profile.length_p95 == 3


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
@example(blob=b"\x1c")  # blank to str.strip() but not to bytes.strip(): once slipped past the emptiness check
def test_arbitrary_bytes_give_a_source_or_a_data_error(blob):
    try:
        load_csv(blob)
    except DataError as exc:
        assert str(exc)
