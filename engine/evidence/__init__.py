"""The evidence bank: sweeps of each decision's rule condition, measured over seeds and stored with provenance.

`sweeps.py` declares what each decision sweeps (the question its rule reads, the values, the data set);
`crossover.py` finds where the winner changes and sets it against the rule's threshold; `levels.py` does
the same for a threshold the rule reads off a measured quantity (the overfitting gap) and asks whether the
remedy's benefit follows it; `scaling_evidence.py` sets stored latency and memory against the attention
rule's length and memory thresholds; `bank.py` runs the sweeps, writes versioned files under `evidence/`
and checks that a stored point still reproduces. Only `measure.py` trains or times anything (through
engine.lab, in its worker, called by `bank.py`); everything else here is pure Python.
"""
