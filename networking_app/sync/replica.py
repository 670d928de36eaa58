"""A device's copy of everyone's records, kept by applying operations in any order.

:class:`Replica` applies operations to record states (:mod:`.state`) and derives from them
what the store shows (the *published* documents): a record is shown when it is alive, for a
contact when it was not merged into another, and for a meeting, follow-up or introduction
when the contacts it names are shown. Merging is recorded, not copied: "B merged into A"
makes every reference to B mean A, and B's own writes made after the merge count for A.
Everything here is a function of the set of operations seen, never of their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .ops import Op
from .schema import CONTACT_REFERENCES, set_fields
from .state import RecordState, SetState

Key = tuple[str, str]  # (table, record id)


class Backend(Protocol):
    """Where states and published documents live: memory in tests, the store in the app."""

    def load(self, table: str, rid: str) -> RecordState | None: ...

    def save(self, state: RecordState) -> None: ...

    def publish(self, table: str, rid: str, doc: dict[str, Any] | None) -> None: ...

    def merges(self) -> dict[str, tuple[str, str]]:
        """Every contact's latest merge: source id -> (clock, target id)."""
        ...

    def referrers(self, contact_id: str) -> Iterable[Key]:
        """Records whose own contact fields name ``contact_id`` (shown or not)."""
        ...


@dataclass
class Applied:
    """What a batch of operations changed."""

    ops: int = 0  # operations that changed something
    touched: set[Key] = field(default_factory=set)  # records whose published document was recomputed

    def count(self, table: str) -> int:
        return sum(1 for t, _ in self.touched if t == table)


class Merges:
    """Which merges hold: applied in clock order, one that would merge a contact into itself
    (A into B, then B into A) is ignored."""

    def __init__(self, registers: dict[str, tuple[str, str]]) -> None:
        self.effective: dict[str, tuple[str, str]] = {}
        for clock, source, target in sorted((c, s, t) for s, (c, t) in registers.items()):
            if self.resolve(target) != source:
                self.effective[source] = (clock, target)
        self.sources: dict[str, list[str]] = {}
        for source, (_, target) in self.effective.items():
            self.sources.setdefault(target, []).append(source)

    def resolve(self, contact_id: str) -> str:
        seen = {contact_id}
        while contact_id in self.effective:
            contact_id = self.effective[contact_id][1]
            if contact_id in seen:  # cannot happen for merges built above; a guard against loops
                break
            seen.add(contact_id)
        return contact_id

    def merged_into_it(self, target: str) -> Iterator[tuple[str, str]]:
        """(source, the latest merge clock on its way to ``target``) for every contact merged into it."""
        stack = [(s, self.effective[s][0]) for s in self.sources.get(target, ())]
        while stack:
            source, path_clock = stack.pop()
            yield source, path_clock
            stack += [(s, max(path_clock, self.effective[s][0])) for s in self.sources.get(source, ())]

    def aliases(self, contact_id: str) -> list[str]:
        return [contact_id, *(s for s, _ in self.merged_into_it(contact_id))]


