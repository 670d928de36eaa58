"""After the event: reflection and trend, follow-up drafts, tags, merging, introductions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from networking_app.followups import draft_message
from networking_app.models import Card, MyCard
from networking_app.reflection import describe_trend
from networking_app.store import Store

TODAY = date(2026, 11, 25)


@pytest.fixture
def store(open_store) -> Store:
    s = open_store(today=lambda: TODAY, daily_backup=False)
    s.cards.save(MyCard(given="Ana", family="Lima"))
    return s


def person(name: str, **fields: str) -> Card:
    given, _, family = name.partition(" ")
    return Card(given=given, family=family, emails=[f"{given.lower()}@example.org"], **fields)


def test_the_event_to_reflect_on_is_the_one_just_ended_and_its_inbox_lists_missing_notes(store: Store) -> None:
    store.events.start("Old")
    store.events.end()
    event = store.events.start("PyCon")
    done = store.people.record_scan(person("Bob Stone")).meeting
    store.people.record_scan(person("Cy Camera"))
    store.meetings.save_note(done.id, need="a contractor")
    store.events.end()
    assert store.events.to_reflect().id == event.id
    assert [store.people.get(m.contact_id).given for m in store.meetings.notes_inbox(event.id)] == ["Cy"]


def test_a_reflection_is_saved_with_the_event_and_feeds_the_trend(store: Store) -> None:
    first = store.events.start("Meetup", day="2026-10-01")
    store.people.record_scan(person("Bob Stone"))
    store.events.end()
    store.events.save_reflection(first.id, went_well="one good chat", comfort=2, help_first="Bob")
    second = store.events.start("PyCon", day="2026-11-20")
    for name in ("Cy Camera", "Dee Dot", "Eve Ever"):
        meeting = store.people.record_scan(person(name)).meeting
        store.meetings.save_note(meeting.id, help="an intro")
    store.events.end()
    store.events.save_reflection(second.id, went_well="helped three people", comfort=4, help_first="Dee, with an intro")
    saved = store.events.get(second.id)
    assert (saved.went_well, saved.comfort, saved.help_first) == ("helped three people", 4, "Dee, with an intro")
    trend = store.events.trend()
    assert [(p.name, p.met, p.helped, p.comfort) for p in trend] == [("Meetup", 1, 0, 2), ("PyCon", 3, 3, 4)]
    assert describe_trend(trend) == ("Over your last 2 events: comfort from 2/5 to 4/5; people met per event went "
                                     "from 1 to 3; help offered from 0 to 3.")
    with pytest.raises(ValueError):
        store.events.save_reflection(second.id, went_well="", comfort=9, help_first="")


def test_a_follow_up_draft_leads_with_how_i_can_help_and_opens_as_a_mailto_link(store: Store) -> None:
    event = store.events.start("PyCon")
    meeting = store.people.record_scan(person("Bob Stone")).meeting
    store.meetings.save_note(meeting.id, need="A Python contractor", help="intro to Grace, who freelances",
                    promise="send Grace's email", follow_up=TODAY)
    [item] = store.followups.queue()
    draft = draft_message(item, me="Ana")
    lines = draft.body.splitlines()
    assert lines[0] == "Hi Bob," and "at PyCon" in draft.body and item.event.id == event.id
    assert "You mentioned you are looking for a Python contractor." in draft.body  # their words, to them
    assert draft.body.index("I'd be glad to help with that.") < draft.body.index("As promised, I'm getting back to you.")
    assert "Grace" not in draft.body and "freelances" not in draft.body  # my notes to myself stay mine
    assert draft.subject == "Following up at PyCon"
    link = urlsplit(draft.mailto())
    assert link.scheme == "mailto" and link.path == "bob@example.org"
    assert parse_qs(link.query)["body"][0] == draft.body


def test_tags_are_kept_once_each_and_filter_people(store: Store) -> None:
    bob = store.people.record_scan(person("Bob Stone"), event_id="").contact
    store.people.record_scan(person("Cy Camera"), event_id="")
    store.people.set_tags(bob.id, ["Investor", "investor ", "  Berlin  ", ""])
    assert store.people.get(bob.id).tags == ["Investor", "Berlin"]
    assert [c.given for c in store.people.all(tag="INVESTOR")] == ["Bob"]
    assert store.people.all_tags() == ["Berlin", "Investor"]
    cy = store.people.all(query="cy")[0]
    store.people.set_tags(cy.id, ["Berlin"])
    assert store.people.all_tags() == ["Berlin", "Investor"]  # the most used first
    store.people.set_tags(bob.id, ["Berlin"])
    assert store.people.all_tags() == ["Berlin"]  # a tag nobody carries is gone
    store.people.delete(cy.id)
    store.people.delete(bob.id)
    assert store.people.all_tags() == []


@pytest.mark.on_disk  # reads the snapshot file
def test_merging_two_records_keeps_every_meeting_note_and_follow_up(store: Store) -> None:
    store.events.start("PyCon")
    a = store.people.record_scan(Card(given="Robert", family="Stone", emails=["bob@work.example"], title="CTO"))
    store.events.start("Meetup")
    b = store.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@home.example"], title="Founder", offers="hardware"))
    store.meetings.save_note(b.meeting.id, promise="send the deck", follow_up=TODAY)
    store.people.set_tags(b.contact.id, ["friend"])
    merged = store.people.merge(a.contact.id, b.contact.id)
    assert [c.id for c in store.people.all()] == [a.contact.id]
    assert merged.emails == ["bob@work.example", "bob@home.example"]
    assert (merged.title, merged.offers, merged.tags) == ("CTO", "hardware", ["friend"])
    assert {"field": "title", "value": "Founder"}.items() <= merged.history[-1].items()
    assert len(store.meetings.of(a.contact.id)) == 2
    [followup] = store.followups.all()
    assert followup.contact_id == a.contact.id
    assert store.people.find_known(Card(emails=["bob@home.example"])).id == a.contact.id
    snapshot = json.loads((store.folder / "mutual.json").read_text())
    assert [d["id"] for d in snapshot["contacts"].values()] == [a.contact.id]  # folded: the other record is gone
    assert not (store.folder / "mutual.journal").exists()  # folded away: nothing of the merged record is left


def test_a_draft_never_says_help_with_that_when_no_need_was_noted(store: Store) -> None:
    """Found by a new-user run: a one-tap introduction fills "How I can help" and the promise but
    not "What they need"; the draft then said "I'd be glad to help with that." after nothing."""
    store.events.start("PyCon")
    meeting = store.people.record_scan(person("ليلى حداد")).meeting
    store.meetings.save_note(meeting.id, help="Intro to Leila Haddad (usability studies)", follow_up=TODAY)
    body = draft_message(store.followups.queue()[0], me="Ana").body
    assert "help with that" not in body and "I'd be glad to help." in body
    store.meetings.save_note(meeting.id, promise="Introduce them to Leila")
    body = draft_message(store.followups.queue()[0], me="Ana").body
    assert "help with that" not in body and "As promised, I'm getting back to you." in body


def test_introductions_come_from_offers_seeking_and_my_notes_and_can_be_drafted_or_dismissed(store: Store) -> None:
    chiara = store.people.record_scan(person("Chiara Rossi", seeking="a UX designer"), event_id="")
    store.meetings.save_note(chiara.meeting.id, need="seed funding for the battery pilot")
    dev = store.people.record_scan(person("Dev Patel", offers="seed rounds, early-stage investment"), event_id="").contact
    elena = store.people.record_scan(person("Elena García", offers="UX design and user research"), event_id="").contact
    store.people.record_scan(person("Quiet Person"), event_id="")
    pairs = {frozenset((s.seeker_id, s.helper_id)): s for s in store.intros.suggest()}
    assert set(pairs) == {frozenset((chiara.contact.id, dev.id)), frozenset((chiara.contact.id, elena.id))}
    funding = pairs[frozenset((chiara.contact.id, dev.id))]
    assert funding.seeker_id == chiara.contact.id and "seed" in [w.lower() for w in funding.reasons]
    intro = store.intros.draft(funding, me="Ana")
    assert "Dev Patel" in intro.to_seeker and "Chiara Rossi" in intro.to_helper
    assert "both say yes" in intro.to_seeker
    store.intros.dismiss(pairs[frozenset((chiara.contact.id, elena.id))])
    assert store.intros.suggest() == []  # drafted and dismissed pairs do not come back
    assert [i.id for i in store.intros.drafts()] == [intro.id]


def test_merging_two_records_moves_their_introductions_to_the_kept_one(store: Store) -> None:
    from networking_app.intros import Suggestion

    old = store.people.record_scan(person("Chiara Rossi", seeking="a UX designer"), event_id="")
    store.meetings.save_note(old.meeting.id, need="seed funding for the battery pilot")
    dev = store.people.record_scan(person("Dev Patel", offers="seed rounds, early-stage investment"), event_id="").contact
    elena = store.people.record_scan(person("Elena García", offers="UX design and user research"), event_id="").contact
    pairs = {frozenset((s.seeker_id, s.helper_id)): s for s in store.intros.suggest()}
    drafted = store.intros.draft(pairs[frozenset((old.contact.id, dev.id))], me="Ana")
    store.intros.dismiss(pairs[frozenset((old.contact.id, elena.id))])
    new_job = Card(given="Chiara", family="Rossi", organization="Battery Co", emails=["c@battery.example"],
                   seeking="a UX designer")
    new = store.people.record_scan(new_job, event_id="").contact  # a second record: another email and organisation
    store.intros.dismiss(Suggestion(old.contact.id, new.id, 1.0, ("designer",)))  # once suggested to herself
    assert {s.pair for s in store.intros.suggest()} == {frozenset((new.id, elena.id))}
    store.people.merge(new.id, old.contact.id)
    assert store.intros.suggest() == []  # the drafted and the dismissed pair follow her
    [intro] = store.intros.drafts()
    assert (intro.id, intro.seeker_id, intro.helper_id) == (drafted.id, new.id, dev.id)
    assert store.counts()["intros"] == 2  # the pair of her two records is gone with one of them


def test_an_organisation_without_a_person_is_named_by_it_in_introductions(store: Store) -> None:
    chiara = store.people.record_scan(person("Chiara Rossi"), event_id="")
    store.meetings.save_note(chiara.meeting.id, need="seed funding for the battery pilot")
    store.people.record_scan(Card(organization="Acme Ventures", offers="seed rounds, early-stage investment"), event_id="")
    assert {p.name for p in store.intros.profiles()} == {"Chiara Rossi", "Acme Ventures"}
    [suggestion] = store.intros.suggest()
    assert "Acme Ventures" in store.intros.draft(suggestion, me="Ana").to_seeker


def test_the_fast_bucket_index_agrees_with_bucket_of() -> None:
    from networking_app.followups import BUCKETS, bucket_index, bucket_of

    today = date(2026, 11, 25)
    index = bucket_index(today)
    for offset in range(-10, 12):
        due = date.fromordinal(today.toordinal() + offset).isoformat()
        assert BUCKETS[index(due)] == bucket_of(due, today), due
    assert BUCKETS[index("")] == bucket_of("", today) == "no date"


def test_the_queue_follows_every_change_and_the_calendar_though_its_order_is_cached(tmp_path: Path) -> None:
    from datetime import timedelta

    day = [TODAY]
    with Store.open(tmp_path / "data", today=lambda: day[0], daily_backup=False) as store:
        store.events.start("PyCon")
        bob = store.people.record_scan(person("Bob Stone")).meeting
        cy = store.people.record_scan(person("Cy Young")).meeting
        store.meetings.save_note(bob.id, help="intro to Grace", follow_up=TODAY + timedelta(days=3))
        store.meetings.save_note(cy.id, help="a call", follow_up=TODAY + timedelta(days=2))
        assert [i.contact.display_name for i in store.followups.queue(suggestions=False)] == ["Cy Young", "Bob Stone"]
        store.meetings.save_note(bob.id, promise="send Grace's email", follow_up=TODAY + timedelta(days=3))
        assert [i.contact.display_name for i in store.followups.queue(suggestions=False)] == ["Bob Stone", "Cy Young"]
        assert [i.bucket for i in store.followups.queue(suggestions=False)] == ["this week", "this week"]
        day[0] = TODAY + timedelta(days=3)  # no write, only a new day: Cy is overdue, Bob due today
        assert [(i.contact.display_name, i.bucket) for i in store.followups.queue(suggestions=False)] == [
            ("Cy Young", "overdue"), ("Bob Stone", "today")]
        store.followups.complete(store.followups.queue(suggestions=False)[0].followup.id)
        assert [i.contact.display_name for i in store.followups.queue(suggestions=False)] == ["Bob Stone"]


def test_an_empty_note_is_not_done_but_a_follow_up_alone_is(store: Store) -> None:
    from datetime import timedelta

    store.events.start("PyCon")
    dev = store.people.record_scan(person("Dev Patel")).meeting
    store.meetings.save_note(dev.id, need="", help="  ", promise="")
    assert not store.meetings.of(dev.contact_id)[0].has_note
    assert [m.id for m in store.meetings.notes_inbox(store.events.current().id)] == [dev.id]
    store.meetings.save_note(dev.id, follow_up=TODAY + timedelta(days=3))  # "talk again on Friday" is a note
    assert store.meetings.of(dev.contact_id)[0].has_note


@pytest.mark.parametrize("seed", range(4))
def test_the_queue_is_in_bucket_then_promise_then_due_order_and_a_page_is_its_beginning(store: Store, seed: int) -> None:
    import random
    from datetime import timedelta

    from networking_app.followups import BUCKETS, bucket_of

    rng = random.Random(seed)
    for k in range(40):
        met = store.people.record_scan(person(f"P{k:02d} Q", seeking="x"), event_id="")
        offset = rng.choice([None, -30, -2, -1, 0, 0, 1, 3, 6, 7, 8, 40])
        due = None if offset is None else TODAY + timedelta(days=offset)
        store.meetings.save_note(met.meeting.id, promise="call" if rng.random() < 0.4 else "", need="n",
                                 follow_up=due if due is not None else TODAY)
        if offset is None:  # a follow-up without a date: "no date", before the others
            followup = store.followups.for_meeting(met.meeting.id)
            assert followup is not None
            followup.due = ""
            with store.records.writing():
                store.records.put(followup)
    full = store.followups.queue(suggestions=False)
    expected = sorted(full, key=lambda q: (BUCKETS.index(bucket_of(q.due, TODAY)), not q.is_promise,
                                           q.due or "9999", q.contact.display_name))
    assert [q.followup.id for q in full if q.followup] == [q.followup.id for q in expected if q.followup]
    assert [q.bucket for q in full] == [bucket_of(q.due, TODAY) for q in full]
    for limit in (1, 5, 12, 39):
        page = store.followups.queue(limit=limit, suggestions=False)
        assert [(q.bucket, q.is_promise, q.due) for q in page] == [(q.bucket, q.is_promise, q.due) for q in full[:limit]]
