"""The standalone script of a candidate, made of the very functions the run called (read from their source).

May import: engine.lab.results, data, models and decisions.
"""
