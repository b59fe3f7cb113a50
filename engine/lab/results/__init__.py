"""What a run returns and what its numbers mean: records of every seed and candidate, summaries over seeds,
the verdict machinery and what the decisions' judges share. Pure Python (pydantic and pandas, no TensorFlow).

May import: nothing else in engine.lab (it is the bottom layer).
"""
