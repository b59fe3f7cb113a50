"""A request may train only some candidates (the evidence bank's one task per point and candidate)."""

import pytest

from engine.errors import TrainingError
from engine.lab import TrainRequest


def test_candidates_are_checked_ordered_and_part_of_the_identity_only_when_set():
    whole = TrainRequest.make("sequence_model", epochs=1)
    part = TrainRequest.make("sequence_model", epochs=1, candidates=["gru", "simple_rnn"])
    assert whole.candidates is None and whole.trains == ("simple_rnn", "lstm", "gru")
    assert part.candidates == ("simple_rnn", "gru") and part.trains == ("simple_rnn", "gru")
    assert "candidates" not in whole.identity()  # an unrestricted request keeps the identity it had
    assert part.identity()["candidates"] == ["simple_rnn", "gru"]
    assert TrainRequest.model_validate(part.model_dump(mode="json")) == part  # crosses to a worker intact


@pytest.mark.parametrize(("asked", "message"), [
    (["transformer"], "transformer is not a candidate of sequence_model; name one or more of: simple_rnn, lstm, gru."),
    ([], "No candidate was named; name one or more of: simple_rnn, lstm, gru."),
])
def test_an_unknown_or_empty_list_of_candidates_is_refused_with_a_sentence(asked, message):
    with pytest.raises(TrainingError) as caught:
        TrainRequest.make("sequence_model", epochs=1, candidates=asked)
    assert str(caught.value) == message
