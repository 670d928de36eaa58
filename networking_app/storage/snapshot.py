"""The snapshot's layout: TinyDB's JSON with one document per line.

Plain TinyDB reads it, and Mutual splits it into encoded documents without parsing any.
"""

from __future__ import annotations

from typing import Any

from .. import jsoncodec
from .lazy_table import LazyTable, Tables, as_lazy


def encode_snapshot(tables: Tables) -> bytes:
    """TinyDB's JSON layout with one document per line: plain TinyDB reads it, and Mutual
    can load it without parsing documents nobody asked for."""
    parts = [b"{"]
    names = list(tables)
    for index, name in enumerate(names):
        table = as_lazy(tables[name])
        parts.append(jsoncodec.dumps(name) + b":{")
        parts.append(b",\n".join(jsoncodec.dumps(key) + b":" + table.encoded(key) for key in table))
        parts.append(b"}," if index < len(names) - 1 else b"}")
    parts.append(b"}")
    return b"\n".join(parts) + b"\n"


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
    return {name: LazyTable({k: jsoncodec.dumps(v) for k, v in docs.items()}) for name, docs in data.items()}, False


def _split_lines(raw: bytes) -> Tables | None:
    """Parse the one-document-per-line layout; None when the file is laid out otherwise.

    One ``partition`` per line, no JSON parsing: ~2 µs a document.
    """
    tables: Tables = {}
    docs: dict[str, bytes | dict[str, Any]] | None = None
    lines = raw.split(b"\n")
    if lines[0] != b"{" or lines[-1] != b"" or lines[-2] != b"}":
        return None
    for line in lines[1:-2]:
        key, _, body = line.partition(b'":')
        if docs is None:  # a table's opening line: "name":{
            if body != b"{" or key[:1] != b'"':
                return None
            docs = {}
            tables[jsoncodec.loads(key + b'"')] = LazyTable(docs)
        elif body[:1] == b"{" and key[:1] == b'"':
            name = key[1:]  # TinyDB's keys are digits: no JSON parse needed
            docs[name.decode() if name.isdigit() else jsoncodec.loads(key + b'"')] = (
                body[:-1] if body[-1:] == b"," else body)
        elif line in (b"}", b"},"):
            docs = None
        elif line:  # an empty table leaves an empty line
            return None
    return tables if docs is None else None
