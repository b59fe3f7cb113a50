"""The candidates of each decision as declarative specs: which choice, what changes, how it is trained.

A comparison trains every candidate of one decision on the same data split, seed, optimizer and
epochs; the spec's `options` are the only thing that differs between them. Builders (`builders.py`)
and the script renderer (`codegen.py`) both read these specs, so the code shown is the code trained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...decisions import LAB as DECISIONS
from ...errors import TrainingError
from ..models.optimizers import SETTINGS as OPTIMIZERS


@dataclass(frozen=True)
class CandidateSpec:
    """One model in a comparison."""

    decision: str
    choice: str  # the project-wide choice id, e.g. "lstm"
    label: str  # a short human name, e.g. "LSTM"
    changes: str  # what differs from the other candidates, in one sentence
    options: dict[str, Any] = field(default_factory=dict)  # builder/trainer knobs, see builders.py


@dataclass(frozen=True)
class TrainConfig:
    """What every candidate of a decision shares: optimizer, learning rate, batch size, default epochs."""

    epochs: int
    batch_size: int
    learning_rate: float
    optimizer: str = "adam"


TRAIN_CONFIGS: dict[str, TrainConfig] = {
    "text_encoding": TrainConfig(epochs=15, batch_size=32, learning_rate=1e-2),
    "sequence_model": TrainConfig(epochs=8, batch_size=128, learning_rate=1e-2),
    "overfitting": TrainConfig(epochs=15, batch_size=32, learning_rate=1e-2),
    "attention_vs_transformer": TrainConfig(epochs=6, batch_size=64, learning_rate=2e-3),
    # Each optimizer runs at its own usual learning rate (optimizers.SETTINGS); this one is not used.
    "optimizer": TrainConfig(epochs=12, batch_size=32, learning_rate=1e-3),
    "transformer_architecture": TrainConfig(epochs=10, batch_size=64, learning_rate=5e-3),
}

_SPECS: dict[str, list[CandidateSpec]] = {
    "text_encoding": [
        CandidateSpec("text_encoding", "one_hot", "One-hot",
                      "each token becomes a vocabulary-sized 0/1 vector (nothing learned in the encoding)",
                      {"encoding": "one_hot"}),
        CandidateSpec("text_encoding", "learned_embedding", "Learned embedding",
                      "an Embedding layer initialised at random and learned from the labelled set only",
                      {"encoding": "learned", "embedding_dim": 32}),
        CandidateSpec("text_encoding", "pretrained_embedding", "Pretrained embedding (frozen)",
                      "an Embedding layer holding pretrained vectors (GloVe on English text), kept frozen",
                      {"encoding": "pretrained", "embedding_dim": 32, "trainable": False}),
    ],
    "sequence_model": [
        CandidateSpec("sequence_model", "simple_rnn", "SimpleRNN", "a plain tanh recurrent layer",
                      {"cell": "simple_rnn", "units": 32}),
        CandidateSpec("sequence_model", "lstm", "LSTM", "an LSTM layer (input, forget and output gates)",
                      {"cell": "lstm", "units": 32}),
        CandidateSpec("sequence_model", "gru", "GRU", "a GRU layer (update and reset gates)",
                      {"cell": "gru", "units": 32}),
    ],
    "overfitting": [
        CandidateSpec("overfitting", "no_remedy", "No remedy (baseline)",
                      "the over-sized network on the small training sample, nothing added", {}),
        CandidateSpec("overfitting", "dropout", "Dropout 0.5", "Dropout(0.5) after each hidden layer",
                      {"dropout": 0.5}),
        CandidateSpec("overfitting", "l1", "L1 penalty", "an L1 weight penalty (1e-4) on each hidden layer",
                      {"l1": 1e-4}),
        CandidateSpec("overfitting", "l2", "L2 penalty", "an L2 weight penalty (1e-3) on each hidden layer",
                      {"l2": 1e-3}),
        CandidateSpec("overfitting", "early_stopping", "Early stopping",
                      "stop when validation loss has not improved for 5 epochs, keep the best weights",
                      {"early_stopping": 5}),
        CandidateSpec("overfitting", "more_data", "More data",
                      "the same network trained on a larger sample of the same data", {"more_data": True}),
    ],
    "attention_vs_transformer": [
        CandidateSpec("attention_vs_transformer", "rnn_with_attention", "LSTM + attention",
                      "an LSTM whose outputs are pooled by dot-product self-attention",
                      {"arch": "rnn_attention", "units": 32}),
        CandidateSpec("attention_vs_transformer", "transformer", "Transformer encoder",
                      "one encoder block: multi-head self-attention, residuals, layer norm, 4x feed-forward",
                      {"arch": "transformer", "d_model": 32, "num_heads": 4, "dropout": 0.1}),
        CandidateSpec("attention_vs_transformer", "lstm", "LSTM", "a plain LSTM reading the sequence",
                      {"arch": "rnn", "cell": "lstm", "units": 32}),
        CandidateSpec("attention_vs_transformer", "gru_or_small_rnn", "Small GRU",
                      "a GRU with half the units, built for latency", {"arch": "rnn", "cell": "gru", "units": 16}),
    ],
    "optimizer": [
        CandidateSpec("optimizer", choice, setting.label,
                      f"the same network trained with {setting.describe()}; it keeps {setting.slots_per_weight} "
                      "extra value(s) per weight", {"optimizer": choice})
        for choice, setting in OPTIMIZERS.items()
    ],
    "transformer_architecture": [
        CandidateSpec("transformer_architecture", "encoder_only", "Encoder-only (BERT-like)",
                      "one self-attention block where every token sees every other (bidirectional)",
                      {"arch": "encoder_only"}),
        CandidateSpec("transformer_architecture", "decoder_only", "Decoder-only (GPT-like)",
                      "the same block with a causal mask: each token sees itself and the tokens before it",
                      {"arch": "decoder_only"}),
        CandidateSpec("transformer_architecture", "encoder_decoder", "Encoder-decoder (T5-like)",
                      "an encoder block, a causal decoder block over the same tokens, and cross-attention "
                      "from the decoder to the encoder", {"arch": "encoder_decoder"}),
    ],
}

# The rules' `l1_l2` choice is answered by training both penalties side by side (see `candidates`).
CHOICE_ALIASES: dict[str, tuple[str, ...]] = {"l1_l2": ("l1", "l2")}


def check_decision(decision: str) -> str:
    if decision not in _SPECS:
        raise TrainingError(f'Unknown decision "{decision}"; choose one of: {", ".join(DECISIONS)}.')
    return decision


def candidates(decision: str) -> list[CandidateSpec]:
    """Every candidate trained for `decision`, baseline first where there is one."""
    return list(_SPECS[check_decision(decision)])


def resolve_choice(decision: str, choice: str | None) -> tuple[str, ...]:
    """The candidate ids that a (possibly aliased) recommended choice stands for; () when none."""
    if choice is None:
        return ()
    ids = {spec.choice for spec in candidates(decision)}
    resolved = CHOICE_ALIASES.get(choice, (choice,))
    unknown = [c for c in resolved if c not in ids]
    if unknown:
        accepted = ", ".join(sorted(ids | set(CHOICE_ALIASES)))
        raise TrainingError(f'Recommended choice "{choice}" is not a candidate of {decision}; accepted: {accepted}.')
    return resolved


def train_config(decision: str) -> TrainConfig:
    return TRAIN_CONFIGS[check_decision(decision)]
