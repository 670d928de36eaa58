"""Two devices, one sync folder: the phone at the event, the laptop afterwards, one set of people."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from networking_app.models import Card
from networking_app.store import Store
from networking_app.sync.engine import Sync, SyncError

TODAY = date(2026, 12, 3)


@pytest.fixture
def pair(tmp_path: Path):
    folder = tmp_path / "Sync" / "Mutual"
    folder.parent.mkdir()
    phone = Store.open(tmp_path / "phone", today=lambda: TODAY, daily_backup=False)
    laptop = Store.open(tmp_path / "laptop", today=lambda: TODAY, daily_backup=False)
    Sync(phone).set_up(folder, "Ana's phone")
    Sync(laptop).set_up(folder, "Ana's laptop")
    yield phone, laptop, folder
    phone.close()
    laptop.close()


def both(phone: Store, laptop: Store) -> None:
    """What an engine gives: each device's files reach the other (here they share the folder)."""
    for _ in range(2):
        Sync(phone).run()
        Sync(laptop).run()


def test_a_scan_on_the_phone_reaches_the_laptop_with_its_meeting_and_event(pair) -> None:
    phone, laptop, _ = pair
    phone.events.start("PyCon", place="Berlin")
    scanned = phone.people.record_scan(Card(formatted="张伟", emails=["wei@example.cn"]))
    report = Sync(phone).run()
    assert report.sent >= 3
    got = Sync(laptop).run()
    assert got.summary() == "1 person and 1 event from Ana's phone."
    (wei,) = laptop.people.all()
    assert wei.id == scanned.contact.id and wei.full_name == "张伟"
    (meeting,) = laptop.meetings.of(wei.id)
    assert laptop.events.get(meeting.event_id).name == "PyCon"


def test_a_note_written_on_the_laptop_reaches_the_phone(pair) -> None:
    phone, laptop, _ = pair
    scanned = phone.people.record_scan(Card(formatted="محمد علي", emails=["m@example.eg"]), event_id="")
    both(phone, laptop)
    laptop.meetings.save_note(scanned.meeting.id, need="a designer", promise="send Leila's email")
    report = Sync(laptop).run()
    assert report.sent == 1
    assert Sync(phone).run().summary() == "1 note from Ana's laptop."
    note = phone.meetings.get(scanned.meeting.id)
    assert (note.need, note.promise) == ("a designer", "send Leila's email")


def test_concurrent_edits_of_different_fields_of_one_meeting_keep_both(pair) -> None:
    phone, laptop, _ = pair
    scanned = phone.people.record_scan(Card(formatted="김민수", emails=["minsu@example.kr"]), event_id="")
    both(phone, laptop)
    phone.meetings.save_note(scanned.meeting.id, need="investors")
    laptop.meetings.save_note(scanned.meeting.id, help="intro to Grace")
    both(phone, laptop)
    for store in (phone, laptop):
        meeting = store.meetings.get(scanned.meeting.id)
        assert (meeting.need, meeting.help) == ("investors", "intro to Grace")


def test_a_delete_on_one_device_removes_the_person_everywhere_with_their_meetings(pair) -> None:
    phone, laptop, _ = pair
    scanned = phone.people.record_scan(Card(formatted="Γιώργος Παπαδόπουλος", emails=["g@example.gr"]), event_id="")
    both(phone, laptop)
    laptop.people.delete(scanned.contact.id)
    both(phone, laptop)
    assert phone.people.all() == [] and phone.meetings.of(scanned.contact.id) == []


def test_an_existing_store_is_merged_in_when_sync_is_set_up_never_thrown_away(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    with Store.open(tmp_path / "a", daily_backup=False) as a, Store.open(tmp_path / "b", daily_backup=False) as b:
        a.people.record_scan(Card(formatted="Ana Lima", emails=["ana@example.br"]), event_id="")
        b.people.record_scan(Card(formatted="Bo Chen", emails=["bo@example.cn"]), event_id="")
        Sync(a).set_up(folder, "A")
        Sync(b).set_up(folder, "B")
        both(a, b)
        for store in (a, b):
            assert sorted(c.full_name for c in store.people.all()) == ["Ana Lima", "Bo Chen"]


def test_nothing_new_sends_and_receives_nothing(pair) -> None:
    phone, laptop, _ = pair
    phone.people.record_scan(Card(formatted="Ana Lima", emails=["ana@example.br"]), event_id="")
    both(phone, laptop)
    again = Sync(phone).run()
    assert again.sent == 0 and again.summary() == "Nothing new came in."


def test_a_missing_folder_is_one_sentence_and_nothing_changes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a", daily_backup=False) as store:
        with pytest.raises(SyncError, match="not set up"):
            Sync(store).run()
        with pytest.raises(SyncError, match="is not there"):
            Sync(store).set_up(tmp_path / "no" / "such" / "folder")
        Sync(store).set_up(tmp_path / "gone", "A")
        (tmp_path / "gone").rmdir()
        store.people.record_scan(Card(formatted="Ana", emails=["ana@example.br"]), event_id="")
        with pytest.raises(SyncError, match="not there"):
            Sync(store).run()
        assert Sync(store).status().waiting == 2  # the contact and the meeting wait to go out
