"""Load a comparison's `.keras` model in safe mode (imports TensorFlow; import inside functions)."""

from __future__ import annotations

from pathlib import Path

import keras

from ...errors import DataError
from ..models import layers as _custom_layers  # noqa: F401  registers the custom layers before loading


def load_model(path: str | Path) -> keras.Model:
    path = Path(path)
    if path.suffix != ".keras" or not path.is_file():
        raise DataError(f"{path}: not a .keras model file; pass the model_path of a finished comparison.")
    return keras.saving.load_model(path, safe_mode=True)
