"""The interop importers on a real store, every import rolled back so the store stays small.

An import runs inside an outer store transaction that is then aborted: the importers join
it (one commit each), so nothing reaches the disk and every input meets the same store.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import atheris
import common

with atheris.instrument_imports(include=["networking_app"]):
    from networking_app import interop
    from networking_app.errors import MutualError
    from networking_app.models import Card
    from networking_app.store import Store

_folder = Path(tempfile.mkdtemp(prefix="mutual-fuzz-import-"))
atexit.register(shutil.rmtree, _folder, True)
STORE = Store.open(_folder, daily_backup=False)
STORE.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")


class _Abort(Exception):
    pass


def import_bytes(data: bytes, source: str, format_name: str | None) -> None:
    """Import ``data``; the documented errors are MutualError sentences."""
    with common.bounded(f"import {format_name or 'detected'}"):
        try:
            with STORE.batch():
                interop.import_bytes(STORE, data, source, format_name=format_name, replace=False)
                raise _Abort
        except _Abort:
            pass
        except MutualError as error:
            common.check_sentence(error)
