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
    assert report.sent == 2  # the note, and the follow-up its promise waits in (with no date)
    assert Sync(phone).run().summary() == "1 note and 1 follow-up from Ana's laptop."
    note = phone.meetings.get(scanned.meeting.id)
    assert (note.need, note.promise) == ("a designer", "send Leila's email")
    [waiting] = phone.followups.all()
    assert waiting.meeting_id == scanned.meeting.id and waiting.due == ""


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


def test_merging_on_the_laptop_moves_a_note_the_phone_wrote_to_the_other_record(pair) -> None:
    phone, laptop, _ = pair
    a = phone.people.add(Card(formatted="Maria Garcia", emails=["maria@alpha.example"]))
    b = phone.people.add(Card(formatted="Maria García", emails=["maria@beta.example"]))
    both(phone, laptop)
    laptop.people.merge(a.id, b.id)
    met = phone.meetings.note_contact(b.id, need="a lawyer in Lisbon")  # before the phone hears of it
    both(phone, laptop)
    for store in (phone, laptop):
        (maria,) = store.people.all()
        assert maria.id == a.id
        assert set(maria.emails) == {"maria@alpha.example", "maria@beta.example"}
        assert [m.need for m in store.meetings.of(a.id)] == ["a lawyer in Lisbon"]
        assert store.meetings.get(met.id).contact_id == a.id


def test_a_follow_up_done_and_a_reflection_travel(pair) -> None:
    phone, laptop, _ = pair
    event = phone.events.start("RustConf")
    scanned = phone.people.record_scan(Card(formatted="Ana Lima", emails=["ana@example.br"]))
    phone.meetings.save_note(scanned.meeting.id, promise="send the deck", follow_up=date(2026, 12, 5))
    phone.events.end()
    both(phone, laptop)
    (followup,) = laptop.followups.all()
    laptop.followups.complete(followup.id)
    laptop.events.save_reflection(event.id, went_well="met Ana", comfort=4, help_first="yes")
    both(phone, laptop)
    assert phone.followups.all() == []  # done
    assert phone.events.get(event.id).comfort == 4


def test_a_torn_or_damaged_log_stops_nothing_and_is_read_once_whole(pair) -> None:
    phone, laptop, folder = pair
    for n in range(3):
        phone.people.add(Card(formatted=f"Person {n}", emails=[f"p{n}@example.org"]))
    Sync(phone).run()
    (log,) = (folder / "devices" / Sync(phone).settings().device).glob("ops-*.log")
    whole = log.read_bytes()
    lines = whole.splitlines(keepends=True)
    log.write_bytes(lines[0] + lines[1][:10] + b"#" + lines[1][11:] + lines[2][:-7])  # damaged, then torn
    report = Sync(laptop).run()
    assert any("damaged" in p for p in report.problems)
    assert [c.full_name for c in laptop.people.all()] == ["Person 0"]
    log.write_bytes(whole)  # the engine finishes delivering
    Sync(laptop).run()
    assert sorted(c.full_name for c in laptop.people.all()) == ["Person 0", "Person 1", "Person 2"]


def test_conflict_copies_are_read_as_extra_logs(pair) -> None:
    phone, laptop, folder = pair
    phone.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))
    Sync(phone).run()
    own = folder / "devices" / Sync(phone).settings().device
    (log,) = own.glob("ops-*.log")
    extra = Store.in_memory(folder.parent / "x")  # a third writer's ops, as an engine's conflict copy
    Sync(extra).set_up(folder.parent / "elsewhere", "ghost")
    extra.people.add(Card(formatted="Bo Chen", emails=["bo@example.cn"]))
    Sync(extra).run()
    (ghost_log,) = (folder.parent / "elsewhere" / "devices").glob("*/ops-*.log")
    log.with_name(log.stem + ".sync-conflict-20261203-101500-ABCDEFG.log").write_bytes(ghost_log.read_bytes())
    Sync(laptop).run()
    assert sorted(c.full_name for c in laptop.people.all()) == ["Ana Lima", "Bo Chen"]


def test_a_conflict_copy_of_a_log_already_read_brings_nothing_and_says_nothing_came(pair) -> None:
    phone, laptop, folder = pair
    met = phone.people.record_scan(Card(formatted="Ana Lima", emails=["ana@example.br"]))
    phone.meetings.save_note(met.meeting.id, need="a designer", promise="send the deck")
    Sync(phone).run()
    assert Sync(laptop).run().summary() == "1 person, 1 note and 1 follow-up from Ana's phone."
    (log,) = (folder / "devices" / Sync(phone).settings().device).glob("ops-*.log")
    log.with_name(log.stem + ".sync-conflict-20261203-101500-ABCDEFG.log").write_bytes(log.read_bytes())
    assert Sync(laptop).run().summary() == "Nothing new came in."


