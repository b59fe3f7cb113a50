"""The Decision tables page: every table as a table and a diagram, with the current path highlighted."""

from tests.app.conftest import texts


def test_each_table_is_shown_with_the_rule_that_fires_for_current_answers(app):
    app.query_params.update({"typical_length": "5", "max_length": "5"})
    at = app.run()
    at.switch_page("pages/tables.py").run()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Text encoding", "Sequence model", "Handling overfitting",
                                              "Attention vs Transformer"]
    page = texts(at)
    assert "With your answers: rule `sm-short` fires, recommending **SimpleRNN**." in page
    frames = [d.value for d in at.dataframe]
    assert list(frames[1].index) == ["sm-short", "sm-memory", "sm-long-default", "sm-varying-efficient",
                                     "sm-fixed-efficient", "sm-simple-gated", "sm-medium-default"]
    assert frames[1].loc["sm-short", "Then use"] == "SimpleRNN"
    diagrams = at.get("graphviz_chart")
    assert len(diagrams) == 4
    dot = diagrams[1].proto.spec
    assert '"r_sm-short" [label="sm-short\\nlength = short\\nneed = simple_architecture | efficient_training | ' \
           'no_preference", fillcolor="#b7e4c7", penwidth=2];' in dot
    assert page.count("Checked: every combination of answers matches a rule") == 4
