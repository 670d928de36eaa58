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

    def save(self, states: list[RecordState]) -> None: ...

    def publish(self, docs: dict[Key, dict[str, Any] | None]) -> None: ...

    def merges(self) -> dict[str, tuple[str, str]]:
        """Every contact's latest merge: source id -> (clock, target id)."""
        ...

    def empty(self) -> bool:
        """No state at all yet (a new device's first sync: nothing to look up)."""
        ...

    def referrers(self, contact_id: str) -> Iterable[Key]:
        """Records whose own contact fields name ``contact_id`` (shown or not)."""
        ...


@dataclass
class Applied:
    """What a batch of operations changed."""

    ops: int = 0  # operations that changed something
    touched: set[Key] = field(default_factory=set)  # records whose published document was recomputed
    new: set[Key] = field(default_factory=set)  # records this device had never heard of
    changed: set[Key] = field(default_factory=set)  # records an operation changed (a repeat changes none)

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
        self._batch: dict[Key, RecordState | None] | None = None  # states read or changed by the running apply()
        self._none_stored = False

    def state(self, table: str, rid: str) -> RecordState | None:
        batch = self._batch
        if batch is None:
            return self.backend.load(table, rid)
        key = (table, rid)
        if key not in batch:
            batch[key] = None if self._none_stored else self.backend.load(table, rid)
        return batch[key]

    @property
    def merges(self) -> Merges:
        if self._merges is None:
            self._merges = Merges(self.backend.merges())
        return self._merges

    def apply(self, ops: Iterable[Op]) -> Applied:
        applied = Applied()
        dirty: dict[Key, None] = {}
        merged = False
        batch: dict[Key, RecordState | None] = {}
        self._batch = batch
        self._none_stored = self.backend.empty()
        try:
            for op in ops:
                key = (op.table, op.rid)
                state = self.state(*key)
                if state is None:
                    state = batch[key] = RecordState(*key)
                    applied.new.add(key)
                if not state.apply(op):
                    continue
                applied.ops += 1
                dirty[key] = None
                merged |= bool(op.merge_into)
            applied.changed = set(dirty)
            self.backend.save([s for k in dirty if (s := batch[k]) is not None])
            if merged:
                before = self.merges
                self._merges = None
                dirty.update(dict.fromkeys(self._merge_fallout(before, self.merges)))
            dirty.update(dict.fromkeys(self._dependents(set(dirty))))
            self.backend.publish({key: self.document(*key) for key in dirty})
        finally:
            self._batch = None
        applied.touched = set(dirty)
        return applied

    def adopt(self, states: list[RecordState]) -> Applied:
        """A device with no state yet takes these states as they are (a snapshot): the same result as
        applying the operations they stand for, without replaying them."""
        if not self.backend.empty():
            raise ValueError("adopt() is for a device with no state yet")
        applied = Applied(ops=len(states))
        batch: dict[Key, RecordState | None] = {(s.table, s.rid): s for s in states}
        self._batch, self._none_stored = batch, True
        try:
            self.backend.save(states)
            self._merges = None
            self.backend.publish({key: self.document(*key) for key in batch})
        finally:
            self._batch = None
        applied.touched = applied.new = applied.changed = set(batch)
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
        for _, rid in [k for k in dirty if k[0] == "contacts"]:
            target = merges.resolve(rid)
            if target != rid:
                extra.add(("contacts", target))
            for alias in merges.aliases(target) + ([rid] if target != rid else []):
                extra.update(self.backend.referrers(alias))
        return extra - dirty

    # -- what the store shows -----------------------------------------------------------------
    def shown(self, table: str, rid: str) -> bool:
        state = self.state(table, rid)
        if state is None or not state.alive:
            return False
        return table != "contacts" or rid not in self.merges.effective

    def document(self, table: str, rid: str) -> dict[str, Any] | None:
        """The document the store shows for this record, or None when it is not shown."""
        state = self.state(table, rid)
        if state is None or not state.alive or (table == "contacts" and rid in self.merges.effective):
            return None
        sets = state.sets
        if table == "contacts" and rid in self.merges.sources:
            decided = state.fields()
            sets = {name: state.set_state(name).copy() for name in set_fields(table)}
            self._count_merged(rid, decided, sets)
            doc: dict[str, Any] = {name: value for name, (_, value) in decided.items()}
        elif state.writes:
            doc = {name: value for name, (_, value) in state.fields().items()}
        else:
            doc = dict(state.made)  # created and not written since: the common case, made quick
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
            other = self.state("contacts", source)
            if other is None:
                continue
            for name, (clock, value) in other.writes.items():
                if clock > path_clock and clock > decided.get(name, ("", None))[0]:
                    decided[name] = (clock, value)
            for name, other_set in other.sets.items():
                mine = sets[name]
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

    def save(self, states: list[RecordState]) -> None:
        for state in states:
            self.states[(state.table, state.rid)] = state

    def publish(self, docs: dict[Key, dict[str, Any] | None]) -> None:
        for (table, rid), doc in docs.items():
            if doc is None:
                self.tables.setdefault(table, {}).pop(rid, None)
            else:
                self.tables.setdefault(table, {})[rid] = doc

    def merges(self) -> dict[str, tuple[str, str]]:
        return {s.rid: (s.merge_clock, s.merge_into) for (t, _), s in self.states.items()
                if t == "contacts" and s.merge_into}

    def empty(self) -> bool:
        return not self.states

    def referrers(self, contact_id: str) -> Iterable[Key]:
        for (table, rid), state in self.states.items():
            fields = state.fields()
            if any(fields.get(f, ("", None))[1] == contact_id for f in CONTACT_REFERENCES.get(table, ())):
                yield table, rid
