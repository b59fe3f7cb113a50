"""How time and memory grow with sequence length, for an LSTM and for self-attention: the measurement (run in the
training worker), the fitted growth exponents, and the memory arithmetic carried to a BERT-base sized model.

May import: engine.lab.results.
"""
