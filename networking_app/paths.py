"""Where Mutual keeps its data: the platform's user data folder, unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Mutual"
ENV_DATA_DIR = "MUTUAL_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins, then ``$MUTUAL_DATA_DIR``, then e.g. ~/.local/share/Mutual."""
    chosen = override or os.environ.get(ENV_DATA_DIR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return user_data_path(APP_NAME, appauthor=False)
