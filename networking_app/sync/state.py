"""What a device knows of one record: the writes that decide each field, with their clocks.

Per field the later write wins: the record's latest creation (which sets every field) or a
later write of that field alone. Set fields (emails, phones, links, tags…) are decided
element by element: the later of the latest whole-set write (a creation) and the latest
add or remove of that element. A record is alive by the later of its creations and
deletions. Every rule keeps "the later one", so the result depends only on the set of
operations seen, not on their order or on duplicates. Writes of single fields are kept
apart from creations because a merged-away contact's later writes count for the contact it
went into, whatever happens to the merged-away record itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .clock import STAMP
from .ops import Op, OpError, checked_element, checked_fields
from .schema import element_key, set_fields


@dataclass
class SetState:
    """One set field: the latest whole-set write, and the latest write of each element."""

    whole_clock: str = ""
    whole: list[tuple[str, Any]] = field(default_factory=list)  # (key, element), in the order written
    entries: dict[str, tuple[str, bool, Any]] = field(default_factory=dict)  # key -> (clock, present, element)

    def write(self, clock: str, key: str, value: Any, present: bool) -> bool:
        current = self.entries.get(key)
        if current is not None and current[0] >= clock:
            return False
        self.entries[key] = (clock, present, value)
        return True

    def write_whole(self, clock: str, items: list[Any]) -> bool:
        if clock <= self.whole_clock:
            return False
        self.whole_clock = clock
        self.whole = list({element_key(v): v for v in items}.items())
        return True

    def shown(self) -> list[Any]:
        """The elements present: those of the whole-set write not written since, in its order,
        then those added after it, in clock order."""
        listed = [v for k, v in self.whole if (e := self.entries.get(k)) is None or e[0] < self.whole_clock]
        later = sorted((c, k, v) for k, (c, p, v) in self.entries.items() if p and c > self.whole_clock)
        return listed + [v for _, _, v in later]

    def copy(self) -> SetState:
        return SetState(self.whole_clock, list(self.whole), dict(self.entries))


@dataclass
class RecordState:
    table: str
    rid: str
    alive_clock: str = ""
    alive: bool = False
    created: str = ""  # clock of the latest creation
    made: dict[str, Any] = field(default_factory=dict)  # the plain fields that creation set
    writes: dict[str, tuple[str, Any]] = field(default_factory=dict)  # field -> latest (clock, value) of its own
    sets: dict[str, SetState] = field(default_factory=dict)
    merge_clock: str = ""
    merge_into: str = ""

    def apply(self, op: Op) -> bool:
        """Take in one operation; returns whether anything changed."""
        changed = False
        if (op.create or op.delete) and op.clock > self.alive_clock:
            self.alive_clock, self.alive = op.clock, op.create
            changed = True
        wholes = {**dict.fromkeys(set_fields(self.table), []), **op.reset} if op.create else op.reset
        for name, items in wholes.items():  # a creation writes every set field; before ``created`` moves
            if not items and name not in self.sets and op.create and op.clock > self.created:
                continue  # empty since this creation: implied (see _set), nothing to keep
            changed |= self._set(name).write_whole(op.clock, items)
        if op.create and op.clock > self.created:
            self.created, self.made = op.clock, dict(op.set)
            changed = True
        if not op.create:
            for name, value in op.set.items():
                if op.clock > self.writes.get(name, ("", None))[0]:
                    self.writes[name] = (op.clock, value)
                    changed = True
        for part, present in ((op.add, True), (op.remove, False)):
            for name, items in part.items():
                field_state = self._set(name)
                for item in items:
                    changed |= field_state.write(op.clock, element_key(item), item, present)
        if op.merge_into and op.clock > self.merge_clock:
            self.merge_clock, self.merge_into = op.clock, op.merge_into
            changed = True
        return changed

    def _set(self, name: str) -> SetState:
        # A creation writes every set field whole: one missing here is empty since then.
        return self.sets.setdefault(name, SetState(self.created))

    def set_state(self, name: str) -> SetState:
        """A set field's state, for reading (see :meth:`_set`)."""
        return self.sets.get(name) or SetState(self.created)

    def fields(self) -> dict[str, tuple[str, Any]]:
        """Each plain field's deciding write: (clock, value)."""
        decided = {name: (self.created, value) for name, value in self.made.items()}
        for name, (clock, value) in self.writes.items():
            if clock > self.created:
                decided[name] = (clock, value)
        return decided

    # -- persistence: one compact JSON document ------------------------------------------
    def to_doc(self) -> dict[str, Any]:
        """``id`` table/record id, ``c`` creation clock, ``v`` its fields, ``w`` later field writes,
        ``a`` alive (with its clock when it is not the creation's), ``s`` set fields, ``m`` merged into."""
        doc: dict[str, Any] = {"id": state_id(self.table, self.rid), "c": self.created, "v": self.made}
        if self.alive_clock:
            doc["a"] = self.alive if self.alive_clock == self.created else [self.alive_clock, self.alive]
        if self.writes:
            doc["w"] = {name: list(write) for name, write in self.writes.items()}
        sets = {name: _set_doc(s, self.created) for name, s in self.sets.items()
                if s.whole_clock != self.created or s.whole or s.entries}  # empty since creation: implied
        if sets:
            doc["s"] = sets
        if self.merge_into:
            doc["m"] = [self.merge_clock, self.merge_into]
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> RecordState:
        created = doc.get("c", "")
        table, _, rid = doc["id"].partition("/")
        state = cls(table, rid, created=created, made=dict(doc.get("v", {})))
        alive = doc.get("a")
        if isinstance(alive, list):
            state.alive_clock, state.alive = alive[0], alive[1]
        elif alive is not None:
            state.alive_clock, state.alive = created, alive
        state.writes = {name: (w[0], w[1]) for name, w in doc.get("w", {}).items()}
        state.sets = {name: _set_from_doc(s, created) for name, s in doc.get("s", {}).items()}
        if "m" in doc:
            state.merge_clock, state.merge_into = doc["m"]
        return state


