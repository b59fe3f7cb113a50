"""The evidence bank: sweeps of each decision's rule condition, measured over seeds and stored with provenance.

`sweeps.py` declares what each decision sweeps (the question its rule reads, the values, the data set);
`crossover.py` finds where the winner changes and sets it against the rule's threshold; `bank.py` runs
the sweeps, writes versioned files under `evidence/` and checks that a stored point still reproduces.
Only `bank.py` trains (through engine.lab, in its worker); everything else here is pure Python.
"""
