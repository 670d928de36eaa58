"""Schema versions of the store and the ordered steps between them.

The schema version lives in the ``meta`` table. Opening a store written by an
older Mutual runs each step in order (after a backup); a store written by a
newer Mutual is refused rather than misread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

Tables = dict[str, dict[str, Any]]
Migration = Callable[[Tables], None]

SCHEMA_VERSION = 1

# MIGRATIONS[n] turns a schema-n store into a schema-(n+1) one, in place.
MIGRATIONS: dict[int, Migration] = {}


def schema_of(tables: Tables) -> int:
    """The schema version a store's tables declare (0 for a bare TinyDB file)."""
    meta = tables.get("meta", {}).get("1")
    if isinstance(meta, dict) and isinstance(meta.get("schema"), int):
        return meta["schema"]
    return 0


_V1_COMMON = {"created": "", "updated": ""}
_V1_CARD = {"given": "", "family": "", "formatted": "", "title": "", "organization": "", "emails": [],
            "phones": [], "urls": [], "offers": "", "seeking": "", "note": ""}
V1_DEFAULTS: dict[str, dict[str, Any]] = {
    "cards": {**_V1_CARD, **_V1_COMMON, "label": "My card", "is_default": False},
    "events": {**_V1_COMMON, "name": "", "place": "", "date": "", "intention": "", "started_at": "",
               "ended_at": "", "went_well": "", "comfort": 0, "help_first": ""},
    "contacts": {**_V1_CARD, **_V1_COMMON, "tags": [], "source": "import", "history": []},
    "meetings": {**_V1_COMMON, "contact_id": "", "event_id": "", "met_at": "", "need": "", "help": "",
                 "promise": "", "note_status": "missing"},
    "followups": {**_V1_COMMON, "contact_id": "", "meeting_id": "", "due": "", "channel": "", "done_at": ""},
}


def _to_v1(tables: Tables) -> None:
    """Version 0 is a store from before versions existed: meta record, every field present."""
    tables.setdefault("meta", {})["1"] = {"schema": 1, "current_event_id": ""}
    for table, defaults in V1_DEFAULTS.items():
        for doc in tables.get(table, {}).values():
            for name, default in defaults.items():
                doc.setdefault(name, list(default) if isinstance(default, list) else default)
            doc.setdefault("id", uuid.uuid4().hex)


MIGRATIONS[0] = _to_v1


def migrate(
    tables: Tables,
    *,
    target: int = SCHEMA_VERSION,
    steps: dict[int, Migration] | None = None,
) -> list[int]:
    """Bring ``tables`` up to ``target`` in place; return the versions migrated from."""
    steps = MIGRATIONS if steps is None else steps
    done = []
    version = schema_of(tables)
    while version < target:
        if version not in steps:
            raise LookupError(f"no migration from schema {version}")
        steps[version](tables)
        done.append(version)
        version += 1
        tables.setdefault("meta", {}).setdefault("1", {})["schema"] = version
    return done