def state_id(table: str, rid: str) -> str:
    """A state's own id: record ids never hold a slash (record_rules.RECORD_ID)."""
    return f"{table}/{rid}"


def checked_state(doc: Any) -> RecordState:
    """A state from another device's snapshot, every value checked like an operation's; raises OpError."""
    from ..record_rules import RECORD_ID
    from .schema import SYNCED_TABLES

    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        raise OpError("not a record's state")
    try:
        state = RecordState.from_doc(doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise OpError("not a record's state") from None
    if state.table not in SYNCED_TABLES or not RECORD_ID.match(state.rid):
        raise OpError("no valid record")
    clocks = [state.alive_clock, state.created, state.merge_clock, *(c for c, _ in state.writes.values())]
    for s in state.sets.values():
        clocks += [s.whole_clock, *(c for c, _, _ in s.entries.values())]
    if not all(isinstance(c, str) and (not c or STAMP.match(c)) for c in clocks):
        raise OpError("a clock is not a clock")
    if state.merge_into and (state.table != "contacts" or not RECORD_ID.match(state.merge_into)):
        raise OpError("no valid merge")
    state.made = checked_fields(state.table, state.made)
    written = checked_fields(state.table, {k: v for k, (_, v) in state.writes.items()})
    state.writes = {k: (state.writes[k][0], v) for k, v in written.items()}
    for name, s in state.sets.items():
        s.whole = [(element_key(v), v) for v in (checked_element(state.table, name, v) for _, v in s.whole)]
        s.entries = {element_key(v): (c, p is True, v)
                     for c, p, v in ((c, p, checked_element(state.table, name, v)) for c, p, v in s.entries.values())}
    return state


def _set_doc(state: SetState, created: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"l": [v for _, v in state.whole]}
    if state.whole_clock != created:
        doc["r"] = state.whole_clock
    if state.entries:
        doc["e"] = [[v, c, p] for c, p, v in state.entries.values()]
    return doc


def _set_from_doc(doc: dict[str, Any], created: str) -> SetState:
    state = SetState(doc.get("r", created), [(element_key(v), v) for v in doc.get("l", [])])
    for value, clock, present in doc.get("e", []):
        state.entries[element_key(value)] = (clock, present, value)
    return state


def ops_of(state: RecordState) -> list[Op]:
    """Operations that, applied anywhere, leave what this state holds (a snapshot read back).

    Applying them joins this state into another: every rule keeps the later write.
    """
    def op(clock: str, **body: Any) -> Op:
        return Op(clock[-16:], 0, clock, state.table, state.rid, **body)

    made: list[Op] = []
    if state.created:
        wholes = {name: [v for _, v in s.whole] for name, s in state.sets.items() if s.whole_clock == state.created}
        made.append(op(state.created, create=True, set=dict(state.made), reset=wholes))
    for name, s in state.sets.items():
        if s.whole_clock and s.whole_clock != state.created:
            made.append(op(s.whole_clock, reset={name: [v for _, v in s.whole]}))
        for clock, present, value in s.entries.values():
            made.append(op(clock, **{"add" if present else "remove": {name: [value]}}))
    if state.alive_clock and state.alive_clock != state.created:
        made.append(op(state.alive_clock, delete=True))
    for name, (clock, value) in state.writes.items():
        made.append(op(clock, set={name: value}))
    if state.merge_into:
        made.append(op(state.merge_clock, merge_into=state.merge_into))
    return made
