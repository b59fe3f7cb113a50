"""The Lab's evidence expander, in AppTest, for the decisions whose rules read a gap or a length (no training)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, texts


def lab(tmp_path, monkeypatch, decision: str, **answers: str) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_DB", str(tmp_path / "progress.sqlite3"))
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(tmp_path / "runs"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in answers.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/lab.py").run()
    at.selectbox(key="lab_decision").set_value(decision).run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def test_overfitting_evidence_shows_the_gap_against_five_points_and_the_users_gap(tmp_path, monkeypatch):
    at = lab(tmp_path, monkeypatch, "overfitting", train_accuracy="98", val_accuracy="80", labelled_examples="300")
    assert any(e.label.startswith("Stored evidence: handling overfitting along training examples")
               for e in at.expander)
    page = texts(at)
    assert "The rule recommends Dropout when the gap is 5 points or more." in page
    assert "line up" in page  # the gap's crossing and dropout's benefit are set side by side
    specs = [str(c.proto) for c in charts(at)]  # the spec and its Arrow data sets, labels included
    assert any("rule: 5 points" in s and "you: 18 points" in s and "you: 300" in s for s in specs)


def test_attention_evidence_shows_cost_past_512_with_the_rules_thresholds(tmp_path, monkeypatch):
    at = lab(tmp_path, monkeypatch, "attention_vs_transformer", max_length="2000", gpu_memory_gb="4")
    assert any(e.label.startswith("Stored evidence: attention vs transformer along tokens") for e in at.expander)
    page = texts(at)
    assert "The rule switches from RNN/LSTM with attention to LSTM (no attention) at 513 tokens." in page
    assert "Memory (BERT-base estimate" in page and "Time:" in page
    specs = [str(c.proto) for c in charts(at)]  # the spec and its Arrow data sets, labels included
    assert any("rule: over 512" in s and "rule: 8 GB" in s and "you: 4 GB" in s for s in specs)
    assert sum("rule: over 512" in s and "you: 2000" in s for s in specs) >= 2  # time and memory charts
    # How long the stored runs trained, counted from the bank: here most hit the epoch cap, and the page says so.
    assert "used every epoch allowed" in page and "a higher cap would tell whether the ranking holds" in page


def test_published_results_sit_beside_the_banks_measurement_with_their_status(tmp_path, monkeypatch):
    at = lab(tmp_path, monkeypatch, "sequence_model")
    assert any(e.label.startswith("Published results") for e in at.expander)
    page = texts(at)
    assert "Hochreiter & Schmidhuber 1997" in page and "Chung, Gulcehre, Cho & Bengio 2014" in page
    statuses = ("Reproduced.", "Not reproduced.", "Too few seeds to tell.", "Out of reach here.", "Not measured.")
    assert sum(page.count(s) for s in statuses) == 2  # one status per published result of this decision
