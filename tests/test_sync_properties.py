"""Sync's promise, as properties: devices that have seen the same operations show the same
records, whatever the order, duplicates or delays, and that is what replaying every
operation in clock order shows."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_app.jsoncodec import dumps, loads
from networking_app.sync.clock import HybridClock
from networking_app.sync.local import LocalWriter
from networking_app.sync.ops import Change, Op
from networking_app.sync.replica import MemoryBackend, Replica
from networking_app.sync.state import RecordState
from tests.support.sync_reference import replay

NAMES = ["Ana Lima", "张伟", "محمد علي", "김민수", "Γιώργος Παπαδόπουλος"]
EMAILS = ["a@x.example", "b@x.example", "c@y.example", "d@z.example"]
TAGS = ["rust", "design", "hiring"]
DAY_MS = 86_400_000


class EncodedBackend(MemoryBackend):
    """States kept as the JSON the store keeps: every property also proves the persisted form."""

    def load(self, table: str, rid: str) -> RecordState | None:
        raw = self.encoded.get((table, rid))
        return None if raw is None else RecordState.from_doc(loads(raw))

    def save(self, states: list[RecordState]) -> None:
        super().save(states)
        for state in states:
            self.encoded[(state.table, state.rid)] = dumps(state.to_doc())

    def __init__(self) -> None:
        super().__init__()
        self.encoded: dict[tuple[str, str], bytes] = {}


class Device:
    """One replica, writing the way the store does: whole documents in, changes out."""

    def __init__(self, number: int, wall: list[int], skew: int) -> None:
        self.id = f"{number:016x}"
        self.backend = EncodedBackend()
        self.clock = HybridClock(self.id, now=lambda: wall[0] + skew)
        self.writer = LocalWriter(Replica(self.backend), self.clock, 1)
        self.made: list[Op] = []
        self.deleted: list[list[tuple[str, dict[str, Any]]]] = []
        self._ids = 0

    def view(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {t: dict(docs) for t, docs in self.backend.tables.items() if docs}

    def docs(self, table: str) -> list[dict[str, Any]]:
        return sorted(self.backend.tables.get(table, {}).values(), key=lambda d: d["id"])

    def new_id(self, kind: str) -> str:
        self._ids += 1
        return f"{kind}{self.id[-2:]}{self._ids:04d}"

    def write(self, table: str, rid: str, doc: dict[str, Any] | None) -> None:
        before = len(self.writer.written)
        self.writer.write(table, rid, doc)
        self.made += [op for op, _ in self.writer.written[before:]]

    def receive(self, ops: list[Op]) -> None:
        for op in ops:
            self.clock.observe(op.clock)
        self.writer.replica.apply(ops)


def _pick(rng: random.Random, docs: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rng.choice(docs) if docs else None


def act(device: Device, rng: random.Random) -> None:
    """One thing a person does on this device, on what it shows now."""
    contacts, meetings = device.docs("contacts"), device.docs("meetings")
    action = rng.choice(["scan", "scan", "note", "note", "followup", "done", "tag", "email", "title",
                         "delete", "undo", "merge", "intro"])
    contact, meeting = _pick(rng, contacts), _pick(rng, meetings)
    if action == "scan" or contact is None:
        cid, mid = device.new_id("c"), device.new_id("m")
        device.write("contacts", cid, {"id": cid, "formatted": rng.choice(NAMES), "title": "",
                                       "emails": rng.sample(EMAILS, rng.randint(0, 2)), "phones": [],
                                       "urls": [], "tags": [], "history": []})
        device.write("meetings", mid, {"id": mid, "contact_id": cid, "event_id": "", "need": "", "help": "",
                                       "promise": "", "note_status": "missing"})
    elif action == "note" and meeting:
        field = rng.choice(["need", "help", "promise"])
        device.write("meetings", meeting["id"], {**meeting, field: f"{field} {rng.randint(0, 99)}",
                                                 "note_status": "done"})
    elif action == "followup" and meeting:
        fid = device.new_id("f")
        device.write("followups", fid, {"id": fid, "contact_id": meeting["contact_id"],
                                        "meeting_id": meeting["id"], "due": "2026-12-10", "done_at": ""})
    elif action == "done" and (followup := _pick(rng, device.docs("followups"))):
        device.write("followups", followup["id"], {**followup, "done_at": "2026-12-04T10:00:00.000+00:00"})
    elif action == "tag":
        tags = list(contact["tags"])
        tag = rng.choice(TAGS)
        tags = [t for t in tags if t != tag] if tag in tags else [*tags, tag]
        device.write("contacts", contact["id"], {**contact, "tags": tags})
    elif action == "email":
        email = rng.choice(EMAILS)
        emails = [e for e in contact["emails"] if e != email] if email in contact["emails"] else [*contact["emails"], email]
        device.write("contacts", contact["id"], {**contact, "emails": emails})
    elif action == "title":
        device.write("contacts", contact["id"], {**contact, "title": rng.choice(["CTO", "Designer", ""])})
    elif action == "delete":
        delete_contact(device, contact)
    elif action == "undo" and device.deleted:
        for table, doc in device.deleted.pop():
            device.write(table, doc["id"], doc)
    elif action == "merge" and len(contacts) > 1:
        keep, other = rng.sample(contacts, 2)
        merge(device, keep, other)
    elif action == "intro" and len(contacts) > 1:
        seeker, helper = rng.sample(contacts, 2)
        iid = device.new_id("i")
        device.write("intros", iid, {"id": iid, "seeker_id": seeker["id"], "helper_id": helper["id"],
                                     "reasons": ["rust"], "status": "drafted"})


def delete_contact(device: Device, contact: dict[str, Any]) -> None:
    """As the store deletes someone: what names them first, then them; kept for undo."""
    bundle = [(t, d) for t in ("followups", "meetings", "intros") for d in device.docs(t)
              if contact["id"] in (d.get("contact_id"), d.get("seeker_id"), d.get("helper_id"))]
    for table, doc in bundle:
        device.write(table, doc["id"], None)
    device.write("contacts", contact["id"], None)
    device.deleted.append([("contacts", contact), *bundle])


def merge(device: Device, keep: dict[str, Any], other: dict[str, Any]) -> None:
    """As the store merges: lists joined on the kept one, references moved, "other merged into keep"."""
    joined = {**keep, **{f: keep[f] + [v for v in other[f] if v not in keep[f]] for f in ("emails", "tags")}}
    device.write("contacts", keep["id"], joined)
    for table in ("meetings", "followups"):
        for doc in device.docs(table):
            if doc["contact_id"] == other["id"]:
                device.write(table, doc["id"], {**doc, "contact_id": keep["id"]})
    op, _ = device.writer.record(Change("contacts", other["id"], merge_into=keep["id"]))
    device.made.append(op)


def deliver(rng: random.Random, source: Device, target: Device) -> None:
    """Some of what the source has seen, in a shuffled order, some of it twice."""
    known = [op for d in DEVICES_SEEN[source.id] for op in d]
    batch = rng.sample(known, rng.randint(0, len(known))) if known else []
    batch += rng.sample(batch, len(batch) // 3)
    rng.shuffle(batch)
    target.receive(batch)
    DEVICES_SEEN[target.id].append(batch)


DEVICES_SEEN: dict[str, list[list[Op]]] = {}


def run_scenario(seed: int, replicas: int, steps: int) -> tuple[list[Device], list[Op]]:
    rng = random.Random(seed)
    wall = [1_796_000_000_000]
    skews = [0, DAY_MS, -3_600_000][:replicas]  # one clock a day ahead, one an hour behind
    devices = [Device(n + 1, wall, skews[n]) for n in range(replicas)]
    DEVICES_SEEN.clear()
    for device in devices:
        DEVICES_SEEN[device.id] = []
    for _ in range(steps):
        wall[0] += rng.randint(0, 5000)
        device = rng.choice(devices)
        if rng.random() < 0.3:
            deliver(rng, rng.choice(devices), device)
        else:
            before = len(device.made)
            act(device, rng)
            DEVICES_SEEN[device.id].append(device.made[before:])
    everything = [op for d in devices for op in d.made]
    for device in devices:
        late = list(everything)
        rng.shuffle(late)
        device.receive(late + late[: len(late) // 4])
    return devices, everything


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), replicas=st.integers(2, 3), steps=st.integers(1, 60))
def test_replicas_that_saw_the_same_operations_show_the_same_records(seed: int, replicas: int, steps: int) -> None:
    devices, everything = run_scenario(seed, replicas, steps)
    first = devices[0].view()
    for device in devices[1:]:
        assert device.view() == first
    assert first == replay(everything)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_fresh_device_given_everything_in_any_order_shows_the_same(seed: int) -> None:
    devices, everything = run_scenario(seed, 2, 40)
    rng = random.Random(seed)
    for _ in range(3):
        fresh = Device(9, [0], 0)
        shuffled = list(everything)
        rng.shuffle(shuffled)
        for start in range(0, len(shuffled), 7):  # in small batches, like a sync every few seconds
            fresh.receive(shuffled[start:start + 7])
        assert fresh.view() == devices[0].view()


def test_two_devices_editing_different_fields_of_one_meeting_keep_both() -> None:
    wall = [1_796_000_000_000]
    a, b = Device(1, wall, 0), Device(2, wall, 0)
    a.write("contacts", "c1", {"id": "c1", "formatted": "Ana", "emails": [], "phones": [], "urls": [], "tags": [], "history": []})
    a.write("meetings", "m1", {"id": "m1", "contact_id": "c1", "need": "", "help": "", "promise": ""})
    b.receive(a.made)
    wall[0] += 10
    a.write("meetings", "m1", {**a.docs("meetings")[0], "need": "a designer"})
    b.write("meetings", "m1", {**b.docs("meetings")[0], "promise": "send the deck"})
    a.receive(b.made)
    b.receive(a.made)
    assert a.docs("meetings") == b.docs("meetings")
    assert a.docs("meetings")[0]["need"] == "a designer"
    assert a.docs("meetings")[0]["promise"] == "send the deck"


def test_the_same_field_keeps_the_later_edit_even_from_a_clock_a_day_behind_once_it_saw_the_first() -> None:
    wall = [1_796_000_000_000]
    ahead, behind = Device(1, wall, DAY_MS), Device(2, wall, 0)
    ahead.write("contacts", "c1", {"id": "c1", "formatted": "Ana", "title": "CTO", "emails": [], "phones": [],
                                   "urls": [], "tags": [], "history": []})
    behind.receive(ahead.made)
    behind.write("contacts", "c1", {**behind.docs("contacts")[0], "title": "CEO"})  # made after seeing CTO
    ahead.receive(behind.made)
    assert ahead.docs("contacts")[0]["title"] == behind.docs("contacts")[0]["title"] == "CEO"


def test_a_delete_is_not_undone_by_a_late_device_but_undo_brings_it_back() -> None:
    wall = [1_796_000_000_000]
    a, b = Device(1, wall, 0), Device(2, wall, 0)
    a.write("contacts", "c1", {"id": "c1", "formatted": "Ana", "emails": ["a@x.example"], "phones": [],
                               "urls": [], "tags": [], "history": []})
    b.receive(a.made)
    wall[0] += 10
    delete_contact(a, a.docs("contacts")[0])
    wall[0] += 10
    b.write("contacts", "c1", {**b.docs("contacts")[0], "title": "late edit"})  # b has not seen the delete
    a.receive(b.made)
    b.receive(a.made)
    assert a.docs("contacts") == b.docs("contacts") == []
    for table, doc in a.deleted.pop():  # undo on a
        a.write(table, doc["id"], doc)
    b.receive(a.made)
    assert [c["formatted"] for c in b.docs("contacts")] == ["Ana"]


def test_a_note_written_to_b_on_another_device_ends_on_a_after_b_was_merged_into_a() -> None:
    wall = [1_796_000_000_000]
    laptop, phone = Device(1, wall, 0), Device(2, wall, 0)
    for cid in ("ca", "cb"):
        laptop.write("contacts", cid, {"id": cid, "formatted": "Maria Garcia", "emails": [f"{cid}@x.example"],
                                       "phones": [], "urls": [], "tags": [], "history": []})
    laptop.write("meetings", "m1", {"id": "m1", "contact_id": "cb", "need": "", "help": "", "promise": ""})
    phone.receive(laptop.made)
    wall[0] += 10
    ca, cb = sorted(laptop.docs("contacts"), key=lambda d: d["id"])
    merge(laptop, ca, cb)
    phone.write("meetings", "m2", {"id": "m2", "contact_id": "cb", "need": "a lawyer", "help": "", "promise": ""})
    phone.write("contacts", "cb", {**phone.docs("contacts")[1], "emails": ["cb@x.example", "new@x.example"]})
    laptop.receive(phone.made)
    phone.receive(laptop.made)
    for device in (laptop, phone):
        assert [c["id"] for c in device.docs("contacts")] == ["ca"]
        assert {m["contact_id"] for m in device.docs("meetings")} == {"ca"}
    assert laptop.view() == phone.view()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_states_read_back_from_a_snapshot_join_into_any_device(seed: int) -> None:
    from networking_app.sync.state import ops_of

    devices, everything = run_scenario(seed, 3, 50)
    rng = random.Random(seed)
    half = rng.sample(everything, len(everything) // 2)
    joined = Device(9, [0], 0)
    joined.receive(half)  # a device that already saw some of it
    snapshot = [op for state in devices[1].backend.states.values() for op in ops_of(state)]
    rng.shuffle(snapshot)
    joined.receive(snapshot)
    assert joined.view() == devices[0].view()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_new_device_adopting_anothers_states_shows_what_replaying_them_shows(seed: int) -> None:
    from networking_app.sync.state import RecordState, checked_state

    devices, everything = run_scenario(seed, 3, 50)
    states = [checked_state(loads(dumps(s.to_doc()))) for s in devices[1].backend.states.values()]
    fresh = Device(9, [0], 0)
    fresh.writer.replica.adopt(states)
    assert fresh.view() == devices[0].view() == replay(everything)
    assert {k: s.to_doc() for k, s in fresh.backend.states.items()} == {
        k: RecordState.from_doc(s.to_doc()).to_doc() for k, s in devices[1].backend.states.items()}
