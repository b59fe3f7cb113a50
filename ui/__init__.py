"""Streamlit helpers shared by the pages: session state, the URL, and how engine results are drawn.

Pages stay thin: widgets in, engine calls, charts and tables out. Everything here may import
Streamlit; nothing here imports TensorFlow.
"""
