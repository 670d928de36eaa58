"""What a stored record may hold: each field's type, and its text cleaned like a stranger's.

Records reach the store from the person (the UI, the command line), and also from files
someone else may have written: a backup to restore, another device's change log. The
latter are checked field by field here before anything is stored, so that a crafted file
can neither break the store (a list where text belongs, a missing id) nor smuggle control
or bidi characters into what is shown.
"""

from __future__ import annotations

import re
import typing
from dataclasses import MISSING, fields
from typing import Any

from .models import Contact, Event, FollowUp, Intro, Meeting, MyCard
from .text_safety import clean_text

KINDS: dict[str, type] = {
    "cards": MyCard,
    "events": Event,
    "contacts": Contact,
    "meetings": Meeting,
    "followups": FollowUp,
    "intros": Intro,
}
RECORD_ID = re.compile(r"[0-9A-Za-z_-]{1,64}\Z")
MAX_LIST_ITEMS = 1000
MAX_TEXT = 100_000  # a long note stays whole; this only bounds hostile input
MULTILINE = frozenset({"note", "offers", "seeking", "need", "help", "promise", "went_well",
                       "help_first", "intention", "to_seeker", "to_helper"})

# field -> "str" | "int" | "bool" | "list[str]" | "list[dict]"
_TYPES: dict[str, dict[str, str]] = {}


class RecordError(ValueError):
    """A record that does not fit its model; ``str()`` says which field and why."""


def field_types(table: str) -> dict[str, str]:
    if table not in _TYPES:
        hints = typing.get_type_hints(KINDS[table])
        _TYPES[table] = {f.name: _kind_of(hints[f.name]) for f in fields(KINDS[table])}
    return _TYPES[table]


def _kind_of(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return "list[dict]" if typing.get_origin(item) is dict else "list[str]"
    return {str: "str", int: "int", bool: "bool"}[hint]


def clean_value(table: str, name: str, value: Any) -> Any:
    """``value`` made safe for ``table.name``; raises RecordError when its type is wrong."""
    kind = field_types(table).get(name)
    if kind is None:
        raise RecordError(f"{table} have no field “{name[:40]}”")
    if kind == "str":
        if not isinstance(value, str):
            raise RecordError(f"{name} of a {table[:-1]} must be text")
        if value.isascii() and value.isprintable() and len(value) <= MAX_TEXT:
            return value.strip()  # what clean_text gives printable ASCII, ten times faster
        return clean_text(value, multiline=name in MULTILINE, max_len=MAX_TEXT)
    if kind == "bool":
        if not isinstance(value, bool):
            raise RecordError(f"{name} of a {table[:-1]} must be true or false")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or not -(2**53) < value < 2**53:
            raise RecordError(f"{name} of a {table[:-1]} must be a whole number")
        return value
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise RecordError(f"{name} of a {table[:-1]} must be a list of at most {MAX_LIST_ITEMS} items")
    return [clean_element(table, name, item) for item in value]


def clean_element(table: str, name: str, item: Any) -> Any:
    """One element of a list field (an email, a tag, a history entry)."""
    if field_types(table).get(name) == "list[dict]":
        if not isinstance(item, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in item.items()):
            raise RecordError(f"each entry of {name} must map text to text")
        return {clean_text(k, max_len=100): clean_text(v, multiline=True, max_len=MAX_TEXT) for k, v in item.items()}
    if not isinstance(item, str):
        raise RecordError(f"each entry of {name} must be text")
    if item.isascii() and item.isprintable() and len(item) <= MAX_TEXT:
        return item.strip()
    return clean_text(item, max_len=MAX_TEXT)


def clean_record(table: str, doc: Any) -> dict[str, Any]:
    """A whole stored document checked against its model: an id, known fields of the right
    types (unknown ones are dropped, missing ones take the model's default)."""
    if table not in KINDS:
        raise RecordError(f"there is no table “{str(table)[:40]}”")
    if not isinstance(doc, dict):
        raise RecordError(f"a {table[:-1]} must be a record, not {type(doc).__name__}")
    rid = doc.get("id")
    if not isinstance(rid, str) or not RECORD_ID.match(rid):
        raise RecordError(f"a {table[:-1]} has no valid id")
    clean: dict[str, Any] = {}
    for f in fields(KINDS[table]):
        if f.name in doc:
            clean[f.name] = clean_value(table, f.name, doc[f.name])
        elif f.default is not MISSING:
            clean[f.name] = f.default
        elif f.default_factory is not MISSING:
            clean[f.name] = f.default_factory()
    return clean
