"""A table whose documents stay encoded until someone reads them."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from .. import jsoncodec

Tables = dict[str, dict[str, Any]]


class LazyTable(MutableMapping[str, dict[str, Any]]):
    """A table whose documents stay encoded (JSON bytes) until someone reads them.

    Parsed into dicts, 17 MB of JSON take ~55 MB of Python objects; kept as bytes they
    take little more than the file. Reading returns a fresh dict; only a write editing a
    document (:meth:`hot`) holds its dict, until the storage stages the write and encodes it.
    """

    __slots__ = ("_docs",)

    def __init__(self, docs: dict[str, bytes | dict[str, Any]] | None = None) -> None:
        self._docs: dict[str, bytes | dict[str, Any]] = docs if docs is not None else {}

    def __getitem__(self, key: str) -> dict[str, Any]:
        value = self._docs[key]
        return jsoncodec.loads(value) if isinstance(value, bytes) else value

    def hot(self, key: str) -> dict[str, Any]:
        """The document as a dict that stays in the table, to be edited in place."""
        value = self._docs[key]
        if isinstance(value, bytes):
            value = self._docs[key] = jsoncodec.loads(value)
        return value

    def encoded(self, key: str) -> bytes:
        value = self._docs[key]
        return value if isinstance(value, bytes) else jsoncodec.dumps(value)

    def cool(self, key: str, data: bytes) -> None:
        """Keep ``data`` (the document's JSON) instead of its dict."""
        if key in self._docs:
            self._docs[key] = data

    def __setitem__(self, key: str, doc: dict[str, Any]) -> None:
        self._docs[key] = doc

    def __delitem__(self, key: str) -> None:
        del self._docs[key]

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def clear(self) -> None:
        self._docs.clear()

    def plain(self) -> dict[str, dict[str, Any]]:
        return {key: self[key] for key in self._docs}

    def decoded_items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(key, document) for every document, decoding each once: the fast path for indexing."""
        loads = jsoncodec.raw_loads()
        for key, value in self._docs.items():
            yield key, (loads(value) if isinstance(value, bytes) else value)


def as_lazy(table: Any) -> LazyTable:
    """``table`` itself when it is a :class:`LazyTable`, else a copy of it as one."""
    return table if isinstance(table, LazyTable) else LazyTable(dict(table))
