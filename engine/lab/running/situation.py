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
from ..data.labdata import LabData
from ..decisions import dataset_info, resolve_choice
from ..results.records import DataRecommendation

MAX_SEQ_LEN = 400  # the page's limit: longer runs take minutes on two cores
def settings_for(decision: str, dataset: str, answers: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    """The settings of `dataset` that put it at the interview's length and size, and notes where it cannot."""
    info = dataset_info(decision, dataset)
    settings: dict[str, int] = {}
    notes: list[str] = []
    length = answers.get("typical_length")
    if length is not None and "seq_len" in info.settings:
        shortest = max(info.shortest, 4)
        made = min(max(int(length), shortest), MAX_SEQ_LEN)
        settings["seq_len"] = made
        if made != int(length):
            notes.append(f"Your typical length is {int(length):,} tokens; this data set is made at {made} "
                         f"(it can be made between {shortest} and {MAX_SEQ_LEN} tokens here).")
    labelled = answers.get("labelled_examples")
    if labelled is not None:
        key, factor = info.size
        made = min(max(int(labelled), 20), info.max_labelled)
        settings[key] = int(round(made * factor))
        if "more" in info.settings:
            settings["more"] = max(int(info.settings["more"]), made)
        if made != int(labelled):
            notes.append(f"You have {int(labelled):,} labelled examples; this data set trains on {made:,} "
                         f"(between 20 and {info.max_labelled:,} here, so a run takes seconds).")
    if "vocab_size" in answers and dataset != "csv":
        notes.append(f"The vocabulary is the data set's own ({info.vocabulary}), not your "
                     f"{int(answers['vocab_size']):,}: the sample sets are generated with a fixed vocabulary.")
    return settings, notes


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
