"""Operations: the changes devices exchange, one per record write, each saying which fields it set.

On the wire an operation is one JSON object (see :func:`encode` for its keys). An operation
from a file is checked like a stranger's input (:func:`decode`): a crafted or damaged log can
make a device skip a line, never store junk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..jsoncodec import dumps, loads
from ..record_rules import MAX_TEXT, RECORD_ID, RecordError, clean_element, clean_value, field_types
from .clock import DEVICE_ID, STAMP
from .schema import NOT_SYNCED, SYNCED_TABLES, element_key, set_fields

FORMAT = 1  # bumped if an op's meaning ever changes; a newer op is left for a newer Mutual


@dataclass(slots=True)
class Op:
    """One record write: create it, delete it, merge it into another, or set some fields."""

    origin: str  # the device that made it
    seq: int  # its number on that device: 1, 2, 3…
    clock: str  # hybrid logical clock stamp (unique, totally ordered)
    table: str
    rid: str
    create: bool = False  # a whole record: every field in ``set`` / ``reset``, and alive
    delete: bool = False
    merge_into: str = ""  # contacts: this one is the same person as that one
    set: dict[str, Any] = field(default_factory=dict)  # plain fields
    add: dict[str, list[Any]] = field(default_factory=dict)  # set fields: elements added
    remove: dict[str, list[Any]] = field(default_factory=dict)  # … and removed
    reset: dict[str, list[Any]] = field(default_factory=dict)  # set fields, whole (with create)

    @property
    def op_id(self) -> str:
        return f"{self.origin}:{self.seq}"


@dataclass(frozen=True)
class Change:
    """What a local write changed, before it has a clock: the body of an :class:`Op`."""

    table: str
    rid: str
    create: bool = False
    delete: bool = False
    merge_into: str = ""
    set: dict[str, Any] = field(default_factory=dict)
    add: dict[str, list[Any]] = field(default_factory=dict)
    remove: dict[str, list[Any]] = field(default_factory=dict)
    reset: dict[str, list[Any]] = field(default_factory=dict)

    def stamped(self, origin: str, seq: int, clock: str) -> Op:
        return Op(origin, seq, clock, self.table, self.rid, self.create, self.delete, self.merge_into,
                  self.set, self.add, self.remove, self.reset)


def change_between(table: str, rid: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Change | None:
    """The change that turns document ``old`` into ``new`` (None: nothing changed)."""
    sets = set_fields(table)
    if new is None:
        return Change(table, rid, delete=True) if old is not None else None
    if old is None:
        return Change(table, rid, create=True,
                      set={k: v for k, v in new.items() if k not in sets and k not in NOT_SYNCED},
                      reset={k: list(new.get(k, [])) for k in sets})
    changed = {k: v for k, v in new.items() if k not in sets and k not in NOT_SYNCED and old.get(k) != v}
    added: dict[str, list[Any]] = {}
    removed: dict[str, list[Any]] = {}
    for name in sets:
        before = {element_key(v): v for v in old.get(name, [])}
        after = {element_key(v): v for v in new.get(name, [])}
        if plus := [v for k, v in after.items() if k not in before]:
            added[name] = plus
        if minus := [v for k, v in before.items() if k not in after]:
            removed[name] = minus
    if not (changed or added or removed):
        return None
    return Change(table, rid, set=changed, add=added, remove=removed)


def encode(op: Op) -> bytes:
    """Compact JSON: v format, o origin, q seq, c clock, t table, r record id; n create, d delete,
    m merged into; s set, a add, x remove, z reset."""
    wire: dict[str, Any] = {"v": FORMAT, "o": op.origin, "q": op.seq, "c": op.clock, "t": op.table, "r": op.rid}
    if op.create:
        wire["n"] = 1
    if op.delete:
        wire["d"] = 1
    if op.merge_into:
        wire["m"] = op.merge_into
    for key, part in (("s", op.set), ("a", op.add), ("x", op.remove), ("z", op.reset)):
        if part:
            wire[key] = part
    return dumps(wire)


class OpError(ValueError):
    """An operation that cannot be applied; ``str()`` says why in a few words."""


def decode(raw: bytes | dict[str, Any]) -> Op:
    """An operation read from a file, checked field by field; raises OpError."""
    try:
        wire = loads(raw) if isinstance(raw, (bytes, str)) else raw
    except ValueError:
        raise OpError("not JSON") from None
    if not isinstance(wire, dict):
        raise OpError("not an operation")
    if wire.get("v") != FORMAT:
        raise OpError(f"written by another version of Mutual (format {str(wire.get('v'))[:10]})")
    seq = wire.get("q")
    if not (isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq < 2**53):
        raise OpError("no valid sequence number")
    return _checked(wire.get("o"), seq, wire.get("c"), wire.get("t"), wire.get("r"), wire.get("n") == 1,
                    wire.get("d") == 1, wire.get("m", ""), wire.get("s", {}), wire.get("a", {}), wire.get("x", {}),
                    wire.get("z", {}))


def checked_fields(table: str, values: Any) -> dict[str, Any]:
    """Plain field values as :func:`decode` checks an operation's (for a snapshot's states)."""
    try:
        return _scalars(table, values)
    except RecordError as exc:
        raise OpError(str(exc)) from None


def checked_element(table: str, name: str, value: Any) -> Any:
    try:
        if name not in set_fields(table):
            raise RecordError(f"{str(name)[:40]} is not a set field")
        return clean_element(table, name, value)
    except RecordError as exc:
        raise OpError(str(exc)) from None


def check(op: Op) -> Op:
    """The same checks as :func:`decode`, on an operation built here (e.g. from a snapshot's states)."""
    return _checked(op.origin, op.seq, op.clock, op.table, op.rid, op.create, op.delete, op.merge_into, op.set,
                    op.add, op.remove, op.reset)


def _checked(origin: Any, seq: int, clock: Any, table: Any, rid: Any, create: bool, delete: bool, merge_into: Any,
             sets: Any, add: Any, remove: Any, reset: Any) -> Op:
    if not (isinstance(origin, str) and DEVICE_ID.match(origin)):
        raise OpError("no valid device")
    if not (isinstance(clock, str) and STAMP.match(clock) and clock.endswith(origin)):
        raise OpError("no valid clock")
    if table not in SYNCED_TABLES or not (isinstance(rid, str) and RECORD_ID.match(rid)):
        raise OpError("no valid record")
    if merge_into and (table != "contacts" or not isinstance(merge_into, str) or not RECORD_ID.match(merge_into)):
        raise OpError("no valid merge")
    try:
        return Op(origin, seq, clock, table, rid, create, delete, merge_into or "", _scalars(table, sets),
                  _elements(table, add), _elements(table, remove), _elements(table, reset))
    except RecordError as exc:
        raise OpError(str(exc)) from None


def _scalars(table: str, part: Any) -> dict[str, Any]:
    if not isinstance(part, dict):
        raise RecordError("fields are not a record")
    skipped, texts = _skipped(table), _text_fields(table)
    out = {}
    for name, value in part.items():
        if name in skipped:
            continue
        if name in texts and type(value) is str and len(value) <= MAX_TEXT and value.isascii() and value.isprintable():
            out[name] = value.strip()  # clean_value's fast path, inlined: most fields are plain text
        else:
            out[name] = clean_value(table, name, value)
    return out


@cache
def _skipped(table: str) -> frozenset[str]:
    """Fields an operation's plain part never carries: set fields and the id."""
    return set_fields(table) | NOT_SYNCED


@cache
def _text_fields(table: str) -> frozenset[str]:
    return frozenset(name for name, kind in field_types(table).items() if kind == "str")


def _elements(table: str, part: Any) -> dict[str, list[Any]]:
    if not part and isinstance(part, dict):
        return {}
    if not isinstance(part, dict):
        raise RecordError("set fields are not a record")
    sets = set_fields(table)
    out: dict[str, list[Any]] = {}
    for name, items in part.items():
        if name not in sets or not isinstance(items, list):
            raise RecordError(f"{str(name)[:40]} is not a set field")
        out[name] = [clean_element(table, name, item) for item in items]
    return out
