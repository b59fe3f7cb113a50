"""The Advisor's results tell one story in people's words: lost goals, beyond-the-cheatsheet notes, no ids."""

import re

from engine import load_tables
from tests.app.conftest import texts
from tests.app.test_advisor import to_results
from ui.render import LAB_DECISIONS

MOVIE_REVIEWS = {"labelled_examples": "3000", "vocab_size": "25000", "typical_length": "230", "max_length": "900",
                 "architecture_need": "best_performance", "gpu_memory_gb": "4", "latency_budget_ms": "20"}


def ids_with_underscores() -> set[str]:
    t = load_tables()
    ids = set(t.questions) | set(t.decisions) | {o.value for q in t.questions.values() for o in q.options}
    ids |= {c for d in t.decisions.values() for c in d.choices}
    ids |= {b.id for d in t.decisions.values() for i in d.inputs for b in i.bins}
    return {i for i in ids if "_" in i}


def test_movie_reviews_on_a_phone_budget_tell_one_story_in_plain_words(app):
    app.query_params.update(MOVIE_REVIEWS)
    at = to_results(app.run())
    assert not at.exception
    page = texts(at)
    assert "**One scenario, one story.** Some recommendations" in page
    assert "So for sequence model, use GRU." in page
    assert "**A goal lost here.** Your goal (What the model is for: The best accuracy on an NLP task)" in page
    assert "Beyond the cheatsheet" in page
    assert "Fine-tune a small pretrained Transformer encoder" in page
    assert "Also worth doing" not in page or "\n\n1. " in page
    # Question, option and choice ids may appear in code (the share link) but nowhere a person reads prose.
    prose = "\n".join(str(e.value) for kind in ("markdown", "caption", "success", "warning", "error", "info",
                                                 "subheader", "header") for e in getattr(at, kind))
    prose = re.sub(r"`[a-z0-9]+(-[a-z0-9]+)+`", "", prose)  # rule names, shown as code, are not ids
    assert not set(re.findall(r"\b\w+\b", prose)) & ids_with_underscores()


def test_decisions_without_a_lab_comparison_say_so_instead_of_offering_one(app):
    at = to_results(app.run())
    labels = [b.label for b in at.button]
    assert labels.count("Show me: train it against the alternatives") == len(LAB_DECISIONS)
    missing = len(load_tables().decisions) - len(LAB_DECISIONS)
    assert texts(at).count("The Lab has no comparison for this decision yet.") == missing
