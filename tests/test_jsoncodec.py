"""Compact JSON to and from bytes, and what the bytes the store keeps cost."""

from __future__ import annotations

import tracemalloc

from networking_app import jsoncodec


def test_small_documents_kept_encoded_cost_about_their_size() -> None:
    # The store keeps every document it wrote as these bytes: 1,000 of ~200 bytes must not hold
    # 1,000 of orjson's 4 KB output buffers (orjson 3.12+ hands its buffer back as the object).
    doc = {"id": "a" * 32, "given": "Jane", "family": "Doe", "emails": ["jane@example.org"], "note": "n" * 100}
    tracemalloc.start()
    try:
        kept = [jsoncodec.dumps(doc) for _ in range(1000)]
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(kept[0]) < 250
    assert held < 1000 * 400
    assert jsoncodec.loads(kept[-1]) == doc
