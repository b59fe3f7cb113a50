"""SimpleRNN, LSTM or GRU: the same recurrent classifier with one of the three cells.

Trained on the adding problem, whose answer depends on a value seen early in the sequence, so the
sequence's length is what separates a plain tanh RNN from the gated cells. Also measured: how much
gradient reaches the first time step, at initialisation and after training (the vanishing gradient).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..results.judging import (
    CLEAR_WIN,
    CLOSE,
    FASTER,
    SAME_SPEED,
    Check,
    Measured,
    Situation,
    at_least,
    cannot,
    epoch_cost,
    faster,
    learned_something,
    more_than,
    parts,
)
from ..results.power import NEAR_CHANCE, power
from ..results.published import (
    COMPARABLE,
    SOLVED,
    Bank,
    Finding,
    Paper,
    capped,
    cost,
    mean,
    not_measured,
    paired,
    point,
    solved_and_stopped,
)
from ..results.records import CandidateResult
from .base import LabDecision, Sweep, TrainConfig, specs


def build_model(options, data, name):
    """Token ids (embedded) or numeric features -> one recurrent layer per `stack` -> softmax over the classes."""
    import keras
    from keras import layers

    cells = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}
    if data.get("vocab_size"):  # padded token ids; id 0 is padding, which mask_zero tells later layers to skip
        inputs = keras.Input(shape=data["x_train"].shape[1:], dtype="int32", name="tokens")
        h = layers.Embedding(data["vocab_size"], 32, mask_zero=True, name="embedding")(inputs)
    else:
        inputs = keras.Input(shape=data["x_train"].shape[1:], dtype="float32", name="inputs")
        h = inputs
    stack = int(options.get("stack", 1))
    for depth in range(stack):
        last = depth == stack - 1
        # Every layer but the last hands its whole sequence to the next one.
        h = cells[options["cell"]](options["units"], return_sequences=not last,
                                   name="recurrent" if last else f"recurrent_{depth + 1}")(h)
    outputs = layers.Dense(data["n_classes"], activation="softmax", name="classes")(h)
    return keras.Model(inputs, outputs, name=name)


def judge(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    me = results[choice]
    simple, lstm = results.get("simple_rnn"), results.get("lstm")
    if choice == "simple_rnn":
        gated = [results[c] for c in ("lstm", "gru") if c in results]
        if not gated:
            return cannot("No gated model was measured to compare with.")
        best = max(gated, key=lambda r: r.acc)
        fastest = min(gated, key=lambda r: epoch_cost(r, me)[0])
        return parts(at_least("about as accurate as the better gated model (LSTM or GRU)", me.acc, best.acc, -CLOSE),
                     faster("the fastest per epoch", me, fastest, SAME_SPEED))
    if choice == "lstm":
        if simple is None:
            return cannot("No SimpleRNN was measured to compare with.")
        return parts(more_than("clearly more accurate than the SimpleRNN", me.acc, simple.acc, CLEAR_WIN))
    if lstm is None:
        return cannot("No LSTM was measured to compare with.")
    if not learned_something(lstm, situation) and not learned_something(me, situation):
        return cannot("Neither the GRU nor the LSTM learned the task (both near chance), so 'about as well' says "
                      "nothing.")
    return parts(at_least("about as accurate as the LSTM", me.acc, lstm.acc, -CLOSE),
                 ("fewer parameters than the LSTM", me.params < lstm.params),
                 faster("at least 10% faster per epoch than the LSTM", me, lstm, FASTER))


def initial_extras(model, data) -> dict:
    """How strongly the output depends on each time step at initialisation (None for token inputs)."""
    from ..models.probes import gradient_profile

    return {"gradient_profile": gradient_profile(model, data.x_val[:64])}


def extras(spec, model, data, history, initial) -> dict:
    """The same profile after training, for the seed whose profile was measured at initialisation."""
    from ..models.probes import gradient_profile

    if not initial or not initial.get("gradient_profile"):
        return {}
    return {**initial, "gradient_profile_trained": gradient_profile(model, data.x_val[:64])}


def first_step_ratio(profile: list[float] | None) -> float | None:
    """How strongly the output depends on the first step relative to the last (gradient norms)."""
    if not profile or profile[-1] <= 0:
        return None
    return profile[0] / profile[-1]


def gradient_note(candidates: Sequence[CandidateResult]) -> str:
    """The first seed's gradient profiles (at initialisation and after training), when measured."""
    found, initial = [], {}
    for r in candidates:
        init = first_step_ratio(r.extras.get("gradient_profile"))
        trained = first_step_ratio(r.extras.get("gradient_profile_trained"))
        if init is not None and trained is not None:
            initial[r.choice] = init
            found.append(f"{r.label} {init:.0e} at initialisation, {trained:.0e} after training")
    if not found:
        return ""
    note = "Gradient reaching the first step, relative to the last step: " + "; ".join(found) + "."
    gated = [initial[c] for c in ("lstm", "gru") if c in initial]
    if "simple_rnn" in initial and gated and max(gated) < initial["simple_rnn"]:
        note += (" At initialisation the gated units pass even less gradient back to the start than the "
                 "plain RNN, so their advantage is learned by the gates during training, not present from the start.")
    return note



