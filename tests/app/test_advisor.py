"""The Advisor page: interview, recommendations, answers changing results, links."""

from tests.app.conftest import texts
from ui import render


def to_results(at):
    """Jump to the results step, the stepper's last option, however many interview steps there are."""
    stepper = at.segmented_control(key="stepper")
    return stepper.set_value(len(stepper.options) - 1).run()


def go_to_results(at):
    at.button(key=None)  # noqa: B018 - make sure buttons exist
    while not any(h.value == "Your recommendations" for h in at.header):
        nxt = [b for b in at.button if b.label in ("Next", "See my recommendations")]
        nxt[0].click().run()
    return at


def test_landing_shows_the_first_step_with_help_and_progress(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "What should I use?"
    assert at.header[0].value == "Your data"
    assert "A token is the unit your text is split into" in texts(at)
    assert at.text_input(key="q_vocab_size").value == "20000"


def test_filling_the_interview_gives_four_explained_recommendations(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("300").run()
    at.button[1].click().run()  # Next
    assert at.header[0].value == "Your sequences"
    at.text_input(key="q_typical_length").set_value("6").run()
    at.text_input(key="q_max_length").set_value("8").run()
    go_to_results(at)
    page = texts(at)
    for title in ("Text encoding", "Sequence model", "Handling overfitting", "Attention vs Transformer"):
        assert title in page
    assert "**Use: One-hot encoding**" in page
    assert "**Use: SimpleRNN**" in page
    assert "Rule `sm-short` fired: row 1 of the cheatsheet's table" in page
    assert "Alternatives, and when each would win:" in page


def test_changing_one_answer_changes_the_recommendation(app):
    at = app.run()
    to_results(at)
    assert "**Use: GRU**" in texts(at)
    at.segmented_control(key="stepper").set_value(1).run()
    at.text_input(key="q_typical_length").set_value("80").run()
    at.text_input(key="q_max_length").set_value("200").run()
    to_results(at)
    assert "**Use: LSTM**" in texts(at)
    assert at.session_state["answers"]["typical_length"] == 80


def test_bad_answers_get_an_inline_message_and_the_page_keeps_working(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("-5").run()
    assert not at.exception
    assert any("vocab_size: expected a whole number from 1 to 10,000,000" in e.value for e in at.error)
    at.segmented_control(key="stepper").set_value(1).run()
    at.text_input(key="q_typical_length").set_value("100").run()
    at.text_input(key="q_max_length").set_value("20").run()
    assert any("max_length: 20 tokens is below typical_length (100 tokens)" in e.value for e in at.error)
    to_results(at)
    assert "some answers could not be used" in texts(at).lower()
    assert "Your recommendations" in [h.value for h in at.header]


def test_a_link_reopens_the_same_recommendation_and_names_what_it_ignored(app):
    app.query_params.update({"vocab_size": "300", "encoding_need": "simplicity", "typical_length": "6",
                             "max_length": "8", "gpu_memory_gb": "-3", "colour": "red"})
    at = app.run()
    page = texts(at)
    assert "Your recommendations" in [h.value for h in at.header]  # a shared link lands on the result
    assert "**Use: One-hot encoding**" in page and "**Use: SimpleRNN**" in page
    assert "Ignored unknown link parameter 'colour'." in page
    assert "Ignored gpu\\_memory\\_gb='-3' from the link" in page


def test_focusing_on_one_decision_asks_only_its_questions(app):
    at = app.run()
    at.pills(key="focus_widget").set_value("sequence_model").run()
    steps = at.segmented_control(key="stepper").options
    # labelled examples: for the n-gram baseline note (examples per word of a typical input)
    assert steps == ["Your data", "Your sequences", "What matters most", "Recommendations"]
    to_results(at)
    assert [s for s in at.subheader if "Sequence model" in s.value]
    assert not [s for s in at.subheader if "Text encoding" in s.value]


def test_answers_survive_a_page_switch(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("321").run()
    at.switch_page("pages/compare.py").run()
    at.switch_page("pages/advisor.py").run()
    assert at.text_input(key="q_vocab_size").value == "321"


def test_results_offer_markdown_and_json_downloads(app):
    at = app.run()
    to_results(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download report (Markdown)", "Download data (JSON)"]


def test_letters_in_a_number_field_are_named_kept_and_explained(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("twenty k").run()
    assert not at.exception
    assert at.text_input(key="q_vocab_size").value == "twenty k"  # what was typed stays, it is not turned into 0
    message = next(e.value for e in at.error)
    assert message.startswith("Vocabulary size: “twenty k” is not a number")
    assert "Enter a whole number from 1 to 10,000,000 (distinct tokens)." in message
    assert "got 0" not in message
    to_results(at)
    assert "Some answers could not be used (Vocabulary size)" in texts(at)
    at.segmented_control(key="stepper").set_value(0).run()
    at.text_input(key="q_vocab_size").set_value("20,000").run()  # thousands separators are fine
    assert not at.error and at.session_state["answers"]["vocab_size"] == 20_000


def test_a_default_seen_and_left_is_an_answer(app):
    at = app.run()
    at.text_input(key="q_vocab_size").set_value("300").run()
    at.button[1].click().run()  # Next: the data step's questions were seen
    answers = at.session_state["answers"]
    assert answers["vocab_size"] == 300 and answers["labelled_examples"] == 5_000  # seen and kept
    assert "typical_length" not in answers  # not shown yet
    at.button[1].click().run()  # Next again: "Do your inputs vary a lot in length?" was seen already on
    answers = at.session_state["answers"]
    assert answers["lengths_vary"] is True and answers["typical_length"] == 40
    to_results(at)  # leave "What matters most" for the results
    answers = at.session_state["answers"]
    assert answers["encoding_need"] == "no_preference"  # shown on the step just left
    assert "val_loss_rising" not in answers and "gpu_memory_gb" not in answers  # never shown: still defaults
    assert "latency_budget_ms" not in answers  # an optional number left empty is not given
    assumed = " ".join(c.value for c in at.caption if c.value.startswith("Assumed because not answered"))
    assert "length" not in assumed.lower() and "vocab" not in assumed.lower() and "encoding" not in assumed.lower()
    assert "loss" in assumed.lower()  # the training step was skipped, so its defaults are still assumptions
    assert dict(at.query_params)["lengths_vary"] in ("yes", ["yes"])  # the link carries it as an answer


def test_answers_filled_from_a_csv_say_what_changed_and_can_be_undone(app):
    from ui import state

    app.query_params["max_length"] = "11"
    at = app.run()
    changes = state.fill_answers({"max_length": 16, "labelled_examples": 5_000, "typical_length": 40},
                                 origin="your CSV reviews.csv",
                                 sources={"max_length": "maximum length in the file", "labelled_examples": "rows"},
                                 session=at.session_state)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Longest input", "11 tokens", "16 tokens"),
        ("Labelled examples", "5,000 examples (default)", "5,000 examples"),
        ("Typical length", "40 tokens (default)", "40 tokens")]
    at.run()
    shown = next(i.value for i in at.info if "Filled from" in i.value)
    assert "Filled from your CSV reviews.csv" in shown
    assert "**Longest input**: 11 tokens → **16 tokens** (maximum length in the file)" in shown
    assert at.session_state["answers"]["max_length"] == 16
    at.button(key="undo_fill").click().run()
    assert at.session_state["answers"] == {"max_length": 11}
    assert not [i for i in at.info if "Filled from" in i.value]


def test_the_table_style_sheet_comes_only_with_markdown_tables(app):
    """Wide Markdown tables need the style sheet to scroll on a phone; the interview's first screen has none and
    starts faster without its element bundle (bench/bench_app.py). Other pages get it from app.py, which AppTest's
    switch_page does not run: tests/browser/test_layout.py checks their tables are not cut off at 390 px."""
    def styled(at):
        return any(render.TABLES_SCROLL in h.proto.body for h in at.get("html"))

    at = app.run()
    assert not styled(at)
    to_results(at)
    assert styled(at) and "| Input | Your answer |" in texts(at)
