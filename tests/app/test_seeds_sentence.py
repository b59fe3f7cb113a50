"""The Lab's sentence on how a comparison's seeds trained, for every case a stored result can be in."""

from types import SimpleNamespace

from ui.lab_view import how_seeds_trained


def result(seeds: int, *candidates: tuple[str, bool, str | None]):
    return SimpleNamespace(seed_list=list(range(seeds)), candidates=[
        SimpleNamespace(label=label, trained_together=together, apart_because=because)
        for label, together, because in candidates])


def test_stacked_seeds_are_said_once_for_all_candidates():
    text = how_seeds_trained(result(3, ("LSTM", True, None), ("GRU", True, None)))
    assert text == " Each candidate's seeds trained together, as one model whose weights carry a seed axis."


def test_a_candidate_trained_one_seed_after_another_is_named_with_its_reason():
    text = how_seeds_trained(result(3, ("CNN", False, 'layer "conv" (Conv1D) has no seed-axis twin'),
                                    ("GRU", True, None)))
    assert "one after another for CNN" in text and "Conv1D" in text and "any other candidate's as one model" in text


def test_nothing_is_said_for_one_seed_or_for_results_older_than_stacking():
    assert how_seeds_trained(result(1, ("GRU", False, "one seed"))) == ""
    assert how_seeds_trained(result(3, ("GRU", False, None), ("LSTM", False, None))) == ""
