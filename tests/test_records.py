"""The store's one write path: every write of every record reaches the write listeners, with its documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from networking_app.backups import encode_backup
from networking_app.models import Card, MyCard
from networking_app.store import Store
from networking_app.store.records import ALL_REPLACED, META

TODAY = date(2026, 11, 25)
Write = tuple[str, "dict[str, Any] | None", "dict[str, Any] | None"]


@pytest.fixture
def store(open_store) -> Store:
    s = open_store(today=lambda: TODAY, daily_backup=False)
    s.cards.save(MyCard(given="Ana", family="Lima"))
    return s


def by_id(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    """Every table as {id: document} (meta under its one key), as the store holds it now."""
    return {name: {doc.get("id", key): doc for key, doc in docs.items()} for name, docs in store.tables().items()}


def told(store: Store, change: Callable[[], object]) -> list[Write]:
    """Run ``change`` with a listener; check that replaying what it was told onto the tables as they
    were gives the tables as they are (so nothing was written past it, and every old document was
    the one stored then); return what it was told."""
    writes: list[Write] = []
    store.records.listeners.append(lambda table, old, new, **_: writes.append((table, old, new)))
    before = by_id(store)
    try:
        change()
    finally:
        store.records.listeners.clear()
    replayed = {name: dict(docs) for name, docs in before.items()}
    for table, old, new in writes:
        docs = replayed.setdefault(table, {})
        rid = (new or old or {}).get("id", "1")
        assert docs.get(rid) == old, (table, rid)
        if new is None:
            del docs[rid]
        else:
            docs[rid] = new
    after = by_id(store)
    assert {n: d for n, d in replayed.items() if d} == {n: d for n, d in after.items() if d}
    return writes


def kinds(writes: list[Write]) -> list[tuple[str, str]]:
    """(table, "new" | "changed" | "deleted") of each write, in order."""
    return [(t, "new" if old is None else "deleted" if new is None else "changed") for t, old, new in writes]


def person(name: str, **fields: Any) -> Card:
    given, _, family = name.partition(" ")
    return Card(given=given, family=family, emails=[f"{given.lower()}@example.org"], **fields)


def test_scans_and_notes_and_follow_ups_are_told_with_their_documents(store: Store) -> None:
    assert kinds(told(store, lambda: store.events.start("PyCon"))) == [("meta", "changed"), ("events", "new"),
                                                                       ("meta", "changed")]
    writes = told(store, lambda: store.people.record_scan(person("Bob Stone")))
    assert kinds(writes) == [("contacts", "new"), ("meetings", "new")]
    bob = store.people.find_known(person("Bob Stone"))
    assert writes[0][2]["id"] == bob.id and writes[1][2]["contact_id"] == bob.id
    writes = told(store, lambda: store.people.record_scan(person("Bob Stone", title="CTO")))
    assert kinds(writes) == [("contacts", "changed")]  # merged into Bob, same meeting at the same event
    assert (writes[0][1]["title"], writes[0][2]["title"]) == ("", "CTO")
    [meeting] = store.meetings.of(bob.id)
    writes = told(store, lambda: store.meetings.save_note(meeting.id, need="a contractor", follow_up=TODAY))
    assert kinds(writes) == [("followups", "new"), ("meetings", "changed")]
    assert writes[1][2]["need"] == "a contractor" and writes[1][1]["need"] == ""
    followup = store.followups.for_meeting(meeting.id)
    writes = told(store, lambda: store.followups.snooze(followup.id, 7))
    assert kinds(writes) == [("followups", "changed")] and writes[0][2]["due"] == "2026-12-02"
    writes = told(store, lambda: store.followups.complete(followup.id))
    assert kinds(writes) == [("followups", "changed")] and writes[0][2]["done_at"] and not writes[0][1]["done_at"]
    told(store, lambda: store.followups.reschedule(followup.id, TODAY + timedelta(days=3)))
    assert kinds(told(store, lambda: store.meetings.note_contact(bob.id, help="an intro"))) == [("meetings", "changed")]
    writes = told(store, lambda: store.meetings.save_note(meeting.id, follow_up=None))
    assert kinds(writes) == [("followups", "deleted"), ("meetings", "changed")] and writes[0][1]["id"] == followup.id


def test_people_changes_are_told_merge_delete_and_undo_included(store: Store) -> None:
    bob = store.people.record_scan(person("Bob Stone", offers="Python mentoring"), event_id="")
    rob = store.people.record_scan(Card(given="Rob", family="Stone", emails=["rob@x.org"]), event_id="")
    cy = store.people.record_scan(person("Cy Young", seeking="a Python mentor"), event_id="")
    store.meetings.save_note(rob.meeting.id, promise="send the deck", follow_up=TODAY)
    writes = told(store, lambda: store.people.set_tags(bob.contact.id, ["friend", " Friend ", "x" * 50]))
    assert writes[0][2]["tags"] == ["friend", "x" * 40]
    contact = store.people.get(cy.contact.id)
    contact.title = "Founder"
    assert kinds(told(store, lambda: store.people.save(contact))) == [("contacts", "changed")]
    assert kinds(told(store, lambda: store.people.add(Card(given="Dee"), tags=["new"]))) == [("contacts", "new")]
    [suggestion] = store.intros.suggest()
    assert kinds(told(store, lambda: store.intros.draft(suggestion, me="Ana"))) == [("intros", "new")]
    writes = told(store, lambda: store.people.merge(bob.contact.id, rob.contact.id))
    assert sorted(kinds(writes)) == sorted([("meetings", "changed"), ("followups", "changed"),
                                            ("contacts", "deleted"), ("contacts", "changed")])
    assert [w[2]["contact_id"] for w in writes if w[0] in ("meetings", "followups")] == [bob.contact.id] * 2
    deleted: list[Any] = []
    writes = told(store, lambda: deleted.append(store.people.delete(cy.contact.id)))
    assert sorted(kinds(writes)) == sorted([("meetings", "deleted"), ("intros", "deleted"), ("contacts", "deleted")])
    writes = told(store, lambda: store.people.undo_delete(deleted[0]))
    assert sorted(kinds(writes)) == sorted([("contacts", "new"), ("meetings", "new"), ("intros", "new")])


def test_events_cards_intros_and_imports_are_told(store: Store) -> None:
    first = store.events.start("Meetup")
    assert kinds(told(store, store.events.end)) == [("meta", "changed"), ("events", "changed")]
    writes = told(store, lambda: store.events.save_reflection(first.id, went_well="met Bob", comfort=4, help_first=""))
    assert kinds(writes) == [("events", "changed")] and writes[0][2]["comfort"] == 4 and writes[0][1]["comfort"] == 0
    store.events.start("PyCon")
    assert kinds(told(store, lambda: store.events.switch(first.id))) == [("meta", "changed"), ("events", "changed"),
                                                                          ("events", "changed"), ("meta", "changed")]
    event = store.events.get(first.id)
    event.place = "Berlin"
    assert kinds(told(store, lambda: store.events.save(event))) == [("events", "changed")]
    work = MyCard(given="Ana", family="Lima", label="Work", is_default=True)
    assert kinds(told(store, lambda: store.cards.save(work))) == [("cards", "changed"), ("cards", "new")]
    assert kinds(told(store, lambda: store.cards.delete(work.id))) == [("cards", "deleted"), ("cards", "changed")]
    store.people.record_scan(person("Bob Stone", offers="seed funding"), event_id="")
    store.people.record_scan(person("Cy Young", seeking="seed funding for a pilot"), event_id="")
    [suggestion] = store.intros.suggest()
    writes = told(store, lambda: store.intros.dismiss(suggestion))
    assert kinds(writes) == [("intros", "new")] and writes[0][2]["status"] == "dismissed"
    intro = store.intros.draft(suggestion)
    assert kinds(told(store, lambda: store.intros.delete(intro.id))) == [("intros", "deleted")]
    writes = told(store, lambda: store.people.import_cards([person("Dee Dee"), person("Bob Stone", title="VC")]))
    assert kinds(writes) == [("contacts", "new"), ("contacts", "changed")]


def test_a_restore_tells_that_everything_was_replaced(store: Store) -> None:
    store.people.record_scan(person("Bob Stone"), event_id="")
    backup = encode_backup(store.tables())
    writes: list[Write] = []
    store.records.listeners.append(lambda table, old, new, **_: writes.append((table, old, new)))
    store.restore_bytes(backup)
    assert writes == [(ALL_REPLACED, None, None)]


def test_a_listener_that_raises_dooms_the_write(store: Store) -> None:
    def refuse(table: str, old: object, new: object) -> None:
        if table == "meetings":
            raise RuntimeError("not now")

    store.records.listeners.append(refuse)
    with pytest.raises(RuntimeError):
        store.people.record_scan(person("Bob Stone"), event_id="")
    store.records.listeners.clear()
    assert store.people.all() == [] and store.tables().get("meetings", {}) == {}
    assert store.records.meta()["schema"] and META in store.tables()
