"""The scaling and CSV-profile charts: log-log scales with titles, a legend, every class labelled, tall enough."""

import pytest

from engine.lab.scaling.experiment import ScalingRow, computed_mb, summarise
from ui import profile_charts, scaling_charts

LENGTHS = (128, 256, 512, 1024, 2048, 4096)


@pytest.fixture
def result():
    times = {"LSTM": [[0.01 * n for n in LENGTHS]] * 2, "MultiHeadAttention": [[1e-5 * n * n for n in LENGTHS]] * 2}
    rows = []
    for name, runs in times.items():
        for i, n in enumerate(LENGTHS):
            total, scores = computed_mb(name, n, 2, 32, 2)
            rows.append(ScalingRow(name, n, runs[0][i], total if name != "LSTM" else 0.0, scores, runs[0][i] * 0.9,
                                   runs[0][i] * 1.1, total))
    return summarise(rows, times, LENGTHS, 2, 32, 2, 2, 1.0)


def layers(spec):
    return spec.get("layer", [spec])


def test_scaling_charts_are_log_log_with_titles_legends_and_room(result):
    for chart in scaling_charts.charts(result):
        spec = chart.to_dict()
        assert spec["height"] >= 250 and spec["autosize"]["type"] == "fit-x"  # fits its column at any width
        for layer in layers(spec):
            encoding = layer["encoding"]
            assert encoding["x"]["scale"]["type"] == "log" and "log scale" in encoding["x"]["title"]
            if "title" in encoding["y"]:
                assert encoding["y"]["scale"]["type"] == "log" and "log scale" in encoding["y"]["title"]
            assert encoding["color"]["legend"]["orient"] == "bottom"
            assert encoding["color"]["field"] == "Layer"  # human names, not raw ids
    memory = scaling_charts.memory_chart(result).to_dict()
    whats = {row["how"] for rows in memory["datasets"].values() for row in rows}
    assert whats == {"computed tensor sizes", "measured peak growth"}


def test_measured_zero_readings_are_left_out_of_the_log_axis(result):
    memory = scaling_charts.memory_chart(result).to_dict()
    measured = [row for rows in memory["datasets"].values() for row in rows if row["how"] == "measured peak growth"]
    assert measured and all(row["mb"] > 0 for row in measured)  # the LSTM's zero readings cannot go on a log axis


def test_notes_carry_the_memory_check_and_the_labelled_estimate(result):
    text = scaling_charts.notes_markdown(result)
    assert "**Memory check.**" in text and "(estimate)" in text and "512 tokens" in text


@pytest.mark.parametrize("n_classes", [2, 6, 25])
def test_class_balance_labels_every_class(n_classes):
    counts = {f"class number {i}": 10 + i for i in range(n_classes)}
    spec = profile_charts.class_balance(counts).to_dict()
    bars = spec["layer"][0]["encoding"]["y"]
    assert bars["axis"]["labelOverlap"] is False  # Vega-Lite would otherwise hide labels it thinks collide
    assert spec["height"] >= max(250, 20 * n_classes)
    assert bars["sort"] == [f"class number {i}" for i in reversed(range(n_classes))]  # largest first
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == n_classes


def test_class_balance_says_when_it_shows_only_the_largest_classes():
    counts = {f"c{i}": i + 1 for i in range(60)}
    spec = profile_charts.class_balance(counts).to_dict()
    assert "40 largest of 60" in spec["title"] and len(next(iter(spec["datasets"].values()))) == 40


def test_length_histogram_is_tall_enough():
    assert profile_charts.length_histogram([3, 4, 5, 9]).to_dict()["height"] >= 250


def test_the_epoch_axis_reads_whole_epochs_even_for_a_one_epoch_run():
    """A one-epoch run once labelled its only tick "1.000000": epochs are counted, so the axis prints integers."""
    import pandas as pd

    from ui import lab_view

    one_epoch = pd.DataFrame([{"candidate": "gru", "label": "GRU", "seed": seed, "epoch": 1, "split": split,
                               "metric": "accuracy", "value": 0.5 + seed / 10}
                              for seed in range(3) for split in ("train", "validation")])
    spec = lab_view.curves_chart(one_epoch, "accuracy", ["GRU"]).to_dict()
    axes = [layer["encoding"]["x"]["axis"] for layer in layers(spec)]
    assert axes and all(axis["format"] == "d" and axis["tickMinStep"] == 1 for axis in axes)
