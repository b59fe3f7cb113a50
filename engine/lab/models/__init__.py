"""Keras building blocks the decisions share: custom layers, the Transformer block, optimizers at their usual
settings, the training batches, and probes that read a trained model. Imports Keras: import these modules
only from inside functions (the optimizer settings in optimizers.py are the exception: plain data).

May import: engine.lab.results and engine.lab.data.
"""