def test_a_device_restored_from_anothers_data_gets_its_own_id(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "shared"
    folder.mkdir()
    with Store.open(tmp_path / "old-phone", daily_backup=False) as old:
        Sync(old).set_up(folder, "Old phone")
        old.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))
        Sync(old).run()
    shutil.copytree(tmp_path / "old-phone", tmp_path / "new-phone")  # the whole data folder copied over
    with Store.open(tmp_path / "old-phone", daily_backup=False) as old, \
            Store.open(tmp_path / "new-phone", daily_backup=False) as new:
        new.people.add(Card(formatted="Bo Chen", emails=["bo@example.cn"]))
        old.people.add(Card(formatted="Cy Diaz", emails=["cy@example.mx"]))
        Sync(old).run()
        report = Sync(new).run()
        assert report.new_device_id and report.new_device_id != Sync(old).settings().device
        both(old, new)
        for store in (old, new):
            assert sorted(c.full_name for c in store.people.all()) == ["Ana Lima", "Bo Chen", "Cy Diaz"]


def test_a_device_moved_to_a_new_folder_brings_everything_it_had_without_a_false_alarm(tmp_path: Path) -> None:
    old_folder, new_folder = tmp_path / "F1", tmp_path / "F2"
    with Store.open(tmp_path / "phone", today=lambda: TODAY, daily_backup=False) as phone, \
            Store.open(tmp_path / "laptop", today=lambda: TODAY, daily_backup=False) as laptop:
        phone.events.start("Meetup Αθήνα")
        phone.people.record_scan(Card(formatted="王芳", emails=["wangfang@example.cn"]))
        Sync(phone).set_up(old_folder, "Phone")
        Sync(phone).run()  # everything went out to F1
        Sync(phone).set_up(new_folder)
        moved = Sync(phone).run()
        assert not moved.problems and not moved.new_device_id
        Sync(laptop).set_up(new_folder, "Laptop")
        assert Sync(laptop).run().summary() == "1 person and 1 event from Phone."
        phone.people.record_scan(Card(formatted="José Núñez", emails=["jose@example.es"]))
        later = Sync(phone).run()
        assert not later.problems and not later.new_device_id  # its own files, not another writer's
        Sync(laptop).run()
        assert sorted(c.full_name for c in laptop.people.all()) == ["José Núñez", "王芳"]
        assert [e.name for e in laptop.events.all()] == ["Meetup Αθήνα"]
        assert all(m.event_id == laptop.events.all()[0].id for c in laptop.people.all() for m in laptop.meetings.of(c.id))
        Sync(phone).set_up(old_folder)  # and back: its old log there is its own
        back = Sync(phone).run()
        assert not back.problems and not back.new_device_id


def test_two_devices_that_each_made_a_default_card_show_one_default_the_same_everywhere(pair) -> None:
    from networking_app.models import MyCard
    from networking_app.ui.screens.my_card import choice_label

    phone, laptop, _ = pair
    phone.cards.save(MyCard(formatted="Ana Lima", emails=["ana@phone.example"]))
    laptop.cards.save(MyCard(formatted="Ana Lima", emails=["ana@laptop.example"]))  # onboarding on each device
    both(phone, laptop)
    shown = [[(c.id, c.is_default) for c in store.cards.all()] for store in (phone, laptop)]
    assert shown[0] == shown[1] and [d for _, d in shown[0]] == [True, False]
    assert phone.cards.default().id == laptop.cards.default().id
    cards = phone.cards.all()
    labels = [choice_label(c, cards) for c in cards]
    assert len(set(labels)) == 2 and labels[0].endswith("(default)") and "ana@" in labels[1]


def test_the_same_person_met_on_both_devices_is_named_as_maybe_the_same(pair) -> None:
    phone, laptop, _ = pair
    phone.people.record_scan(Card(formatted="Bob Smith", emails=["bob@smith.example"], phones=["+30 210 555 0101"]))
    laptop.people.record_scan(Card(formatted="Robert Smith", emails=["bob@smith.example"]))
    laptop.people.record_scan(Card(formatted="Lena Park", emails=["lena@park.example"]))
    Sync(phone).run()
    got = Sync(laptop).run()
    assert got.summary() == "1 person from Ana's phone. Bob Smith may be Robert Smith. 4 changes sent."
    assert len(laptop.people.all()) == 3  # nothing is merged without the person
    assert "Robert Smith may be Bob Smith" in Sync(phone).run().summary()


