"""What some decisions measure beyond the shared table: optimizer state and speed, trained attention weights."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from engine.lab.data.lookahead import causal_ceiling
from engine.lab.models.optimizers import epochs_to_shared_target


def optimizer_frame(result: Any) -> pd.DataFrame:
    """Per candidate: values kept per weight (measured on the optimizer) and epochs to the shared target loss."""
    target, reach = epochs_to_shared_target({(c.choice, i): [h.val_loss for h in r.history]
                                             for c in result.candidates for i, r in enumerate(c.runs)})
    rows = []
    for cand in result.candidates:
        state = cand.runs[0].extras.get("optimizer_state_values") if cand.runs else None
        reached = [reach[(cand.choice, i)] for i in range(len(cand.runs))]
        hit = [e for e in reached if e is not None]
        rows.append({"Candidate": cand.label,
                     "Extra values per weight": (state / cand.trainable_params) if state is not None else None,
                     "Optimizer state (values)": state,
                     "Epochs to target loss (mean)": sum(hit) / len(hit) if hit else None,
                     "Seeds that reached it": f"{len(hit)} of {len(reached)}"})
    frame = pd.DataFrame(rows)
    frame.attrs["target"] = target
    return frame


def attention_chart(weights: list[list[float]], tokens: list[int], title: str) -> alt.Chart:
    """One example's attention matrix (query rows, key columns), averaged over heads."""
    rows = [{"query": f"{i + 1}:{tokens[i]}", "key": f"{j + 1}:{tokens[j]}", "weight": w}
            for i, row in enumerate(weights) for j, w in enumerate(row)]
    order = [f"{i + 1}:{t}" for i, t in enumerate(tokens)]
    return alt.Chart(pd.DataFrame(rows), title=title).mark_rect().encode(
        x=alt.X("key:N", sort=order, title="attends to (position:token)"),
        y=alt.Y("query:N", sort=order, title="token (position:token)"),
        color=alt.Color("weight:Q", title="weight", scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=["query:N", "key:N", alt.Tooltip("weight:Q", format=".2f")],
    ).properties(height=260)


def extras(result: Any) -> None:
    """The decision's own view of its extra measurements, for the decisions that have one."""
    view = VIEWS.get(result.decision)
    if view is not None:
        view(result)


def _optimizer(result: Any) -> None:
    frame = optimizer_frame(result)
    target = frame.attrs.get("target")
    st.markdown("**Optimizer state and speed.** State is counted on each Keras optimizer after training; the "
                "target loss is 10% above the median of the candidates' best validation losses"
                + (f" ({target:.3f})." if target else "."))
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"Extra values per weight": st.column_config.NumberColumn(format="%.0f"),
                                "Epochs to target loss (mean)": st.column_config.NumberColumn(format="%.1f")})
    st.caption("Each optimizer runs at its usual learning rate (SGD 0.05, the others 0.001); results depend "
               "on that choice, so a tuned SGD may close more of the gap.")


def _architecture(result: Any) -> None:
    length = int(result.settings.get("seq_len", 0))
    if length >= 2:
        st.markdown(f"**Ceiling for a causal decoder: {causal_ceiling(length):.1%}** of tokens right at "
                    f"{length} tokens (a coin toss where the answer is to the right, certain on the last token).")
    shown = [c for c in result.candidates if c.runs and "attention_example" in c.runs[0].extras]
    if not shown:
        return
    st.markdown("**What each model attends to** (first validation example, first seed, heads averaged). The "
                "tag of a token depends on the token to its right, so a model that learned the rule puts its "
                "weight just right of the diagonal; a decoder's mask leaves everything right of it blank.")
    for col, cand in zip(st.columns(len(shown)), shown, strict=True):
        example = cand.runs[0].extras["attention_example"]
        share = sum(r.extras.get("right_neighbour_attention", 0.0) for r in cand.runs) / len(cand.runs)
        col.altair_chart(attention_chart(example["weights"], example["tokens"], cand.label), width="stretch")
        col.caption(f"Weight on the right neighbour, over 64 examples and all seeds: {share:.0%} "
                    f"(uniform would be {1 / max(length, 1):.0%}).")


VIEWS = {"optimizer": _optimizer, "transformer_architecture": _architecture}
