"""The snapshot's layout: TinyDB's JSON with one document per line.

Plain TinyDB reads it, and Mutual splits it into encoded documents without parsing any.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import jsoncodec
from .lazy_table import LazyTable, Tables, as_lazy

CHUNK = 1 << 20  # bytes a snapshot is written in


def encode_snapshot(tables: Tables) -> bytes:
    """TinyDB's JSON layout with one document per line: plain TinyDB reads it, and Mutual
    can load it without parsing documents nobody asked for."""
    return b"".join(snapshot_chunks(tables))


def snapshot_chunks(tables: Tables) -> Iterator[bytes]:
    """:func:`encode_snapshot` in pieces of about :data:`CHUNK` bytes, for writing a big store
    without holding a second copy of it (the documents are kept encoded already)."""
    pending: list[bytes] = []
    size = 0
    names = list(tables)
    for index, name in enumerate(names):
        table = as_lazy(tables[name])
        head = (b"{\n" if index == 0 else b"") + jsoncodec.dumps(name) + b":{\n"
        pending.append(head)
        for n, key in enumerate(table):
            doc = table.encoded(key)
            pending += (b",\n" if n else b"", _key(key), doc)
            size += len(doc)
            if size >= CHUNK:
                yield b"".join(pending)
                pending, size = [], 0
        pending.append(b"\n},\n" if index < len(names) - 1 else b"\n}")
    pending.append(b"\n}\n" if names else b"{\n}\n")
    yield b"".join(pending)


def _key(key: str) -> bytes:
    """``"key":`` for a document key: TinyDB's are decimal numbers, written without the encoder."""
    return b'"' + key.encode() + b'":' if key.isdecimal() and key.isascii() else jsoncodec.dumps(key) + b":"


def decode_snapshot(raw: bytes) -> tuple[Tables, bool]:
    """Tables from a snapshot, and whether it was in Mutual's own line layout.

    The line layout is split without parsing documents; any other TinyDB JSON is parsed.
    """
    if raw.startswith(b"{\n"):
        try:
            tables = _split_lines(raw)
        except ValueError:  # an odd table or key name: the full parse below reads it
            tables = None
        if tables is not None:
            return tables, True
    data = jsoncodec.loads(raw)  # a store written by plain TinyDB, or by hand
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise ValueError("it does not hold TinyDB tables")
    return {name: LazyTable({k: jsoncodec.dumps(v) for k, v in docs.items()}) for name, docs in data.items()}, False  # type: ignore[misc]  # a LazyTable stands in for TinyDB's dict table


def _split_lines(raw: bytes) -> Tables | None:
    """Parse the one-document-per-line layout; None when the file is laid out otherwise.

    No JSON parsing, and one slice of ``raw`` per document (~1.3 µs): splitting into lines
    first and partitioning each made three copies of every document, and the freed copies
    kept the process ~20 MB larger at 30,000 people.
    """
    if not raw.startswith(b"{\n") or not raw.endswith(b"\n}\n"):
        return None
    tables: Tables = {}
    docs: dict[str, bytes | dict[str, Any]] | None = None
    find, end = raw.find, len(raw) - 2  # the closing "}\n"
    pos = 2
    while pos < end:
        stop = find(b"\n", pos)
        if raw[pos] == 0x22:  # '"': a table's opening line, or a document
            colon = find(b'":', pos, stop)
            if colon < 0 or find(b'\\"', pos, colon + 1) >= 0:  # a quote in the name: the full parse reads it
                return None
            if docs is None:  # "name":{
                if stop != colon + 3 or raw[colon + 2] != 0x7B:
                    return None
                docs = {}
                tables[jsoncodec.loads(raw[pos : colon + 1])] = LazyTable(docs)  # type: ignore[assignment]  # as a TinyDB table
            elif raw[colon + 2] == 0x7B:  # "key":{…}, with a comma unless it is the table's last
                name = raw[pos + 1 : colon]
                key = name.decode() if name.isdigit() else jsoncodec.loads(raw[pos : colon + 1])
                docs[key] = raw[colon + 2 : stop - 1 if raw[stop - 1] == 0x2C else stop]
            else:
                return None
        elif raw[pos:stop] in (b"}", b"},") and docs is not None:
            docs = None
        elif stop != pos or docs is None:  # only an empty table leaves an empty line
            return None
        pos = stop + 1
    return tables if docs is None and pos == end else None
