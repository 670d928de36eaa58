"""What a stored record may hold: each field's type, and its text cleaned like a stranger's.

Records reach the store from the person (the UI, the command line), and also from files
someone else may have written: a backup to restore, another device's change log. The
latter are checked field by field here before anything is stored, so that a crafted file
can neither break the store (a list where text belongs, a missing id) nor smuggle control
or bidi characters into what is shown. A whole store's tables (:func:`clean_tables`) are
also checked as a whole: known tables only, one record per id, and every reference between
records naming a record that is there.
"""

from __future__ import annotations

import re
import typing
from dataclasses import MISSING, fields
from typing import Any

from .models import CONTACT_REFERENCES, Contact, Event, FollowUp, Intro, Meeting, MyCard
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
DOC_KEY = re.compile(r"[1-9][0-9]{0,14}\Z")  # TinyDB's document ids, as its JSON keys
META = "meta"  # the store's settings: one document, key "1"
META_FIELDS = {"schema": "int", "current_event_id": "str"}
NOUNS = {"cards": "card", "events": "event", "contacts": "contact", "meetings": "meeting",
         "followups": "follow-up", "intros": "introduction", META: "setting"}

# (table, field) -> (the table it names a record of, whether it may be empty)
REFERENCES: dict[tuple[str, str], tuple[str, bool]] = {
    **{(table, name): ("contacts", False)
       for table, kind in KINDS.items() for name in CONTACT_REFERENCES.get(kind, ())},
    ("meetings", "event_id"): ("events", True),
    ("followups", "meeting_id"): ("meetings", True),
    (META, "current_event_id"): ("events", True),
}
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
            raise RecordError(f"{name} of {_a(NOUNS[table])} must be text")
        if value.isascii() and value.isprintable() and len(value) <= MAX_TEXT:
            return value.strip()  # what clean_text gives printable ASCII, ten times faster
        return clean_text(value, multiline=name in MULTILINE, max_len=MAX_TEXT)
    if kind == "bool":
        if not isinstance(value, bool):
            raise RecordError(f"{name} of {_a(NOUNS[table])} must be true or false")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or not -(2**53) < value < 2**53:
            raise RecordError(f"{name} of {_a(NOUNS[table])} must be a whole number")
        return value
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise RecordError(f"{name} of {_a(NOUNS[table])} must be a list of at most {MAX_LIST_ITEMS} items")
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
        raise RecordError(f"{_a(NOUNS[table])} must be a record, not {type(doc).__name__}")
    rid = doc.get("id")
    if not isinstance(rid, str) or not RECORD_ID.match(rid):
        raise RecordError(f"{_a(NOUNS[table])} has no valid id")
    clean: dict[str, Any] = {}
    for f in fields(KINDS[table]):
        if f.name in doc:
            clean[f.name] = clean_value(table, f.name, doc[f.name])
        elif f.default is not MISSING:
            clean[f.name] = f.default
        elif f.default_factory is not MISSING:
            clean[f.name] = f.default_factory()
    return clean


def clean_tables(tables: dict[str, Any], schema: int) -> dict[str, dict[str, Any]]:
    """A whole store's tables (a backup to restore, at ``schema``) checked and cleaned as one.

    Every record as :func:`clean_record` does, under a TinyDB document key; no two records of a
    table with one id; the settings at ``schema``; every reference naming a record that is there.
    An empty table Mutual does not know is dropped; one holding records is refused. Raises
    :class:`RecordError` naming the first thing wrong.
    """
    clean: dict[str, dict[str, Any]] = {}
    for name, docs in tables.items():
        if name == META:
            continue
        if name not in KINDS:
            if docs:
                raise RecordError(f"it holds a table Mutual does not know, “{str(name)[:40]}”")
            continue
        clean[name] = _clean_table(name, docs)
    clean[META] = {"1": _clean_meta(tables.get(META), schema)}
    _check_references(clean)
    return clean


def _clean_table(table: str, docs: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    ids: set[str] = set()
    for key, doc in docs.items():
        if not DOC_KEY.match(key):
            raise RecordError(f"{table} has a record under “{key[:20]}”, which is not a record number")
        try:
            record = clean_record(table, doc)
        except RecordError as exc:
            raise RecordError(f"record {key} of {table}: {exc}") from None
        if record["id"] in ids:
            raise RecordError(f"two {table} have the id “{record['id']}”")
        ids.add(record["id"])
        clean[key] = record
    return clean


def _clean_meta(docs: Any, schema: int) -> dict[str, Any]:
    if not isinstance(docs, dict) or list(docs) != ["1"] or not isinstance(docs["1"], dict):
        raise RecordError("its settings (meta) must be one record")
    meta = docs["1"]
    if meta.get("schema") != schema or isinstance(meta.get("schema"), bool):
        raise RecordError(f"its settings say schema {str(meta.get('schema'))[:20]}, not {schema}")
    current = meta.get("current_event_id", "")
    if not isinstance(current, str):
        raise RecordError("current_event_id of its settings must be text")
    return {"schema": schema, "current_event_id": clean_text(current, max_len=MAX_TEXT)}


def _check_references(tables: dict[str, dict[str, Any]]) -> None:
    ids = {name: {doc["id"] for doc in docs.values()} for name, docs in tables.items() if name != META}
    for (table, name), (target, optional) in REFERENCES.items():
        for doc in tables.get(table, {}).values():
            value = doc.get(name, "")
            if (value or not optional) and value not in ids.get(target, ()):
                whose = f" (id {doc['id']})" if "id" in doc else ""
                raise RecordError(f"{_a(NOUNS[table])}{whose} names {_a(NOUNS[target])} that is not there "
                                  f"({name} “{value[:40]}”)")


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
