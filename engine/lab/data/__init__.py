"""The data a comparison trains on: the sample sets and the functions that make them (shown in generated
scripts), uploaded CSVs, text made into token ids, and word vectors (GloVe, word2vec).

May import: engine.lab.results. Keras and TensorFlow only inside functions or in modules imported from them.
"""
