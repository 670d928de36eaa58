"""Two Mutual stores kept in step by two real Syncthing daemons on 127.0.0.1 (Debian's syncthing).

The phone scans, the laptop writes a note, both edit one meeting, one deletes: both converge.
Syncthing is the transport, exactly as a person runs it; nothing leaves the machine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from networking_app.models import Card
from networking_app.store import Store
from networking_app.sync.engine import Sync
from tests.support.two_syncthings import start_pair

pytestmark = pytest.mark.slow
WAIT_S = 60  # measured: a change crosses in ~1 s; a generous bound, never a fixed sleep


@pytest.fixture
def engines(tmp_path: Path):
    assert shutil.which("syncthing"), "Debian's syncthing is needed (apt-get install syncthing; .ci/run does)"
    folder_a, folder_b, procs = start_pair(tmp_path / "st")
    a = Store.open(tmp_path / "phone", today=lambda: date(2026, 12, 3), daily_backup=False)
    b = Store.open(tmp_path / "laptop", today=lambda: date(2026, 12, 3), daily_backup=False)
    Sync(a).set_up(folder_a, "Ana's phone")
    Sync(b).set_up(folder_b, "Ana's laptop")
    yield a, b, folder_a, folder_b
    a.close()
    b.close()
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(15)


def until(store: Store, condition: Callable[[], bool], what: str) -> None:
    """Sync ``store`` until ``condition`` holds (Syncthing delivers in its own time)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        Sync(store).run()
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"after {WAIT_S} s: {what}")


def test_syncthing_carries_a_scan_a_note_concurrent_edits_and_a_delete_between_two_stores(engines) -> None:
    phone, laptop, folder_a, folder_b = engines
    Sync(phone).run()
    Sync(laptop).run()
    scanned = phone.people.record_scan(Card(formatted="张伟", title="CTO", emails=["wei@example.cn"]), event_id="")
    other = phone.people.record_scan(Card(formatted="Leila Haddad", emails=["leila@example.lb"]), event_id="")
    Sync(phone).run()
    until(laptop, lambda: {c.full_name for c in laptop.people.all()} == {"张伟", "Leila Haddad"}, "the scans reach the laptop")

    laptop.meetings.save_note(scanned.meeting.id, promise="send the deck")
    Sync(laptop).run()
    until(phone, lambda: phone.meetings.get(scanned.meeting.id).promise == "send the deck", "the note reaches the phone")

    phone.meetings.save_note(scanned.meeting.id, need="a Rust mentor")  # both at once, different fields
    laptop.meetings.save_note(scanned.meeting.id, help="intro to Leila")
    Sync(phone).run()
    Sync(laptop).run()

    def merged(store: Store) -> Callable[[], bool]:
        return lambda: (store.meetings.get(scanned.meeting.id).need, store.meetings.get(scanned.meeting.id).help) == (
            "a Rust mentor", "intro to Leila")

    until(phone, merged(phone), "the phone has both fields")
    until(laptop, merged(laptop), "the laptop has both fields")

    laptop.people.delete(other.contact.id)
    Sync(laptop).run()
    until(phone, lambda: [c.full_name for c in phone.people.all()] == ["张伟"], "the delete reaches the phone")

    assert phone.meetings.get(scanned.meeting.id).to_doc() == laptop.meetings.get(scanned.meeting.id).to_doc()
    assert {c.id for c in phone.people.all()} == {c.id for c in laptop.people.all()}
    conflicts = [p for f in (folder_a, folder_b) for p in f.rglob("*") if "sync-conflict" in p.name]
    assert conflicts == []  # each device writes only its own files: the engine has nothing to settle