class Replica:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._merges: Merges | None = None

    @property
    def merges(self) -> Merges:
        if self._merges is None:
            self._merges = Merges(self.backend.merges())
        return self._merges

    def apply(self, ops: Iterable[Op]) -> Applied:
        applied = Applied()
        dirty: set[Key] = set()
        merged = False
        for op in ops:
            state = self.backend.load(op.table, op.rid) or RecordState(op.table, op.rid)
            if not state.apply(op):
                continue
            self.backend.save(state)
            applied.ops += 1
            dirty.add((op.table, op.rid))
            merged |= bool(op.merge_into)
        if merged:
            before = self.merges
            self._merges = None
            dirty |= self._merge_fallout(before, self.merges)
        dirty |= self._dependents(dirty)
        for key in sorted(dirty):
            self.backend.publish(*key, self.document(*key))
        applied.touched = dirty
        return applied

    def _merge_fallout(self, before: Merges, after: Merges) -> set[Key]:
        """Contacts whose merge changed, where they end up now and before, and what names them."""
        changed = {s for s in before.effective.keys() | after.effective.keys()
                   if before.effective.get(s) != after.effective.get(s)}
        contacts = changed | {before.resolve(c) for c in changed} | {after.resolve(c) for c in changed}
        return {("contacts", c) for c in contacts}

    def _dependents(self, dirty: set[Key]) -> set[Key]:
        """Whatever shows differently when these records change: the contact a merged-away
        contact counts for, and the records naming a contact (they follow it in and out of view)."""
        merges = self.merges
        extra: set[Key] = set()
        for table, rid in [k for k in dirty if k[0] == "contacts"]:
            target = merges.resolve(rid)
            if target != rid:
                extra.add(("contacts", target))
            for alias in merges.aliases(target) + ([rid] if target != rid else []):
                extra.update(self.backend.referrers(alias))
        return extra - dirty

    # -- what the store shows -----------------------------------------------------------------
    def shown(self, table: str, rid: str) -> bool:
        state = self.backend.load(table, rid)
        if state is None or not state.alive:
            return False
        return table != "contacts" or rid not in self.merges.effective

    def document(self, table: str, rid: str) -> dict[str, Any] | None:
        """The document the store shows for this record, or None when it is not shown."""
        if not self.shown(table, rid):
            return None
        state = self.backend.load(table, rid)
        assert state is not None
        decided = state.fields()
        sets = {name: s.copy() for name, s in state.sets.items()}
        if table == "contacts":
            self._count_merged(rid, decided, sets)
        doc: dict[str, Any] = {name: value for name, (_, value) in decided.items()}
        doc["id"] = rid
        for name in set_fields(table):
            doc[name] = sets[name].shown() if name in sets else []
        for name in CONTACT_REFERENCES.get(table, ()):
            if doc.get(name):
                doc[name] = self.merges.resolve(doc[name])
                if not self.shown("contacts", doc[name]):
                    return None  # it names a contact that was deleted
        if table == "intros" and doc.get("seeker_id") == doc.get("helper_id"):
            return None  # both sides became one person
        return doc

    def _count_merged(self, rid: str, decided: dict[str, tuple[str, Any]], sets: dict[str, SetState]) -> None:
        """Writes made to a merged-away contact after its merge count for the contact it went into."""
        for source, path_clock in self.merges.merged_into_it(rid):
            other = self.backend.load("contacts", source)
            if other is None:
                continue
            for name, (clock, value) in other.writes.items():
                if clock > path_clock and clock > decided.get(name, ("", None))[0]:
                    decided[name] = (clock, value)
            for name, other_set in other.sets.items():
                mine = sets.setdefault(name, SetState())
                for key, (clock, present, value) in other_set.entries.items():
                    if clock > path_clock:
                        mine.write(clock, key, value, present)


class MemoryBackend:
    """States and published documents in dicts: for tests and for reasoning."""

    def __init__(self) -> None:
        self.states: dict[Key, RecordState] = {}
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}

    def load(self, table: str, rid: str) -> RecordState | None:
        return self.states.get((table, rid))

    def save(self, state: RecordState) -> None:
        self.states[(state.table, state.rid)] = state

    def publish(self, table: str, rid: str, doc: dict[str, Any] | None) -> None:
        docs = self.tables.setdefault(table, {})
        if doc is None:
            docs.pop(rid, None)
        else:
            docs[rid] = doc

    def merges(self) -> dict[str, tuple[str, str]]:
        return {s.rid: (s.merge_clock, s.merge_into) for (t, _), s in self.states.items()
                if t == "contacts" and s.merge_into}

    def referrers(self, contact_id: str) -> Iterable[Key]:
        for (table, rid), state in self.states.items():
            fields = state.fields()
            if any(fields.get(f, ("", None))[1] == contact_id for f in CONTACT_REFERENCES.get(table, ())):
                yield table, rid
