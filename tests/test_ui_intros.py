""""You could introduce them to…" in the note sheet after a scan and on a person's page, in process.

The one tap notes the intro and the promise, sets the follow-up, and leaves the two drafts
in Follow-ups; "Not now" never shows the pair again; nothing is shown when nothing fits.
"""

from __future__ import annotations

from datetime import date, timedelta

import flet as ft
import pytest

from networking_app.models import Card, MyCard
from networking_app.store import Store
from networking_app.ui.intro_ideas import TITLE, IntroIdeas
from networking_app.vcard import fit_card_for_qr
from tests.support.flet_fake_client import FakeClient
from tests.support.ui_client import button, buttons, field, open_app, read_pasted, sheet_open, texts, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]
TODAY = date(2026, 11, 25)
SAM = Card(given="Sam", family="Lee", emails=["sam@lee.example"], seeking="usability testing for our app")
BYSTANDERS = ["Sailing", "Pottery", "Chess", "Tango", "Baking", "Climbing"]


@pytest.fixture
def ready(open_store) -> Store:
    store = open_store(today=lambda: TODAY, daily_backup=False)
    store.cards.save(MyCard(given="Ana", family="Lima", formatted="Ana Lima", emails=["ana@lima.example"]))
    for k, hobby in enumerate(BYSTANDERS):  # an address book, not just the people of the test
        store.people.add(Card(given=f"X{k}", family="Bystander", offers=f"{hobby} lessons"))
    store.people.add(Card(given="Leila", family="Haddad", emails=["leila@haddad.example"],
                          offers="Usability studies, user interviews"))
    return store


async def scan(client: FakeClient, card: Card) -> None:
    """Paste their card, save it: the note sheet asks "How can I help them?"."""
    client.type(field(client, "Paste a screenshot or their card text"), fit_card_for_qr(card).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: bool(buttons(client, "Save contact")), "the review sheet")
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))


def ideas_shown(client: FakeClient) -> bool:
    return TITLE in texts(client)


def ideas_loaded(client: FakeClient, times: int = 1) -> bool:
    """The ideas of the sheet or page on screen have been asked for and drawn ``times`` times."""
    found = [c.data for c in client.find(lambda c: isinstance(c.data, IntroIdeas))]
    return bool(found) and found[-1].loads >= times


async def test_the_sheet_after_a_scan_offers_someone_i_know_and_one_tap_makes_the_intro(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    await scan(client, SAM)
    await wait_for(client, lambda: ideas_shown(client), "the ideas under What they need")
    assert "Leila Haddad" in texts(client) and "offers usability studies" in texts(client)
    client.type(field(client, "What they need"), "feedback on the beta")  # typed, not saved yet
    await client.click(button(client, "Introduce"))
    await wait_for(client, lambda: any(t.startswith("Intro to Leila Haddad (usability studies): in your note")
                                       for t in texts(client)), "the intro said done")
    [sam] = ready.people.all(query="sam lee")
    [meeting] = ready.meetings.of(sam.id)
    assert meeting.help == "Intro to Leila Haddad (usability studies)"
    assert meeting.promise == "Introduce Sam to Leila Haddad"
    assert meeting.need == "feedback on the beta" and meeting.has_note  # what was typed is kept
    followup = ready.followups.for_meeting(meeting.id)
    assert followup is not None and followup.due == (TODAY + timedelta(days=1)).isoformat()
    assert field(client, "How I can help").value == meeting.help  # the sheet shows the note as saved
    assert field(client, "What I promised").value == meeting.promise
    assert buttons(client, "Introduce") == []  # made: Leila is not offered again
    [draft] = ready.intros.drafts_naming(sam.id)
    assert draft.to_seeker.startswith("Hi Sam, would you like an intro to Leila Haddad?")
    await client.click(button(client, "Save note"))  # the note, as shown, stays as it is
    await wait_for(client, lambda: not sheet_open(client), "the sheet to close")
    assert ready.meetings.get(meeting.id).help == meeting.help

    await client.go("/followups")  # the promise waits there, with its two messages
    await wait_for(client, lambda: bool(buttons(client, "Introduction messages ready")), "the messages in Follow-ups")
    assert "Promised: Introduce Sam to Leila Haddad" in texts(client)
    await client.click(button(client, "Introduction messages ready"))
    await wait_for(client, lambda: bool(client.find(lambda c: isinstance(c, ft.AlertDialog) and c.open)))
    messages = [f.value for f in client.find(lambda c: isinstance(c, ft.TextField) and (c.label or "").startswith("To "))]
    assert draft.to_seeker in messages and draft.to_helper in messages


async def test_nothing_is_shown_when_nothing_fits_and_what_they_need_can_bring_someone(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    await scan(client, Card(given="Odd", family="One", emails=["odd@one.example"], seeking="Falconry"))
    await wait_for(client, lambda: ideas_loaded(client), "the ideas asked for")
    assert not ideas_shown(client)  # none fits: not even the title
    need = field(client, "What they need")
    client.type(need, "a usability review of their app")
    await client.fire(need, "blur")
    await wait_for(client, lambda: ideas_loaded(client, 2), "the ideas asked for again")
    assert ideas_shown(client)
    assert "Leila Haddad" in texts(client)


async def test_not_now_never_shows_the_pair_again(ready: Store) -> None:
    ready.people.add(Card(given="Mo", family="Kahn", offers="usability testing sessions"))
    client = await open_app(ready, route="/scan")
    await scan(client, SAM)
    await wait_for(client, lambda: len(buttons(client, "Introduce")) == 2, "two ideas")
    [decline] = client.find(lambda c: isinstance(c, ft.IconButton) and (c.tooltip or "").startswith(
        "Not now: never suggest Mo Kahn"))
    await client.click(decline)
    await wait_for(client, lambda: len(buttons(client, "Introduce")) == 1, "one idea left")
    assert "Mo Kahn" not in texts(client) and "Leila Haddad" in texts(client)
    [sam] = ready.people.all(query="sam lee")
    assert [i.other_name for i in ready.intros.for_person(sam.id)] == ["Leila Haddad"]


async def test_a_persons_page_offers_the_intro_and_one_tap_notes_it_on_our_last_meeting(ready: Store) -> None:
    met = ready.people.record_scan(SAM, event_id="")
    client = await open_app(ready, route=f"/person/{met.contact.id}")
    await wait_for(client, lambda: ideas_shown(client), "the ideas on their page")
    await client.click(button(client, "Introduce"))
    await wait_for(client, lambda: bool(ready.intros.drafts_naming(met.contact.id)), "the intro made")
    meeting = ready.meetings.get(met.meeting.id)
    assert (meeting.help, meeting.promise) == ("Intro to Leila Haddad (usability studies)", "Introduce Sam to Leila Haddad")
    await wait_for(client, lambda: "Intro to Leila Haddad (usability studies)" in " ".join(texts(client)),
                   "the page showing the note")
    assert buttons(client, "Introduce") == []
