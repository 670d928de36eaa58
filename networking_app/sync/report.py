"""What a sync run brought and sent, and what the sync status shows, in words for a person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .ops import Op
from .state import RecordState


@dataclass
class Incoming:
    """What came in from one device."""

    name: str
    counts: Counter[str] = field(default_factory=Counter)  # "people", "notes", "follow-ups", "changes"

    def describe(self) -> str:
        parts = [plural(self.counts[k], k) for k in ("people", "notes", "follow-ups", "events", "cards", "changes")
                 if self.counts[k]]
        return f"{join(parts)} from {self.name}"


@dataclass
class SyncReport:
    sent: int = 0
    incoming: dict[str, Incoming] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    new_device_id: str = ""
    seconds: float = 0.0
    new_people: set[str] = field(default_factory=set)  # contacts this run brought
    maybe_known: list[tuple[str, str]] = field(default_factory=list)  # (new one, who they may be), by name

    def summary(self) -> str:
        came = [i.describe() for i in self.incoming.values() if i.counts]
        said = f"{join(came)}." if came else "Nothing new came in."
        if self.maybe_known:
            pairs = [f"{new} may be {known}" for new, known in self.maybe_known[:2]]
            more = len(self.maybe_known) - len(pairs)
            said += f" {join(pairs + ([f'{more:,} more' if more > 1 else '1 more'] if more else []))}."
        if self.sent:
            said += f" {plural(self.sent, 'changes')} sent."
        return said[0].upper() + said[1:]


@dataclass
class DeviceSeen:
    device: str
    name: str
    last_change: str  # ISO time of its latest change this device took in ("" if none yet)
    last_seen: str  # when it last synced (its device.json)
    this_device: bool = False


@dataclass
class SyncStatus:
    folder: str
    device: str
    name: str
    devices: list[DeviceSeen]
    waiting: int  # operations made here and not yet written to the folder
    last_sync: str
    folder_missing: bool = False  # the folder is set but not there (a drive or the sync app not connected)


def count_states(states: list[RecordState], origin: str, names: dict[str, str], report: SyncReport) -> None:
    """What a new device took in from a snapshot, counted as :func:`_kind_of` counts operations."""
    counts: Counter[str] = Counter()
    for state in states:
        if not state.alive:
            continue
        if state.table == "meetings":
            written = {**state.made, **{f: v for f, (_, v) in state.writes.items()}}
            what = "notes" if any(written.get(f) for f in ("need", "help", "promise")) else ""
        else:
            what = {"contacts": "people", "followups": "follow-ups", "events": "events", "cards": "cards"}.get(
                state.table, "changes")
        if what:
            counts[what] += 1
    if counts:
        incoming = report.incoming.setdefault(origin, Incoming(names.get(origin, "another device")))
        incoming.counts.update(counts)


def kind_of(op: Op, new: set[tuple[str, str]]) -> str:
    if op.table == "contacts" and op.create and (op.table, op.rid) in new:
        return "people"
    if op.table == "meetings" and any(op.set.get(f) for f in ("need", "help", "promise")):
        return "notes"
    if op.table == "followups":
        return "follow-ups"
    if op.table == "events" and op.create:
        return "events"
    if op.table == "cards":
        return "cards"
    return "changes" if op.table != "meetings" or not op.create else ""


_SINGULAR = {"people": "person", "notes": "note", "follow-ups": "follow-up", "events": "event",
             "cards": "card of mine", "changes": "change"}


def plural(count: int, noun: str) -> str:
    """``noun`` is plural ("people", "notes", "changes"…)."""
    if noun == "cards":
        return "1 card of mine" if count == 1 else f"{count:,} cards of mine"
    return f"1 {_SINGULAR.get(noun, noun)}" if count == 1 else f"{count:,} {noun}"


def join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
