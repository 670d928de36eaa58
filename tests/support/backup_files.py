"""Backup files as a forger would make them: the tables edited, then the counts and SHA-256 made to match.

The checksum has no key, so such a file reads back whole (``backups.decode_backup``); only the
checks of its tables against the models (``backups.load_backup``) can refuse it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from networking_app.backups import tables_digest

Tables = dict[str, dict[str, Any]]


def hash_valid(data: bytes, edit: Callable[[Tables], object], **envelope: Any) -> bytes:
    """The backup ``data`` with ``edit`` applied to its tables (and ``envelope`` fields replaced),
    its counts and SHA-256 recomputed."""
    document = json.loads(data)
    edit(document["tables"])
    document.update(envelope)
    document["counts"] = {name: len(docs) for name, docs in document["tables"].items()}
    document["sha256"] = tables_digest(document["tables"])
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
