"""Compact JSON to and from bytes: orjson when installed, the standard library otherwise.

orjson writes the store 3-8x faster (see docs/PERFORMANCE.md); the fallback keeps
Mutual working where no orjson wheel exists (e.g. some phone builds).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_orjson: Any
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised by the tests with the fallback forced
    _orjson = None

BACKEND = "orjson" if _orjson else "json"
# orjson (3.12 and later) returns its whole output buffer, at least 4 KB, as the bytes object.
# The store keeps every document it wrote encoded: 49,900 imported contacts held 390 MB
# instead of 25 MB. Outputs below this size are copied to a right-sized object (~50 ns each);
# larger ones are transient (journal lines, backups), and their unused tail is never touched.
RIGHT_SIZE_BELOW = 64 * 1024


def dumps(obj: Any) -> bytes:
    """Serialise to compact UTF-8 JSON with no raw newline in the output."""
    if _orjson is not None:
        data = _orjson.dumps(obj)
        return bytes(memoryview(data)) if len(data) < RIGHT_SIZE_BELOW else data
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parse JSON; raises ValueError on malformed input."""
    if _orjson is not None:
        return _orjson.loads(data)
    return json.loads(data)


def raw_loads() -> Callable[[bytes], Any]:
    """:func:`loads` without the wrapper, for loops over every document (~0.4 µs a call saved)."""
    return _orjson.loads if _orjson is not None else json.loads