def test_a_clock_a_day_ahead_is_reported_and_order_still_holds(pair, monkeypatch) -> None:
    import networking_app.sync.clock as clock_module

    phone, laptop, _ = pair
    real = clock_module.wall_ms
    monkeypatch.setattr(clock_module, "wall_ms", lambda: real() + 86_400_000)
    scanned = phone.people.record_scan(Card(formatted="Ana Lima", title="CTO", emails=["ana@example.br"]), event_id="")
    Sync(phone).run()
    monkeypatch.setattr(clock_module, "wall_ms", real)
    report = Sync(laptop).run()
    assert any("clock is 24 hours ahead of this one" in p for p in report.problems), report.problems
    contact = laptop.people.get(scanned.contact.id)
    contact.title = "CEO"  # edited on the laptop after it saw the phone's change
    laptop.people.save(contact)
    both(phone, laptop)
    assert phone.people.get(scanned.contact.id).title == laptop.people.get(scanned.contact.id).title == "CEO"


def test_a_read_only_folder_still_brings_changes_in_and_keeps_ours_waiting(pair) -> None:
    import os

    phone, laptop, folder = pair
    phone.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))
    Sync(phone).run()
    laptop.people.add(Card(formatted="Bo Chen", emails=["bo@example.cn"]))
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    os.chmod(folder, 0o500)
    try:
        report = Sync(laptop).run()
    finally:
        os.chmod(folder, 0o700)
    assert any("read-only" in p for p in report.problems)
    assert sorted(c.full_name for c in laptop.people.all()) == ["Ana Lima", "Bo Chen"]
    assert Sync(laptop).status().waiting == 1


def test_old_logs_are_compacted_once_read_and_a_new_device_starts_from_the_snapshot(pair, tmp_path, monkeypatch) -> None:
    import networking_app.sync.engine as engine
    import networking_app.sync.folder as folder_module

    monkeypatch.setattr(folder_module, "SEGMENT_BYTES", 2000)
    monkeypatch.setattr(engine, "COMPACT_AFTER", 4000)
    phone, laptop, folder = pair
    Sync(laptop).run()  # the laptop is known in the folder from now on
    for n in range(40):
        phone.people.record_scan(Card(formatted=f"Person {n} 김", emails=[f"p{n}@example.org"]), event_id="")
    Sync(phone).run()
    own = folder / "devices" / Sync(phone).settings().device
    before = sorted(p.name for p in own.glob("ops-*.log"))
    assert len(before) > 3
    Sync(phone).run()  # the laptop has not read them yet: nothing goes
    assert sorted(p.name for p in own.glob("ops-*.log")) == before
    Sync(laptop).run()
    Sync(laptop).run()  # says what it has seen
    Sync(phone).run()
    after = sorted(p.name for p in own.glob("ops-*.log"))
    assert after == before[-1:] and (own / "snapshot.json.gz").exists()
    phone.people.add(Card(formatted="After the snapshot", emails=["late@example.org"]))
    Sync(phone).run()
    with Store.open(tmp_path / "tablet", daily_backup=False) as tablet:
        Sync(tablet).set_up(folder, "Tablet")
        Sync(tablet).run()
        assert len(tablet.people.all()) == 41
        assert {c.id: c.to_doc() for c in tablet.people.all()} == {c.id: c.to_doc() for c in phone.people.all()}
        assert tablet.tables()["meetings"].keys() and sorted(
            m["id"] for m in tablet.tables()["meetings"].values()) == sorted(m["id"] for m in phone.tables()["meetings"].values())


def test_a_restore_on_one_device_is_offered_to_the_others_as_it_is(pair) -> None:
    phone, laptop, _ = pair
    kept = phone.people.add(Card(formatted="Kept Person", emails=["kept@example.org"]))
    backup = phone.backup(reason="test")
    later = phone.people.add(Card(formatted="Added Later", emails=["later@example.org"]))
    both(phone, laptop)
    assert {c.id for c in laptop.people.all()} == {kept.id, later.id}
    from networking_app.interop import import_bytes

    said = import_bytes(phone, backup.read_bytes(), backup.name, replace=True).describe()
    assert said.endswith("Your other devices get it as it is at their next sync.")  # what a restore means here
    assert Sync(phone).settings().reconcile  # the records changed without being recorded: compare them
    both(phone, laptop)
    for store in (phone, laptop):
        assert [c.full_name for c in store.people.all()] == ["Kept Person"]
    assert not Sync(phone).settings().reconcile


