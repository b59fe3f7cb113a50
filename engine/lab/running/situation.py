"""The user's situation in the Lab: sample data made at the interview's numbers, and the star from the rules.

Two directions. `settings_for` turns the interview's answers (typical length, labelled examples) into a
sample data set's settings, where the set can be made at them, and says where it cannot. `star` turns the
data actually trained on into interview answers (its profile) and asks the same `recommend` the Advisor
uses, so the starred candidate is what the project's rules say for that data. No TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ...answers import check_answers, display
from ...recommend import recommend
from ...tables import load_tables
from ..data.datasets import LabData, dataset_info
from ..decisions.specs import resolve_choice
from ..results.records import CandidateResult, DataRecommendation

MAX_SEQ_LEN = 400  # the page's limit: longer runs take minutes on two cores
MAX_LABELLED = {"adding": 4500, "marker_count": 2000, "topics": 2000, "digits": 1000, "digits_clean": 1000,
                "lookahead_tags": 4000, "stdlib_docs": 1260}  # seconds, not minutes
# How a set's size setting relates to its labelled (training) examples: adding trains on 3/4 of `examples`,
# marker_count on 2/3; topics' `labelled` and digits' `train` are the training examples themselves.
SIZE_SETTING = {"adding": ("examples", 4 / 3), "marker_count": ("examples", 3 / 2), "topics": ("labelled", 1.0),
                "digits": ("train", 1.0), "digits_clean": ("train", 1.0), "lookahead_tags": ("examples", 5 / 4),
                "stdlib_docs": ("labelled", 1.0)}


def settings_for(decision: str, dataset: str, answers: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    """The settings of `dataset` that put it at the interview's length and size, and notes where it cannot."""
    info = dataset_info(decision, dataset)
    settings: dict[str, int] = {}
    notes: list[str] = []
    length = answers.get("typical_length")
    if length is not None and "seq_len" in info.settings:
        shortest = 10 if dataset == "marker_count" else 4
        made = min(max(int(length), shortest), MAX_SEQ_LEN)
        settings["seq_len"] = made
        if made != int(length):
            notes.append(f"Your typical length is {int(length):,} tokens; this data set is made at {made} "
                         f"(it can be made between {shortest} and {MAX_SEQ_LEN} tokens here).")
    labelled = answers.get("labelled_examples")
    if labelled is not None and dataset in SIZE_SETTING:
        key, factor = SIZE_SETTING[dataset]
        made = min(max(int(labelled), 20), MAX_LABELLED[dataset])
        settings[key] = int(round(made * factor))
        if dataset in ("digits", "digits_clean"):
            settings["more"] = max(int(info.settings["more"]), made)
        if made != int(labelled):
            notes.append(f"You have {int(labelled):,} labelled examples; this data set trains on {made:,} "
                         f"(between 20 and {MAX_LABELLED[dataset]:,} here, so a run takes seconds).")
    if "vocab_size" in answers and dataset != "csv":
        notes.append(f"The vocabulary is the data set's own ({_vocab_of(dataset)}), not your "
                     f"{int(answers['vocab_size']):,}: the sample sets are generated with a fixed vocabulary.")
    return settings, notes


def _vocab_of(dataset: str) -> str:
    return {"adding": "no tokens: two numbers per step", "digits": "no tokens: 64 pixels",
            "marker_count": "12 tokens", "topics": "about 280 made-up words"}.get(dataset, "its own")


def data_answers(data: LabData) -> dict[str, Any]:
    """The trained-on data's profile, as the interview's answers."""
    answers: dict[str, Any] = {"labelled_examples": int(len(data.x_train))}
    if data.input_kind == "tokens":
        lengths = np.count_nonzero(data.x_train, axis=1)
        words = [w for w in data.vocabulary if w not in ("", "[UNK]")]  # padding and out-of-vocabulary ids
        answers["vocab_size"] = max(len(words) if data.vocabulary else int(data.vocab_size) - 1, 1)
        answers["typical_length"] = max(int(np.median(lengths)), 1)
        answers["max_length"] = max(int(lengths.max()), answers["typical_length"])
        answers["lengths_vary"] = bool(lengths.min() < 0.75 * lengths.max())
    elif data.input_kind == "features":
        answers["typical_length"] = answers["max_length"] = int(data.seq_len)
        answers["lengths_vary"] = False
    return answers


def measured_answers(decision: str, candidates: list[CandidateResult]) -> dict[str, Any]:
    """For overfitting, the baseline's own symptoms as measured in this run (percent, as the interview asks)."""
    base = next((c for c in candidates if c.choice == "no_remedy"), None)
    if decision != "overfitting" or base is None or base.train_accuracy is None or base.val_accuracy is None:
        return {}
    losses = [h.val_loss for h in base.history if h.val_loss is not None]
    rising = bool(losses) and losses[-1] > min(losses) * 1.05
    return {"train_accuracy": round(100 * base.train_accuracy, 1), "val_accuracy": round(100 * base.val_accuracy, 1),
            "val_loss_rising": rising}


def star(decision: str, data: LabData, interview: Mapping[str, Any] | None, interview_choice: str | None,
         measured: Mapping[str, Any] | None = None) -> DataRecommendation:
    """What `recommend` says for the data trained on (its profile over the interview's other answers)."""
    profile = {**data_answers(data), **(measured or {})}
    checked, errors = check_answers({**(interview or {}), **profile})
    rec = recommend(checked, decision)[decision]
    label = rec.choice_label
    interview_label = ""
    note = ""
    if interview_choice is not None:
        interview_rec = recommend(check_answers(dict(interview or {}))[0], decision)[decision]
        interview_label = interview_rec.choice_label if interview_rec.choice == interview_choice else interview_choice
        if interview_choice != rec.choice:
            questions = load_tables().questions
            changed = [f"{questions[k].label.lower()} {display(questions[k], interview[k])} (yours) against "
                       f"{display(questions[k], v)}" for k, v in profile.items()
                       if interview is not None and k in interview and k in questions and interview[k] != v]
            note = ("Your interview's answers lead to " + interview_label + "; the data trained on here has "
                    + (", ".join(changed) if changed else "a different profile") + ", and for that the rules say "
                    + label + ". The star follows the data trained on.")
    if errors:
        note = (note + " Some answers could not be used: " + "; ".join(errors.values())).strip()
    return DataRecommendation(choice=rec.choice, label=label, rule_id=rec.rule_id, because=rec.because,
                              answers=profile, interview=interview_choice, interview_label=interview_label, note=note)


def starred(decision: str, recommendation: DataRecommendation) -> tuple[str, ...]:
    """The candidate ids the star goes on (the rules' `l1_l2` stands for both penalties)."""
    return resolve_choice(decision, recommendation.choice) if recommendation.choice else ()
