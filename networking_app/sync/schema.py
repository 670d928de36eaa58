"""What travels between devices, and how each field merges.

Every record kind travels; per field, the last writer wins by clock, except the fields
listed in SET_FIELDS, which merge element by element (an email added on one device and
another added on the other are both kept). Which fields point at a contact is the store's
own table of references: merging two contacts redirects those, on every device.
"""

from __future__ import annotations

from typing import Any

from ..jsoncodec import dumps
from ..models import CONTACT_REFERENCES as _REFERENCES_BY_KIND
from ..record_rules import KINDS

# store table -> its fields that are sets of values (contacts: card lists, tags, history)
SET_FIELDS: dict[str, frozenset[str]] = {
    "cards": frozenset({"emails", "phones", "urls"}),
    "contacts": frozenset({"emails", "phones", "urls", "tags", "history"}),
}
SYNCED_TABLES = tuple(KINDS)
NOT_SYNCED = frozenset({"id"})  # the record's id is the op's address, not a field

# table -> fields that hold a contact id: the store's own table of references
CONTACT_REFERENCES: dict[str, tuple[str, ...]] = {
    table: _REFERENCES_BY_KIND[kind] for table, kind in KINDS.items() if kind in _REFERENCES_BY_KIND
}


def set_fields(table: str) -> frozenset[str]:
    return SET_FIELDS.get(table, frozenset())


def element_key(value: Any) -> str:
    """A set element's identity: the string itself, or the canonical JSON of anything else."""
    return value if isinstance(value, str) else "\x00" + dumps(_canonical(value)).decode()


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value