def test_a_backup_holds_no_sync_state_and_restoring_keeps_this_devices_own(pair) -> None:
    from networking_app.backups import decode_backup

    phone, laptop, _ = pair
    phone.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))
    Sync(phone).run()
    device = Sync(phone).settings().device
    tables = decode_backup(phone.backup(reason="test").read_bytes(), "backup")
    assert not [t for t in tables if t.startswith("sync_")]
    assert "sync" not in tables["meta"]["1"]
    phone.restore(phone.backups.list()[0].path)
    assert Sync(phone).settings().device == device  # the same device after its own restore


def twelve_people_in_several_log_files(phone: Store, monkeypatch) -> None:  # noqa: ANN001
    import networking_app.sync.folder as folder_module

    monkeypatch.setattr(folder_module, "SEGMENT_BYTES", 1500)
    for n in range(12):
        phone.people.add(Card(formatted=f"Person {n}", emails=[f"p{n}@example.org"]))
    Sync(phone).run()


def test_a_sync_stopped_between_batches_reads_again_what_was_not_applied(pair, monkeypatch) -> None:
    import networking_app.sync.engine as engine

    phone, laptop, _ = pair
    twelve_people_in_several_log_files(phone, monkeypatch)
    monkeypatch.setattr(engine, "BATCH", 2)
    calls = []
    real = engine.Sync._apply_batch

    def stop_at_the_second(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill between two transactions
        return real(self, *args, **kwargs)

    monkeypatch.setattr(engine.Sync, "_apply_batch", stop_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        Sync(laptop).run()
    assert 0 < len(laptop.people.all()) < 12
    monkeypatch.setattr(engine.Sync, "_apply_batch", real)
    Sync(laptop).run()
    assert sorted(c.full_name for c in laptop.people.all()) == sorted(f"Person {n}" for n in range(12))


def test_a_first_sync_reports_progress_as_it_reads_and_as_it_applies(pair, monkeypatch) -> None:
    import networking_app.sync.engine as engine

    phone, laptop, _ = pair
    twelve_people_in_several_log_files(phone, monkeypatch)
    monkeypatch.setattr(engine, "BATCH", 6)
    seen: list[tuple[int, int, int]] = []  # (done, total, people in the store by then)
    Sync(laptop).run(lambda done, total: seen.append((done, total, len(laptop.people.ids()))))
    total = seen[-1][1]
    assert seen[-1][:2] == (total, total) and total > 0
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)  # never backwards
    assert len({d for d, _, _ in seen}) >= 4  # moves in steps, not only at the end
    assert any(0 < d < total and people == 0 for d, _, people in seen)  # moves while the first ops are read
    assert any(0 < people < 12 for _, _, people in seen)  # and as batches land


def test_what_came_in_is_said_with_thousands_grouped() -> None:
    from networking_app.sync.report import Incoming, SyncReport

    report = SyncReport(sent=1200, incoming={"a": Incoming("Ana's laptop")})
    report.incoming["a"].counts.update({"people": 10_000, "notes": 30_000, "events": 1})
    assert report.summary() == "10,000 people, 30,000 notes and 1 event from Ana's laptop. 1,200 changes sent."


def test_a_sync_with_nothing_new_writes_nothing_and_the_last_sync_survives_local_writes(pair) -> None:
    phone, laptop, folder = pair
    both(phone, laptop)
    own = folder / "devices" / Sync(phone).settings().device
    before = {p.name: p.stat().st_mtime_ns for p in own.iterdir()}
    Sync(phone).run()
    assert {p.name: p.stat().st_mtime_ns for p in own.iterdir()} == before  # nothing rewritten in the folder
    last = Sync(phone).settings().last_sync
    assert last
    phone.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))  # records an operation
    assert Sync(phone).settings().last_sync == last


def test_status_while_a_sync_adds_a_device_folder_lists_each_device_with_its_name(pair, monkeypatch) -> None:
    """Found in the in-process UI test: the Sync section asked for the status while the sync on
    start made this device's folder, and a device listed once but not the other time was a KeyError."""
    from networking_app.sync.folder import SyncFolder

    phone, laptop, folder = pair
    both(phone, laptop)
    real = SyncFolder.devices
    calls: list[int] = []

    def growing(self: SyncFolder):  # noqa: ANN202  # a device folder appears after the first listing
        calls.append(1)
        if len(calls) == 2:
            (self.root / "devices" / "0123456789abcdef").mkdir(exist_ok=True)
        return real(self)

    monkeypatch.setattr(SyncFolder, "devices", growing)
    for _ in range(3):
        status = Sync(laptop).status()
        names = {d.name for d in status.devices}
        assert {"Ana's phone", "Ana's laptop"} <= names
