"""Verdicts from a run's own numbers: each seed judged against the cheatsheet's claim, then counted.

How a verdict is reached: the decision's judge (`judge` in engine/lab/decisions/<id>.py) tests every part
of the claim in each seed on its own. The claim *agrees* when it held in at least two thirds of the seeds
that could test it (2 of 3, 4 of 5), *does not agree* when it failed in at least two thirds, and is
*inconclusive* (None) otherwise, or when no seed could test it. With one seed the verdict is that seed's
outcome, and the text says that one seed is weak evidence. When the seeds' spread is wider than the
difference the claim needs, the verdict is "too few seeds to tell" (power.py); when every candidate stayed
near chance, nothing was learned and it is "too little training to tell", whatever the seeds say.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from .judging import Check, Measured, Part, Situation
from .power import NEAR_CHANCE, Power, near_chance, power
from .records import CandidateResult, SeedRun, Verdict

CLEAR_MAJORITY = 2 / 3
Judge = Callable[[dict[str, Measured], str, Situation], Check]
Describe = Callable[[CandidateResult], str]  # the detail beside a candidate's mean accuracy

def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def measured(candidate: CandidateResult, run: SeedRun) -> Measured:
    return Measured(choice=candidate.choice, label=candidate.label, val_accuracy=run.val_accuracy,
                    val_loss=run.val_loss, train_accuracy=run.train_accuracy, test_accuracy=run.test_accuracy,
                    test_loss=run.test_loss, params=candidate.params,
                    seconds_per_epoch=run.timed_seconds_per_epoch or run.seconds_per_epoch,
                    cpu_seconds_per_epoch=run.cpu_seconds_per_epoch,
                    latency_ms_per_example=run.latency_ms_per_example, epochs_run=len(run.history),
                    extras={**run.extras, "val_losses": [h.val_loss for h in run.history]})


def by_seed(candidates: Sequence[CandidateResult]) -> dict[int, dict[str, Measured]]:
    """For each seed, every candidate measured in it."""
    seeds: dict[int, dict[str, Measured]] = {}
    for c in candidates:
        for run in c.runs:
            if run.history:
                seeds.setdefault(run.seed, {})[c.choice] = measured(c, run)
    return seeds


def tally(outcomes: Sequence[bool | None]) -> bool | None:
    """True when held in a clear majority (>= 2/3) of the seeds that tested it, False when failed in one, else None."""
    tested = [o for o in outcomes if o is not None]
    if not tested:
        return None
    held = sum(tested)
    if held >= math.ceil(CLEAR_MAJORITY * len(tested) - 1e-9):
        return True
    if len(tested) - held >= math.ceil(CLEAR_MAJORITY * len(tested) - 1e-9):
        return False
    return None


def _means(candidates: Sequence[CandidateResult], describe: Describe | None) -> str:
    def one(c: CandidateResult) -> str:
        detail = describe(c) if describe else f"{c.seconds_per_epoch:.2f} s/epoch"
        return f"{c.label} {_pct(c.val_accuracy)} ({detail})"

    return "Mean validation accuracy over seeds: " + ", ".join(one(c) for c in candidates if c.runs) + "."


def _judged(judge_seed: Judge, choice: str, seeds: dict[int, dict[str, Measured]], situation: Situation
            ) -> tuple[list[bool | None], list[Check]]:
    checks = [judge_seed(results, choice, situation) for results in seeds.values() if choice in results]
    return [c.agrees for c in checks], checks


def _parts_text(checks: list[Check]) -> str:
    counts: dict[str, list[bool]] = {}
    for check in checks:
        for part in check.parts:
            counts.setdefault(part.name, []).append(part.held)
    if not counts:
        return ""
    return " Part by part: " + "; ".join(f"{name}: {sum(h)} of {len(h)}" for name, h in counts.items()) + "."


def _power(chosen: Sequence[str], checks_by_choice: Mapping[str, list[Check]], labels: Mapping[str, str]
           ) -> tuple[list[str], list[Power], bool]:
    """Each compared part's paired differences over seeds read against what the claim needs: the sentences,
    the readings, and whether some part without a difference (parameters, speed) clearly failed."""
    sentences, readings, failed_plainly = [], [], False
    for choice in chosen:
        by_part: dict[str, list[Part]] = {}
        for check in checks_by_choice.get(choice, []):
            for part in check.parts:
                by_part.setdefault(part.name, []).append(part)
        for name, found in by_part.items():
            differences = [p.difference for p in found if p.difference is not None]
            if not differences:
                failed_plainly = failed_plainly or tally([p.held for p in found]) is False
                continue
            reading = power(differences, found[0].needed or 0.0)
            if reading is not None:
                readings.append(reading)
                what = f"{labels[choice]}, {name}" if len(chosen) > 1 else name[0].upper() + name[1:]
                sentences.append(reading.sentence(what))
    return sentences, readings, failed_plainly


def _too_few(readings: Sequence[Power]) -> str:
    """What would tell, for a verdict the seeds could not settle."""
    if any(r.outcome == "one_seed" for r in readings):
        return "one seed has no interval; run 3 or more seeds to tell."
    needed = [r.seeds_needed for r in readings if r.outcome == "too_few_seeds"]
    if needed and all(n is not None for n in needed):
        return f"about {max(needed)} seeds would tell at the spread these seeds show."
    return "the seeds' spread is so wide that only a much longer or larger run would tell."


def _nothing_learned(candidates: Sequence[CandidateResult], situation: Situation) -> str:
    """The verdict's head when every measured candidate's validation accuracy sits within NEAR_CHANCE of
    guessing (always the most common class of the first seed's validation labels, at least 1 / classes):
    nothing was learned, so the run cannot tell the claim either way and more seeds would not help; more
    epochs or more training examples would. Empty otherwise."""
    chance = situation.chance
    measured = [c for c in candidates if any(r.val_accuracy is not None for r in c.runs)]
    if chance is None or len(measured) < 2 or not all(
            near_chance([r.val_accuracy for r in c.runs], chance) for c in measured):
        return ""
    guess = ("what always guessing the most common class scores" if situation.majority > 1 / situation.n_classes
             else f"one in {situation.n_classes} classes")
    return (f"Too little training to tell: every candidate stayed within {NEAR_CHANCE * 100:.0f} points of "
            f"chance ({chance:.0%}, {guess}), so none learned the task and the claim cannot be judged; more epochs "
            "or more training examples would tell, more seeds would not.")


def _count(held: int, tested: int, total: int) -> str:
    """"it held in k of n seeds", saying so when some seeds could not test the claim (why is in the body)."""
    count = f"it held in {held} of {tested} seed{'s' if tested != 1 else ''}"
    return count + (f" that could test it ({total - tested} of {total} could not)" if total > tested else "")


def _head(agrees: bool | None, held: int, tested: int, total: int) -> str:
    if tested == 0:
        return "This run cannot test the cheatsheet's claim."
    count = _count(held, tested, total)
    if tested == 1:
        word = "agrees" if agrees else "does NOT agree"
        return f"This run {word} with the cheatsheet ({count}; one seed is weak evidence, try 3 or more)."
    if agrees is True:
        return f"This run agrees with the cheatsheet: {count}, a clear majority."
    if agrees is False:
        return f"This run does NOT agree with the cheatsheet: {count}."
    return (f"Inconclusive: {count}, not a clear majority either way, so the seeds disagree and "
            "this run cannot settle the claim.")


def judge(candidates: list[CandidateResult], situation: Situation, stopped: bool, *, claims: Mapping[str, str],
          judge_seed: Judge, describe: Describe | None = None,
          note: Callable[[Sequence[CandidateResult]], str] | None = None) -> Verdict:
    """The verdict on the recommended candidate(s): judged per seed, then counted (see the module docstring).

    `claims` and `judge_seed` are the decision's (its claim per choice and its per-seed judge); `describe`
    gives the detail beside each candidate's mean accuracy, `note` a sentence the verdict ends with.
    """
    chosen = [c.choice for c in candidates if c.recommended]
    claim = " ".join(claims[c] for c in chosen)
    if not chosen:
        return Verdict(text="No candidate was marked as recommended.", claim="", agrees=None)
    seeds = by_seed(candidates)
    measured_any = {choice for results in seeds.values() for choice in results}
    if any(c not in measured_any for c in chosen) or len(measured_any) < 2:
        return Verdict(text="The run stopped before the recommended model and an alternative were measured; "
                            "nothing to conclude.", claim=claim, agrees=None)
    per_seed: list[bool | None] = []
    texts, all_checks, checks_by_choice = [], [], {}
    for choice in chosen:
        outcomes, checks = _judged(judge_seed, choice, seeds, situation)
        all_checks.extend(checks)
        checks_by_choice[choice] = checks
        if not per_seed:
            per_seed = outcomes
        else:  # several recommended choices (L1 and L2): a seed holds when every one held there
            per_seed = [None if a is None or b is None else a and b for a, b in zip(per_seed, outcomes, strict=False)]
        texts.extend(c.untestable for c in checks if c.untestable)
    agrees = tally(per_seed)
    tested = [o for o in per_seed if o is not None]
    head = _head(agrees, sum(tested), len(tested), len(per_seed))
    labels = {c.choice: c.label for c in candidates}
    sentences, readings, failed_plainly = _power(chosen, checks_by_choice, labels)
    decided_against = failed_plainly or any(r.outcome == "below" for r in readings)
    too_few = (agrees is not True and tested and not decided_against
               and any(r.outcome in ("too_few_seeds", "one_seed") for r in readings))
    if too_few:  # the seeds disagree or fail, but their spread is wider than the difference the claim needs
        agrees = None
        head = (f"Too few seeds to tell: {_count(sum(tested), len(tested), len(per_seed))}, but the differences "
                "it needs are smaller than what "
                f"{len(tested)} seed{'s' if len(tested) != 1 else ''} can detect; {_too_few(readings)}")
    idle = _nothing_learned(candidates, situation)
    if idle:  # every candidate at chance: no seed count can tell what the claim compares, so no power lines
        agrees, too_few = None, False
        head = idle
    if stopped:
        head += " (Stopped early: the numbers cover only the epochs that ran.)"
    body = [_means(candidates, describe) + _parts_text(all_checks), *dict.fromkeys(texts)]
    if note:
        body.append(note(candidates).strip())
    return Verdict(text=" ".join([head, *[b for b in body if b]]), claim=claim, agrees=agrees,
                   holds_in=sum(tested), seeds=len(tested), per_seed=per_seed, power=[] if idle else sentences,
                   too_few_seeds=bool(too_few), too_little_training=bool(idle))