def adding_problem(bank: Bank) -> Finding:
    """LSTM and GRU solve the adding problem at T >= 100; a tanh RNN stays at the trivial baseline."""
    found = point(bank, "sequence_model", max)
    if found is None or found["x"] < 100:
        return not_measured("sequence_model sweep to 100 steps")
    cap = bank["sequence_model"]["sweep"].get("epochs")  # the cap, when trained with early stopping
    acc = {c: mean(found["metric"][c]) for c in ("simple_rnn", "lstm", "gru")}
    solved = [c for c in ("lstm", "gru") if acc[c] >= SOLVED]
    text = (f"At T = {found['x']:g}: test accuracy LSTM {acc['lstm']:.1%}, GRU {acc['gru']:.1%}, SimpleRNN "
            f"{acc['simple_rnn']:.1%} (mean of {len(found['seeds'])} seeds; solved means {SOLVED:.0%}, chance 50%).")
    if len(solved) == 2 and acc["simple_rnn"] <= 0.5 + NEAR_CHANCE:
        return Finding("reproduced", text)
    unsolved = [c for c in ("lstm", "gru") if c not in solved]
    if unsolved and any(capped(found, c, cap) is None for c in unsolved):
        return Finding("out of reach here", text + " These points trained a fixed number of epochs, so whether "
                       "more training would solve it was not measured.")
    if unsolved and all(capped(found, c, cap) for c in unsolved):
        return Finding("out of reach here", text + f" The unsolved gated cells were still improving at the cap of "
                       f"{cap} epochs; the published runs trained for tens of thousands of steps, {cost(found, cap)}")
    if len(solved) == 2:
        return Finding("not reproduced", text + " The tanh RNN learned more than the trivial baseline here.")
    return Finding("not reproduced", text + solved_and_stopped(
        found, {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}, ("lstm", "gru"), cap,
        bank["sequence_model"]["sweep"].get("patience")))


def gru_vs_lstm(bank: Bank) -> Finding:
    """Chung et al.: GRU comparable to LSTM, and both above a tanh RNN, on a long-memory task."""
    found = point(bank, "sequence_model", max)
    if found is None:
        return not_measured("sequence_model sweep")
    gru, lstm, rnn = (found["metric"][c] for c in ("gru", "lstm", "simple_rnn"))
    close = power(paired(gru, lstm), 0.0)
    above = [power(paired(g, rnn), 0.0) for g in (gru, lstm)]
    text = (f"At T = {found['x']:g}: GRU minus LSTM {close.difference.mean:+.3f} (95% interval "
            f"{close.difference.low:+.3f} to {close.difference.high:+.3f}); GRU and LSTM minus SimpleRNN "
            f"{above[0].difference.mean:+.3f} and {above[1].difference.mean:+.3f}.")
    comparable = close.difference.low >= -COMPARABLE and close.difference.high <= COMPARABLE
    both_above = all(a.outcome == "above" for a in above)
    if comparable and both_above:
        return Finding("reproduced", text)
    if not both_above and all(a.difference.low <= 0 for a in above):
        return Finding("not reproduced", text + " Neither gated cell was clearly above the tanh RNN at this length.")
    if (close.difference.high - close.difference.low) / 2 > COMPARABLE and both_above:
        return Finding("too few seeds to tell", text + " Both are above the tanh RNN, but the GRU-LSTM interval is "
                       f"wider than the +/-{COMPARABLE:.2f} that 'comparable' needs.")
    return Finding("not reproduced", text + " The GRU and the LSTM differ by more than 'comparable' allows.")


DECISION = LabDecision(
    id="sequence_model",
    candidates=specs(
        "sequence_model",
        ("simple_rnn", "SimpleRNN", "a plain tanh recurrent layer", {"cell": "simple_rnn", "units": 32}),
        ("lstm", "LSTM", "an LSTM layer (input, forget and output gates)", {"cell": "lstm", "units": 32}),
        ("gru", "GRU", "a GRU layer (update and reset gates)", {"cell": "gru", "units": 32}),
    ),
    train=TrainConfig(epochs=8, batch_size=128, learning_rate=1e-2),
    datasets=("adding", "marker_count", "stdlib_docs"),
    build=build_model,
    claims={
        "simple_rnn": "For short sequences (under 10 tokens) a SimpleRNN is enough and the fastest.",
        "lstm": "For long sequences (50+ tokens) an LSTM's gates keep the gradient alive, so it learns "
                "long-range dependencies a SimpleRNN cannot.",
        "gru": "A GRU does about as well as an LSTM with fewer parameters and faster training.",
    },
    judge=judge,
    initial_extras=initial_extras,
    extras=extras,
    verdict_note=gradient_note,
    papers=(
        Paper("adding_problem", "sequence_model",
              "Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015; Arjovsky, Shah & Bengio 2016",
              "On the adding problem with T >= 100 steps, LSTM (and GRU) learn it while a tanh RNN stays at the "
              "trivial baseline.", adding_problem),
        Paper("gru_vs_lstm", "sequence_model", "Chung, Gulcehre, Cho & Bengio 2014",
              "GRU performs comparably to LSTM, and both clearly above a tanh RNN.", gru_vs_lstm),
    ),
    sweep=Sweep("sequence_model", "adding", "seq_len", "typical_length", "tokens", (5, 10, 20, 50, 100),
                effect=CLEAR_WIN, chance=0.5, epochs=30, metric="test_accuracy",
                extra_metrics=("val_accuracy", "epochs_run", "learning_rate_factor"),
                note="The adding problem needs memory across the whole sequence, the case gated layers are "
                     "built for; on tasks whose answer sits in the last few tokens a SimpleRNN keeps up longer."),
)
