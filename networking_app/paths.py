"""Where Mutual keeps its data: the platform's user data folder, unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from .errors import StoreError

APP_NAME = "Mutual"
ENV_DATA_DIR = "MUTUAL_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins, then ``$MUTUAL_DATA_DIR``, then e.g. ~/.local/share/Mutual.

    An empty ``--data-dir`` is an error, never a silent fall-back to the real store.
    """
    if override is not None and not str(override).strip():
        raise StoreError("--data-dir was given no folder; name one, or leave the option out.")
    chosen = override or os.environ.get(ENV_DATA_DIR)
    if not chosen:
        return user_data_path(APP_NAME, appauthor=False)
    folder = Path(chosen).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"{folder} is a file, not a folder: the data folder must be a folder.")
    return folder
