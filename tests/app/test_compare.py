"""The Compare page: scenarios from the interview, duplicated and edited, compared side by side, kept in the link."""

import re

import pytest

from tests.app.conftest import fake_run, texts


@pytest.fixture
def compare(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("300").run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def highlighted_cells(frame_element) -> set[tuple[int, int]]:
    """(row, column) of the cells a table highlights, read from the Styler CSS Streamlit sends."""
    css = frame_element.proto.arrow_data.styler.styles
    return {(int(r), int(c)) for r, c in re.findall(r"row(\d+)_col(\d+) \{ background-color", css)}


def test_first_visit_starts_from_the_current_interview(compare):
    at = compare
    assert [s["name"] for s in at.session_state["scenarios"]] == ["My data today"]
    assert at.session_state["scenarios"][0]["answers"] == {"vocab_size": 300}
    assert "Add a second scenario to compare" in texts(at)


def test_phone_preset_changes_the_attention_recommendation_and_is_highlighted(compare):
    at = button(compare, "Phone, 20 ms").click().run()
    frames = [d.value for d in at.dataframe]
    recs = frames[0]
    assert list(recs.columns) == ["My data today", "Phone, 20 ms"]
    row = recs.loc["Attention vs Transformer"]
    assert (row["My data today"], row["Phone, 20 ms"]) == ("RNN/LSTM with attention", "GRU or small RNN")
    assert re.search(r"1 of \d recommendations differ", texts(at))
    assert "differs" in texts(at)
    # Only the phone scenario's attention cell is highlighted, not the whole row (row 3, column 1).
    assert highlighted_cells(at.dataframe[0]) == {(3, 1)}
    answers = at.dataframe[1].value
    rows = list(answers.index)
    assert highlighted_cells(at.dataframe[1]) == {(rows.index("Latency budget"), 1)}


def test_why_shows_a_shared_reason_once_and_differing_ones_per_scenario(compare):
    at = button(compare, "Phone, 20 ms").click().run()
    page = texts(at)
    first_reason = at.caption[2].value  # after the two table captions
    assert page.count(first_reason) == 1
    agreeing = len(at.dataframe[0].value) - 1
    assert page.count("All scenarios: **") == agreeing  # each decision both agree on is said once
    assert "*My data today*: **RNN/LSTM with attention**" in page
    assert "*Phone, 20 ms*: **GRU or small RNN**" in page


def test_scenarios_are_in_the_link_and_a_reload_brings_them_back(compare, app):
    at = button(compare, "Phone, 20 ms").click().run()
    copy_id = at.session_state["scenarios"][1]["id"]
    at.text_input(key=f"s{copy_id}_name").set_value("Phone~*fast* [x](y)").run()
    params = dict(at.query_params)
    assert params["s1"] == "My data today~vocab_size-300"
    assert params["s2"].startswith("Phone%7E*fast* [x](y)~")
    assert "latency_budget_ms-20" in params["s2"]

    app.query_params.update({k: v[0] if isinstance(v, list) else v for k, v in params.items()})
    reloaded = app.run()  # a fresh session opened with the same link
    reloaded.switch_page("pages/compare.py").run()
    scenarios = reloaded.session_state["scenarios"]
    assert [s["name"] for s in scenarios] == ["My data today", "Phone~*fast* [x](y)"]
    assert scenarios[1]["answers"]["latency_budget_ms"] == 20
    assert scenarios[1]["answers"]["gpu_memory_gb"] == 0  # kept as answered with the default
    assert reloaded.dataframe[0].value.loc["Attention vs Transformer"].tolist() == [
        "RNN/LSTM with attention", "GRU or small RNN"]
    assert "Phone\\~\\*fast\\* \\[x\\](y)" in texts(reloaded)  # the name is shown as typed, not as Markdown


def test_a_tampered_scenario_link_gets_a_notice(app):
    app.query_params.update({"s1": "A~vocab_size-lots~colour-red", "s2": "B~typical_length-5"})
    at = app.run()
    at.switch_page("pages/compare.py").run()
    assert [s["answers"] for s in at.session_state["scenarios"]] == [{}, {"typical_length": 5}]
    at.switch_page("pages/advisor.py").run()
    page = texts(at)
    assert "Ignored vocab\\_size='lots' in scenario 'A' from the link" in page
    assert "Ignored 'colour' in scenario 'A' from the link\\: not a question." in page


def test_duplicate_then_edit_one_answer(compare):
    at = button(compare, "Duplicate").click().run()
    assert [s["name"] for s in at.session_state["scenarios"]] == ["My data today", "My data today (copy)"]
    copy_id = at.session_state["scenarios"][1]["id"]
    at.text_input(key=f"s{copy_id}_name").set_value("Big data").run()
    at.text_input(key=f"s{copy_id}_labelled_examples").set_value("500000").run()
    at.text_input(key=f"s{copy_id}_vocab_size").set_value("50000").run()
    recs = at.dataframe[0].value
    assert recs.loc["Text encoding"].tolist() == ["One-hot encoding", "Learned word embeddings"]
    answers = at.dataframe[1].value
    assert answers.loc["Labelled examples"].tolist() == ["5,000 examples (default)", "500,000 examples"]


def test_at_most_three_scenarios_and_remove(compare):
    at = button(compare, "10x labelled data").click().run()
    at = button(at, "Long documents").click().run()
    assert len(at.session_state["scenarios"]) == 3
    assert button(at, "Phone, 20 ms").disabled
    at = at.button(key=f"s{at.session_state['scenarios'][2]['id']}_rm").click().run()
    assert [s["name"] for s in at.session_state["scenarios"]] == ["My data today", "10x labelled data"]
    assert at.dataframe[0].value.loc["Text encoding"].tolist() == ["One-hot encoding", "One-hot encoding"]


def test_bad_answer_in_a_scenario_is_shown_and_the_comparison_stays(compare):
    at = button(compare, "Duplicate").click().run()
    copy_id = at.session_state["scenarios"][1]["id"]
    at.text_input(key=f"s{copy_id}_gpu_memory_gb").set_value("-1").run()
    assert not at.exception
    assert any("gpu_memory_gb: expected a number from 0 to 4,096 (GB)" in e.value for e in at.error)
    assert len(at.dataframe) == 2


def test_scenarios_survive_page_switches(compare):
    at = button(compare, "Phone, 20 ms").click().run()
    at.switch_page("pages/advisor.py").run()
    at.switch_page("pages/compare.py").run()
    assert [s["name"] for s in at.session_state["scenarios"]] == ["My data today", "Phone, 20 ms"]


def test_comparison_downloads(compare):
    at = button(compare, "Phone, 20 ms").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download comparison (Markdown)", "Download comparison (JSON)"]


def test_two_finished_lab_runs_side_by_side(compare):
    at = compare
    at.session_state["lab_runs"] = [fake_run(0, 0.9), fake_run(1, 0.8)]
    at.run()
    assert at.tabs[1].label == "Lab runs"
    verdicts = [s.value for s in at.success]
    assert any("seed 0" in v for v in verdicts) and any("seed 1" in v for v in verdicts)
    tables = [d.value for d in at.dataframe]
    assert [list(t["Val. accuracy"]) for t in tables[-2:]] == [[0.6, 0.9], [0.6, 0.8]]


def test_phone_preset_tells_one_story_for_long_reviews(app):
    # Long reviews: the sequence-model table says LSTM, the 20 ms budget says GRU or small RNN; the page reconciles.
    app.query_params.update({"typical_length": "230", "max_length": "900"})
    at = app.run()
    at.switch_page("pages/compare.py").run()
    at = button(at, "Phone, 20 ms").click().run()
    page = texts(at)
    assert "**One scenario, one story.** In *Phone, 20 ms*, some recommendations" in page
    assert "Sequence model recommends LSTM while Attention vs Transformer recommends GRU or small RNN." in page
    assert "So for sequence model, use GRU." in page
    assert "In *My data today*" not in page  # that scenario tells one story already
