"""The standalone script of a candidate, made of the very functions the run called (read from their source),
and the notebooks (one candidate, a whole comparison) laid out from the same pieces.

May import: engine.lab.results, data, models and decisions.
"""
