"""Every snippet runs and prints what it promises; the runner isolates and times out.

The snippets run in two subprocesses side by side (one per core), each importing TensorFlow once,
which keeps the whole set to about half a minute. The page's Run button uses `run_snippet`, a
fresh process per snippet; that path is tested on a quick snippet and on a stuck one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine.study import SNIPPETS_DIR, run_many, run_snippet

SNIPPETS = sorted(SNIPPETS_DIR.glob("*.py"))

# A line each snippet must print, proving it did what its header says (not just that it exited 0).
EXPECTED = {
    "autoencoder.py": "latent code shape: (5, 32)",
    "batch_normalization.py": "output mean/var in training mode",
    "bpe_subwords.py": "unkindest    -> ['un', 'kind', 'est</w>']",
    "early_stopping.py": "(patience 5)",
    "embedding_layer.py": "vector of token 25 equals row 25 of the matrix: True",
    "gradient_tape_step.py": "step 30",
    "masking.py": "masked LSTM output is independent of padding length: True",
    "model_checkpoint.py": "best.weights.h5",
    "multi_head_attention.py": "output shape: (2, 6, 32)",
    "pad_sequences.py": "[7 1 0 0 0]",
    "positional_embedding.py": "input length 12 -> output (2, 12, 16)",
    "regularization.py": "kept values are 1 / (1 - 0.3)",
    "rnn_lstm.py": "LSTM      return_sequences=True  -> output shape (32, 20, 16)",
    "save_load.py": "full model .keras reloads with the same predictions: True",
    "scaled_dot_product_attention.py": "each row sums to 1: True",
    "tensorboard_callback.py": "tensorboard",
    "text_vectorization.py": "unseen word 'zebra' maps to 1 ([UNK])",
    "transformer_encoder_block.py": "saved and reloaded with identical predictions: True",
    "word2vec_skipgram.py": "nearest to 'king'",
}


@pytest.fixture(scope="module")
def results():
    """Every snippet's output; starts TensorFlow in two subprocesses, so the tests using it are `slow`."""
    groups = [SNIPPETS[0::2], SNIPPETS[1::2]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {r.snippet: r for group in pool.map(run_many, groups) for r in group}


def test_every_snippet_has_an_expectation():
    assert sorted(EXPECTED) == [p.name for p in SNIPPETS]


@pytest.mark.slow
@pytest.mark.parametrize("snippet", [p.name for p in SNIPPETS])
def test_snippet_runs(results, snippet):
    result = results[snippet]
    assert result.ok, f"{snippet} failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    assert EXPECTED[snippet] in result.stdout, result.stdout
    assert "Traceback" not in result.stderr
    assert result.seconds < 60


@pytest.mark.parametrize("snippet", [p.name for p in SNIPPETS])
def test_snippet_has_a_header_docstring(snippet):
    text = (SNIPPETS_DIR / snippet).read_text(encoding="utf-8")
    assert text.startswith('"""\nTitle: ')
    assert "\nTopic: " in text.split('"""')[1]


def test_run_button_path_runs_a_snippet_in_its_own_process():
    result = run_snippet(SNIPPETS_DIR / "bpe_subwords.py")
    assert result.ok and "merges learned" in result.stdout


def test_a_stuck_snippet_is_stopped(tmp_path: Path):
    stuck = tmp_path / "stuck.py"
    stuck.write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    result = run_snippet(stuck, timeout=1)
    assert result.timed_out and not result.ok
    assert "Stopped after 1 s" in result.stderr


@pytest.mark.slow
def test_snippets_write_nothing_into_the_project(results):
    root = SNIPPETS_DIR.parent
    assert not list(root.glob("*.keras")) and not list(root.glob("*.h5")) and not (root / "logs").exists()
