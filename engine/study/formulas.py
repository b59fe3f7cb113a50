"""Numeric drills for the key formulas: random numbers in, one computed value out, checked with a tolerance.

Each generator returns the prompt, the exact answer and a worked solution. The numbers come from
the `random.Random` passed in, so a seed reproduces a question (tests rely on that).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Drill:
    """A numeric question: `answer` is exact; the quiz accepts answers within `tolerance`."""

    prompt: str
    answer: float
    solution: str
    tolerance: float


def tolerance_for(answer: float) -> float:
    """0.1% of the answer, but never tighter than 0.001 (answers are typed with a few decimals)."""
    return max(1e-3, 1e-3 * abs(answer))


def _drill(prompt: str, answer: float, solution: str) -> Drill:
    return Drill(prompt + "\n\nGive the value to at least 3 decimals.", answer, solution, tolerance_for(answer))


def chain_rule(rng: random.Random) -> Drill:
    x, w, b = (round(rng.uniform(-2, 2), 2) for _ in range(3))
    y = round(rng.uniform(0, 1), 2)
    z = w * x + b
    a = 1 / (1 + math.exp(-z))
    grad = 2 * (a - y) * a * (1 - a) * x
    prompt = (
        f"One neuron: z = w*x + b, a = sigmoid(z), loss L = (a - y)^2, with x = {x}, w = {w}, b = {b}, "
        f"y = {y}. Using the chain rule, what is dL/dw?"
    )
    solution = (
        f"z = {z:.4f}, a = {a:.4f}. dL/da = 2(a - y) = {2 * (a - y):.4f}; da/dz = a(1 - a) = {a * (1 - a):.4f}; "
        f"dz/dw = x = {x}. Product: {grad:.4f}."
    )
    return _drill(prompt, grad, solution)


def gradient_step(rng: random.Random) -> Drill:
    w = round(rng.uniform(-1, 1), 2)
    g = round(rng.uniform(-3, 3), 2)
    lr = rng.choice([0.1, 0.05, 0.01, 0.5])
    new = w - lr * g
    prompt = f"Gradient descent: w = {w}, dL/dw = {g}, learning rate = {lr}. What is the new w?"
    return _drill(prompt, new, f"w - lr * g = {w} - {lr} * {g} = {new:.4f}.")


def momentum_step(rng: random.Random) -> Drill:
    beta = rng.choice([0.9, 0.8, 0.95])
    v = round(rng.uniform(-1, 1), 2)
    g = round(rng.uniform(-2, 2), 2)
    w = round(rng.uniform(-1, 1), 2)
    lr = rng.choice([0.1, 0.01, 0.05])
    if rng.random() < 0.5:
        name, rule = "the EMA convention", "v = beta*v + (1 - beta)*g, then w = w - lr*v"
        new_v = beta * v + (1 - beta) * g
    else:
        name, rule = "the Keras/PyTorch convention", "v = beta*v + g, then w = w - lr*v"
        new_v = beta * v + g
    new_w = w - lr * new_v
    prompt = (
        f"SGD with momentum, {name} ({rule}). beta = {beta}, previous v = {v}, gradient g = {g}, "
        f"w = {w}, lr = {lr}. What is the new w?"
    )
    solution = f"new v = {new_v:.4f}; new w = {w} - {lr} * {new_v:.4f} = {new_w:.4f}."
    return _drill(prompt, new_w, solution)


def l2_penalty(rng: random.Random) -> Drill:
    weights = [round(rng.uniform(-2, 2), 1) for _ in range(rng.randint(3, 4))]
    lam = rng.choice([0.01, 0.001, 0.1, 0.05])
    data_loss = round(rng.uniform(0.1, 2.0), 3)
    squares = sum(w * w for w in weights)
    total = data_loss + lam * squares
    prompt = (
        f"L2 regularisation with lambda = {lam} on weights {weights}; the data loss is {data_loss}. "
        "What is the total loss (data loss + lambda * sum of squared weights)?"
    )
    solution = f"sum(w^2) = {squares:.4f}; penalty = {lam} * {squares:.4f} = {lam * squares:.5f}; total = {total:.5f}."
    return _drill(prompt, total, solution)


def dropout_scale(rng: random.Random) -> Drill:
    p = rng.choice([0.1, 0.2, 0.25, 0.3, 0.5])
    x = round(rng.uniform(0.5, 3.0), 2)
    if rng.random() < 0.7:
        value = x / (1 - p)
        prompt = (
            f"Inverted dropout with rate p = {p} during training: a unit with input {x} is kept by the mask. "
            "What does the layer output for it?"
        )
        solution = f"Kept units are scaled by 1/(1 - p): {x} / {1 - p:g} = {value:.4f}."
    else:
        value = x
        prompt = f"Inverted dropout with rate p = {p} at inference: the input is {x}. What is the output?"
        solution = (
            "At inference dropout does nothing (the scaling already happened in training), "
            "so the output is the input."
        )
    return _drill(prompt, value, solution)


def embedding_size(rng: random.Random) -> Drill:
    vocab = rng.choice([5_000, 10_000, 20_000, 30_000])
    dim = rng.choice([32, 64, 100, 128, 300])
    prompt = (
        f"An Embedding layer with a vocabulary of {vocab:,} tokens and {dim} dimensions: "
        "how many trainable parameters?"
    )
    solution = f"One row of {dim} numbers per token: {vocab:,} x {dim} = {vocab * dim:,}."
    return _drill(prompt, float(vocab * dim), solution)


GENERATORS: dict[str, Callable[[random.Random], Drill]] = {
    "chain_rule": chain_rule,
    "gradient_step": gradient_step,
    "momentum_step": momentum_step,
    "l2_penalty": l2_penalty,
    "dropout_scale": dropout_scale,
    "embedding_size": embedding_size,
}
