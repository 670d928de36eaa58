"""The store's domain rules: who is who, events, notes, follow-ups, search, deletion, schema, backups."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from networking_app.backups import Backups
from networking_app.errors import ImportFormatError, NotFoundError, SchemaTooNewError
from networking_app.migrations import SCHEMA_VERSION, migrate, schema_of
from networking_app.models import Card, MyCard
from networking_app.store import Store

TODAY = date(2026, 11, 25)


@pytest.fixture
def store(open_store) -> Store:
    return open_store(today=lambda: TODAY)


def ada(**extra) -> Card:
    fields = dict(given="Ada", family="Lovelace", organization="Analytical Engines", emails=["ada@example.org"])
    fields.update(extra)
    return Card(**fields)


# -- who is who ------------------------------------------------------------------------------
def test_scanning_the_same_person_twice_adds_a_meeting_not_a_contact(store: Store) -> None:
    first_event = store.events.start("PyCon")
    first = store.people.record_scan(ada())
    store.events.start("EuroSciPy")
    second = store.people.record_scan(ada(emails=["ADA@Example.org"]))
    assert second.contact.id == first.contact.id
    assert not second.is_new_contact and second.is_new_meeting
    assert len(store.people.all()) == 1
    assert [m.event_id for m in store.meetings.of(first.contact.id)][-1] == first_event.id
    assert len(store.meetings.of(first.contact.id)) == 2


def test_scanning_someone_twice_at_the_same_event_keeps_one_meeting(store: Store) -> None:
    store.events.start("PyCon")
    first = store.people.record_scan(ada())
    again = store.people.record_scan(ada())
    assert again.meeting.id == first.meeting.id and not again.is_new_meeting


def test_the_same_phone_written_differently_is_the_same_person(store: Store) -> None:
    first = store.people.record_scan(Card(given="Bo", phones=["+44 20 7946 0001"]), event_id="")
    again = store.people.record_scan(Card(given="Bo Diddley", phones=["020-7946-0001"]), event_id="")
    assert again.contact.id == first.contact.id


def test_the_same_name_and_organisation_without_email_or_phone_is_saved_apart_as_a_possible_duplicate(
        store: Store) -> None:
    first = store.people.record_scan(Card(given="Zoë", family="Ångström", organization="Lund Uni"), event_id="")
    again = store.people.record_scan(Card(given="zoe", family="angstrom", organization="LUND  UNI", title="PhD"), event_id="")
    assert again.is_new_contact and again.contact.id != first.contact.id
    assert [(m.contact.id, m.reason) for m in again.possible] == [
        (first.contact.id, "the same name at the same organisation, but no email address or phone number in common")]
    confirmed = store.people.record_scan(Card(given="Zoë", family="Ångström"), event_id="", same_as=first.contact.id)
    assert confirmed.contact.id == first.contact.id and not confirmed.is_new_contact  # "Same person"


def test_a_changed_field_is_merged_and_the_old_value_kept_in_history(store: Store) -> None:
    store.people.record_scan(ada(title="Analyst"), event_id="")
    result = store.people.record_scan(ada(title="Chief Analyst", phones=["+44 1"]), event_id="")
    contact = store.people.get(result.contact.id)
    assert contact.title == "Chief Analyst"
    assert {"field": "title", "value": "Analyst"}.items() <= contact.history[0].items()
    described = [c.describe() for c in result.changes]
    assert any("title changed from “Analyst” to “Chief Analyst”" in d for d in described)
    assert contact.emails == ["ada@example.org"] and contact.phones == ["+44 1"]


def test_an_empty_field_on_a_new_card_does_not_erase_what_is_known(store: Store) -> None:
    store.people.record_scan(ada(title="Analyst", offers="maths tutoring"), event_id="")
    result = store.people.record_scan(ada(), event_id="")
    assert result.changes == []
    assert store.people.get(result.contact.id).offers == "maths tutoring"


# -- events -------------------------------------------------------------------------------------
def test_a_scan_goes_to_the_running_event_or_to_no_event(store: Store) -> None:
    outside = store.people.record_scan(Card(given="Before", emails=["b@x.org"]))
    assert outside.meeting.event_id == ""
    event = store.events.start("Meetup", place="Berlin", intention="meet 3, help 1")
    inside = store.people.record_scan(ada())
    assert inside.meeting.event_id == event.id
    assert store.events.current().name == "Meetup"
    ended = store.events.end()
    assert ended.id == event.id and not store.events.current()
    assert store.people.record_scan(Card(given="After", emails=["a@x.org"])).meeting.event_id == ""


def test_starting_an_event_ends_the_running_one_and_switching_reopens_it(store: Store) -> None:
    first = store.events.start("Morning")
    second = store.events.start("Evening")
    assert store.events.get(first.id).ended_at and store.events.current().id == second.id
    store.events.switch(first.id)
    assert store.events.current().id == first.id
    assert store.events.get(second.id).ended_at
    assert store.events.find("morning").id == first.id
    with pytest.raises(NotFoundError, match="No event is called “Lunch”"):
        store.events.find("Lunch")


def test_the_people_of_an_event_are_listed_with_their_note_state(store: Store) -> None:
    event = store.events.start("PyCon")
    a = store.people.record_scan(ada())
    store.people.record_scan(Card(given="Bob", emails=["bob@x.org"]))
    store.meetings.save_note(a.meeting.id, need="a co-founder")
    meetings = store.meetings.at(event.id)
    assert [(store.people.get(m.contact_id).given, m.has_note) for m in meetings] == [("Ada", True), ("Bob", False)]
    assert {c.given for c in store.people.all(event_id=event.id)} == {"Ada", "Bob"}


# -- notes and follow-ups -------------------------------------------------------------------------------
def test_a_note_with_a_follow_up_date_creates_one_follow_up_which_none_removes(store: Store) -> None:
    meeting = store.people.record_scan(ada(), event_id="").meeting
    store.meetings.save_note(meeting.id, need="funding", help="intro to Grace", follow_up=TODAY + timedelta(days=1))
    store.meetings.save_note(meeting.id, follow_up=None)
    assert store.followups.all() == []
    store.meetings.save_note(meeting.id, promise="send deck", follow_up=TODAY + timedelta(days=1))
    [followup] = store.followups.all()
    assert followup.due == "2026-11-26" and followup.meeting_id == meeting.id
    store.meetings.save_note(meeting.id, promise="send the deck", follow_up=TODAY + timedelta(days=3))
    assert [f.due for f in store.followups.all()] == ["2026-11-28"]  # moved, not duplicated
    store.meetings.save_note(meeting.id, need="seed funding")  # follow-up untouched when not given
    assert [f.due for f in store.followups.all()] == ["2026-11-28"]
    store.meetings.save_note(meeting.id, follow_up=None)  # a promise loses its date, never its place in the queue
    [undated] = store.followups.all()
    assert undated.due == "" and undated.id == followup.id
    store.meetings.save_note(meeting.id, promise="", follow_up=None)
    assert store.followups.all() == []
    saved = store.meetings.get(meeting.id)
    assert (saved.need, saved.help, saved.promise, saved.has_note) == ("seed funding", "intro to Grace", "", True)


def test_a_promise_without_a_date_waits_at_the_top_of_the_queue_until_done(store: Store) -> None:
    early = store.people.record_scan(Card(given="Early", emails=["early@x.org"]), event_id="").meeting
    store.meetings.save_note(early.id, help="advice", follow_up=TODAY - timedelta(days=2))
    meeting = store.people.record_scan(ada(), event_id="").meeting
    store.meetings.save_note(meeting.id, promise="send the deck")  # no date given at all
    queue = store.followups.queue()
    assert [(i.bucket, i.contact.given, i.due, i.is_promise) for i in queue] == [
        ("no date", "Ada", "", True), ("overdue", "Early", "2026-11-23", False)]
    store.followups.complete(queue[0].followup.id)
    store.meetings.save_note(meeting.id, need="a designer")  # editing the note does not bring a kept promise back
    assert [i.contact.given for i in store.followups.queue()] == ["Early"]
    store.meetings.save_note(meeting.id, promise="introduce Grace", follow_up=None)  # a new promise does
    assert [(i.bucket, i.what) for i in store.followups.queue()][0] == ("no date", "introduce Grace")
    snoozed = store.followups.snooze(store.followups.queue()[0].followup.id, 1)
    assert snoozed.due == "2026-11-26"


def test_clearing_a_promise_takes_its_undated_follow_up_away_and_keeps_a_dated_one(store: Store) -> None:
    zoe = store.people.record_scan(Card(formatted="Zoë Ångström", emails=["zoe@example.se"]), event_id="").meeting
    store.meetings.save_note(zoe.id, promise="send the deck")
    store.meetings.save_note(zoe.id, promise="")
    assert store.followups.queue(suggestions=False) == [] and store.followups.for_meeting(zoe.id) is None
    wei = store.people.record_scan(Card(formatted="王伟", emails=["wei@example.cn"]), event_id="").meeting
    store.meetings.save_note(wei.id, promise="intro to a designer", follow_up=TODAY + timedelta(days=3))
    store.meetings.save_note(wei.id, promise="")
    assert [(i.contact.full_name, i.due) for i in store.followups.queue(suggestions=False)] == [("王伟", "2026-11-28")]


def test_the_queue_puts_overdue_first_and_promises_first_within_a_bucket(store: Store) -> None:
    def person(name: str, due_in: int, promise: str = "", help: str = "") -> None:
        meeting = store.people.record_scan(Card(given=name, emails=[f"{name}@x.org"]), event_id="").meeting
        store.meetings.save_note(meeting.id, promise=promise, help=help, follow_up=TODAY + timedelta(days=due_in))

    person("later", 30, promise="book")
    person("weekhelp", 3, help="feedback")
    person("weekpromise", 5, promise="intro")
    person("today", 0, help="call")
    person("overduehelp", -2, help="advice")
    person("overduepromise", -1, promise="deck")
    event = store.events.start("Past")
    store.people.record_scan(Card(given="quiet", emails=["quiet@x.org"]))
    store.events.end()
    queue = store.followups.queue()
    assert [(i.bucket, i.contact.given) for i in queue] == [
        ("overdue", "overduepromise"), ("overdue", "overduehelp"), ("today", "today"),
        ("this week", "weekpromise"), ("this week", "weekhelp"), ("later", "later"), ("suggested", "quiet"),
    ]
    assert queue[-1].event.id == event.id and queue[-1].followup is None
    assert [i.contact.given for i in store.followups.queue(limit=2)] == ["overduepromise", "overduehelp"]


def test_done_snooze_and_reschedule_move_a_follow_up(store: Store) -> None:
    meeting = store.people.record_scan(ada(), event_id="").meeting
    store.meetings.save_note(meeting.id, promise="deck", follow_up=TODAY - timedelta(days=3))
    [f] = store.followups.all()
    assert store.followups.snooze(f.id, 1).due == "2026-11-26"  # from today, not from the past due date
    assert store.followups.snooze(f.id, 7).due == "2026-12-03"
    assert store.followups.reschedule(f.id, date(2027, 1, 5)).due == "2027-01-05"
    store.followups.complete(f.id)
    assert store.followups.all() == [] and store.followups.all(include_done=True)[0].is_done


# -- search ----------------------------------------------------------------------------------------------
def test_search_ignores_case_and_accents_and_looks_in_my_notes(store: Store) -> None:
    zoe = store.people.record_scan(Card(given="Zoë", family="Ångström", organization="München Labs", emails=["z@x.org"]), event_id="")
    store.people.record_scan(ada(offers="maths tutoring"), event_id="")
    store.meetings.save_note(zoe.meeting.id, need="a Rust mentor")
    assert [c.given for c in store.people.all(query="zoe")] == ["Zoë"]
    assert [c.given for c in store.people.all(query="MUNCHEN rust")] == ["Zoë"]  # terms across card and note
    assert [c.given for c in store.people.all(query="tutoring")] == ["Ada"]
    assert store.people.all(query="zoe tutoring") == []
    store.meetings.save_note(zoe.meeting.id, need="a Go mentor")  # the index follows edits
    assert store.people.all(query="rust") == []


def test_search_ignores_apostrophes_in_names(store: Store) -> None:
    sean = store.people.record_scan(Card(given="Seán", family="O’Brien", emails=["sean@x.org"]), event_id="").contact
    for query in ("obrien", "O'Brien", "o’brien", "brien", "sean o"):
        assert [c.id for c in store.people.all(query=query)] == [sean.id], query


def test_search_finds_phone_numbers_written_any_way_and_names_as_shown(store: Store) -> None:
    nikos = store.people.record_scan(Card(formatted="Νίκος Παπαδόπουλος", phones=["+30 210 555 0101"]), event_id="").contact
    fang = store.people.record_scan(Card(given="芳", family="王", emails=["fang@example.cn"]), event_id="").contact
    for query in ("+30 210", "2105550101", "+302105550101", "555 0101"):
        assert [c.id for c in store.people.all(query=query)] == [nikos.id], query
    assert [c.id for c in store.people.all(query="王芳")] == [fang.id]  # as shown, though held as 芳 and 王


def test_contacts_filter_by_tag_and_sort_by_last_met(store: Store) -> None:
    old = store.people.record_scan(ada(), event_id="", met_at="2026-01-01T10:00:00+00:00").contact
    new = store.people.record_scan(Card(given="Bob", emails=["bob@x.org"]), event_id="", met_at="2026-11-01T10:00:00+00:00").contact
    assert [c.id for c in store.people.all()] == [new.id, old.id]
    old.tags = ["Investor"]
    store.people.save(old)
    assert [c.id for c in store.people.all(tag="investor")] == [old.id]
    store.people.record_scan(ada(), event_id="", met_at="2026-11-20T10:00:00+00:00")  # met Ada again: she comes first
    assert [c.id for c in store.people.all()] == [old.id, new.id]


# -- deletion ----------------------------------------------------------------------------------------------
def test_a_deleted_person_is_gone_from_every_file_and_later_backups_and_undo_brings_them_back(store: Store) -> None:
    keep = store.people.record_scan(Card(given="Keep", emails=["keep@x.org"]), event_id="")
    gone = store.people.record_scan(Card(given="Gone", emails=["gone-person@x.org"]), event_id="")
    store.meetings.save_note(gone.meeting.id, promise="intro", follow_up=TODAY)
    deleted = store.people.delete(gone.contact.id)
    folder = store.folder
    for path in folder.glob("mutual.*"):
        assert b"gone-person" not in path.read_bytes(), path
    assert b"gone-person" not in store.backup().read_bytes()
    assert store.followups.all() == [] and [c.id for c in store.people.all()] == [keep.contact.id]
    store.people.undo_delete(deleted)
    assert {c.given for c in store.people.all()} == {"Keep", "Gone"}
    assert store.followups.all()[0].contact_id == gone.contact.id


def test_deleting_a_person_deletes_the_introductions_naming_them_and_undo_brings_them_back(store: Store) -> None:
    store.people.record_scan(Card(given="Bob", emails=["bob@x.org"], offers="Python mentoring"), event_id="")
    cy = store.people.record_scan(Card(given="Cy", emails=["cy@x.org"], seeking="a Python mentor"), event_id="")
    [suggestion] = store.intros.suggest()
    intro = store.intros.draft(suggestion)
    deleted = store.people.delete(cy.contact.id)
    assert store.intros.drafts() == [] and store.counts()["intros"] == 0
    store.people.undo_delete(deleted)
    assert [i.id for i in store.intros.drafts()] == [intro.id] and store.intros.suggest() == []


# -- my cards -------------------------------------------------------------------------------------------------
def test_my_first_card_is_the_default_and_one_default_at_a_time(store: Store) -> None:
    work = store.cards.save(MyCard(given="Me", label="Work"))
    assert store.cards.default().id == work.id
    job = store.cards.save(MyCard(given="Me", label="Job search", is_default=True))
    assert [(c.label, c.is_default) for c in store.cards.all()] == [("Job search", True), ("Work", False)]
    store.cards.delete(job.id)
    assert store.cards.default().id == work.id and store.cards.default().is_default


# -- schema, backups, restore ------------------------------------------------------------------------------------
def test_a_store_from_a_newer_mutual_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "mutual.json").write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}))
    before = (tmp_path / "mutual.json").read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer Mutual"):
        Store.open(tmp_path)
    assert (tmp_path / "mutual.json").read_bytes() == before


def test_an_unversioned_store_is_backed_up_then_migrated(tmp_path: Path) -> None:
    (tmp_path / "mutual.json").write_text(json.dumps({"contacts": {"1": {"id": "c1", "given": "Old", "emails": []}}}))
    with Store.open(tmp_path) as store:
        assert [c.given for c in store.people.all()] == ["Old"]
    assert schema_of(json.loads((tmp_path / "mutual.json").read_text())) == SCHEMA_VERSION
    [backup] = [b for b in Backups(tmp_path / "backups").list() if "before-schema" in b.path.name]
    assert b'"Old"' in backup.path.read_bytes()


def test_migrations_run_in_order_from_the_stored_version() -> None:
    seen: list[int] = []
    steps = {v: (lambda t, v=v: seen.append(v)) for v in range(5)}
    tables = {"meta": {"1": {"schema": 2}}}
    assert migrate(tables, target=5, steps=steps) == [2, 3, 4]
    assert seen == [2, 3, 4] and schema_of(tables) == 5
    with pytest.raises(LookupError):
        migrate({"meta": {"1": {"schema": 1}}}, target=3, steps={2: lambda t: None})


def test_restore_into_an_empty_store_gives_back_exactly_what_was_backed_up(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a", today=lambda: TODAY) as source:
        source.cards.save(MyCard(given="Me", offers="intros"))
        source.events.start("PyCon")
        meeting = source.people.record_scan(ada()).meeting
        source.meetings.save_note(meeting.id, need="x", follow_up=TODAY)
        backup = source.backup()
        expected = source._storage.materialize()
    with Store.open(tmp_path / "b") as target:
        target.restore(backup)
        assert target._storage.materialize() == expected
        assert target.events.current().name == "PyCon"
        target.people.record_scan(Card(given="New", emails=["new@x.org"]))  # ids keep working after restore


def test_restore_refuses_a_damaged_or_newer_backup_and_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.people.record_scan(ada(), event_id="")
        good = store.backup().read_bytes()
        damaged = tmp_path / "damaged.json"
        damaged.write_bytes(good.replace(b"Lovelace", b"Lovelack"))
        newer = tmp_path / "newer.json"
        envelope = json.loads(good)
        envelope["schema"] = SCHEMA_VERSION + 1
        newer.write_text(json.dumps(envelope))
        with pytest.raises(ImportFormatError, match="checksum"):
            store.restore(damaged)
        with pytest.raises(SchemaTooNewError, match="newer Mutual"):
            store.restore(newer)
        truncated = tmp_path / "truncated.json"
        truncated.write_bytes(good[: len(good) // 2])
        with pytest.raises(ImportFormatError, match="not valid JSON"):
            store.restore(truncated)
        assert [c.family for c in store.people.all()] == ["Lovelace"]


def test_importing_cards_dedupes_like_scans_and_commits_all_at_once(store: Store) -> None:
    store.people.record_scan(ada(title="Analyst"), event_id="")
    cards = [ada(title="Chief Analyst"), Card(given="Bob", emails=["bob@x.org"]), Card(given="Bob", emails=["BOB@x.org"]),
             ada(title="Chief Analyst")]
    result = store.people.import_cards(cards, tags=["imported"])
    assert (result.added, result.merged, result.unchanged) == (1, 1, 2)
    assert len(set(result.contact_ids)) == 2 and len(store.people.all()) == 2
    bob = store.people.find_known(Card(emails=["bob@x.org"]))
    assert bob.source == "import" and bob.tags == ["imported"]
    assert store.people.get(result.contact_ids[0]).title == "Chief Analyst"


def test_a_failing_import_leaves_nothing_behind(store: Store) -> None:
    def cards():
        yield Card(given="First", emails=["first@x.org"])
        raise ValueError("the file broke off here")

    with pytest.raises(ValueError):
        store.people.import_cards(cards())
    assert store.people.all() == []


def test_an_import_over_the_card_limit_is_refused_whole(store: Store, monkeypatch) -> None:
    import networking_app.store.people as store_module

    monkeypatch.setattr(store_module, "MAX_IMPORT_CARDS", 3)
    cards = [Card(given=f"P{i}", emails=[f"p{i}@x.org"]) for i in range(4)]
    with pytest.raises(ImportFormatError, match="more than 3 cards"):
        store.people.import_cards(cards)
    assert store.people.all() == []


def test_people_i_never_met_sort_after_people_i_met(store: Store) -> None:
    met = store.people.record_scan(ada(), event_id="", met_at="2026-01-01T10:00:00+00:00").contact
    imported = store.people.import_cards([Card(given="Imported", emails=["imported@x.org"])]).contact_ids[0]
    assert [c.id for c in store.people.all()] == [met.id, imported]  # an import is newer, but I never met them
