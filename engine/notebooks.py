"""Jupyter notebooks as the app writes them: nbformat v4 cells with stable ids, the metadata Jupyter needs to
open one with a Python 3 kernel, Markdown-safe user text, and the file's bytes.

Shared by the Lab's notebooks (`engine.lab.codegen.notebook`) and the study snippets' (`engine.study.notebook`).
Imports nbformat, which is pure Python (no kernel, no TensorFlow): a notebook is made, never run, here.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
MEDIA_TYPE = "application/x-ipynb+json"


def markdown(text: str) -> NotebookNode:
    return new_markdown_cell(text.strip())


def code(text: str) -> NotebookNode:
    return new_code_cell(text.strip("\n"))


def escape_md(text: object) -> str:
    """Text from a user (a file name, a column) as plain text in Markdown: no link, emphasis or HTML."""
    specials = "\\`*_{}[]<>#|~$:"  # as ui.state.escape_md: emphasis, links, images, tables, maths and HTML
    return "".join("\\" + c if c in specials else c for c in str(text))


def notebook(cells: Iterable[NotebookNode]) -> NotebookNode:
    """A v4 notebook of `cells`, with ids by position (the same content gives the same file) and a kernel."""
    cells = list(cells)
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"
    language = {"name": "python", "version": platform.python_version(), "mimetype": "text/x-python",
                "file_extension": ".py", "pygments_lexer": "ipython3", "nbconvert_exporter": "python",
                "codemirror_mode": {"name": "ipython", "version": 3}}
    return new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC), "language_info": language})


def to_bytes(book: NotebookNode) -> bytes:
    """The .ipynb file: checked against the nbformat schema, then written as JSON."""
    nbformat.validate(book)
    return nbformat.writes(book, version=4).encode("utf-8")
