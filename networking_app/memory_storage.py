"""A TinyDB storage in memory, with the transactions of :class:`~networking_app.storage.JournaledStorage`.

Tinydb's own ``MemoryStorage`` keeps live dicts and knows no transactions; this one keeps
every document encoded as JSON, like the files do, so reading gives a fresh dict and a
document that JSON cannot hold fails at commit. A transaction is all or nothing: an
exception inside it (at any depth) puts back what was committed before, and nested
transactions join the outermost one. Nothing outlives the process: for tests, and for
trying things out.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import jsoncodec
from .storage import ChangeListener, LazyTable, Op, Tables


class MemoryStorage(Storage):
    """Tables held in this process only; the same face as the journaled storage."""

    read_only = False
    native_layout = True

    def __init__(self, path: Path = Path(":memory:")) -> None:
        self.path = path  # no file: named in messages only
        self.generation = 0  # bumped when the tables were replaced: TinyDB tables forget their next ids
        self.listeners: list[ChangeListener] = []
        self._mutex = threading.RLock()
        self._committed: dict[str, dict[str, bytes]] = {}
        self._tables: Tables = {}
        self._staged: dict[Op, None] = {}
        self._depth = 0
        self._doomed = False

    # -- TinyDB's Storage interface ------------------------------------------
    def read(self) -> Tables:
        return self._tables

    def write(self, data: Tables) -> None:
        """Replace every table at once (a restore, a migration)."""
        with self._mutex:
            self._tables = {name: LazyTable({k: jsoncodec.dumps(v) for k, v in docs.items()})  # type: ignore[misc]  # a LazyTable stands in for TinyDB's dict table
                            for name, docs in data.items()}
            self.generation += 1
            with self.transaction():
                self._staged[("", None)] = None

    def materialize(self) -> dict[str, dict[str, Any]]:
        with self._mutex:
            return {name: _lazy(docs).plain() for name, docs in self._tables.items()}

    def close(self) -> None:
        pass

    # -- transactions ----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Tables]:
        """A group of changes committed together, or not at all (see the module docstring)."""
        with self._mutex:
            outer = self._depth == 0
            if outer:
                self._staged.clear()
                self._doomed = False
            self._depth += 1
            try:
                yield self._tables
            except BaseException:
                self._doomed = True
                raise
            finally:
                self._depth -= 1
                if outer:
                    try:
                        self._rollback() if self._doomed else self._commit()
                    finally:
                        self._staged.clear()
                        self._doomed = False

    def stage(self, table: str, keys: Iterator[str] | list[str], cleared: bool = False) -> None:
        """Record which documents of ``table`` the running transaction changed."""
        if self._depth == 0:
            raise RuntimeError("stage() outside a transaction")
        if cleared:
            for op in [op for op in self._staged if op[0] == table]:
                del self._staged[op]
            self._staged[(table, None)] = None
        for key in keys:
            self._staged[(table, key)] = None

    def _commit(self) -> None:
        try:  # encode everything first: a document JSON cannot hold fails the whole commit
            if ("", None) in self._staged:
                self._committed = {name: {key: _lazy(docs).encoded(key) for key in docs}
                                   for name, docs in self._tables.items()}
                return
            ops = [(table, key, self._encoded(table, key)) for table, key in self._staged]
        except BaseException:
            self._rollback()
            raise
        for table, key, data in ops:
            committed = self._committed.setdefault(table, {})
            if key is None:
                committed.clear()  # the table was cleared; the keys staged after that follow
            elif data is None:
                committed.pop(key, None)
            else:
                committed[key] = data
                self._tables[table].cool(key, data)  # type: ignore[attr-defined]

    def _encoded(self, table: str, key: str | None) -> bytes | None:
        docs = self._tables.get(table)
        return _lazy(docs).encoded(key) if key is not None and docs is not None and key in docs else None

    def _rollback(self) -> None:
        """Put back what was committed, as the journaled storage reloads its files."""
        if not self._staged:
            return
        self._tables = {name: LazyTable(dict(docs)) for name, docs in self._committed.items()}  # type: ignore[misc]  # a LazyTable stands in for TinyDB's dict table
        self.generation += 1
        for listener in list(self.listeners):
            listener(None)

    # -- what the journaled storage does with files ----------------------------------
    def compact(self) -> None:
        """Nothing to fold: there is no journal."""

    def fold_for_privacy(self) -> bool:
        """Deleted data is gone once committed: there are no files to fold it out of."""
        return True


def _lazy(table: Any) -> LazyTable:
    return table if isinstance(table, LazyTable) else LazyTable(dict(table))
