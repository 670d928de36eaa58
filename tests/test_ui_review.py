"""The scan review sheet, in process: naming a link's contact, a line to remember them by, and the
"Same person as …?" question (Same person / Someone else, with what each record holds)."""

from __future__ import annotations

from datetime import date

import pytest

from networking_app.models import Card, MyCard
from networking_app.store import Store
from tests.support.ui_client import button, buttons, field, open_app, read_pasted, sheet_open, texts, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]

TODAY = date(2026, 11, 25)
MARIA = Card(given="Maria", family="Garcia", organization="Acme", emails=["maria@acme.example"],
             phones=["+34 600 111 222"])


@pytest.fixture
def ready(open_store) -> Store:
    store = open_store(today=lambda: TODAY, daily_backup=False)
    store.cards.save(MyCard(given="Ana", family="Lima", emails=["ana@lima.example"], phones=["+34 600 000 000"]))
    return store


async def paste(client, text: str) -> None:
    client.type(field(client, "Paste a screenshot or their card text"), text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: sheet_open(client), "the review sheet")


async def test_a_linkedin_link_is_named_on_the_review_sheet_with_a_suggestion_never_an_identity(ready: Store) -> None:
    ready.people.record_scan(Card(given="Maria", family="Lopez", emails=["maria@lopez.example"]), event_id="")
    client = await open_app(ready, route="/scan")
    await paste(client, "https://www.linkedin.com/in/maria-lopez-1a2b3c")
    name = field(client, "Name")
    assert name.value == "Maria Lopez" and name.helper == "Guessed from the link: check it"
    assert "Read a LinkedIn profile link" in texts(client)
    # the suggested name makes the sheet ask, never merge: a slug is no identity
    await wait_for(client, lambda: buttons(client, "Someone else"), "the question about the other Maria Lopez")
    client.type(name, "María López Ruiz")
    client.type(field(client, "A line to remember them by (optional)"), "met at the coffee queue")
    await client.click(button(client, "Someone else"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    saved = next(c for c in ready.people.all() if c.urls)
    assert (saved.full_name, saved.note, saved.emails) == ("María López Ruiz", "met at the coffee queue", [])
    assert saved.urls == ["https://www.linkedin.com/in/maria-lopez-1a2b3c"] and len(ready.people.all()) == 2


async def test_pasted_free_text_keeps_the_name_and_it_can_be_corrected(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    await paste(client, "Tom from the bar, 0171 234567")
    assert field(client, "Name").value == "Tom"
    client.type(field(client, "Name"), "Tom Becker")
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    [tom] = ready.people.all()
    assert (tom.full_name, tom.phones, tom.note) == ("Tom Becker", ["0171 234567"], "Tom from the bar")


async def test_the_same_name_asks_same_person_and_same_person_merges(ready: Store) -> None:
    ready.events.start("PyCon")
    first = ready.people.record_scan(MARIA)
    ready.events.end()
    client = await open_app(ready, route="/scan")
    await paste(client, "Maria Garcia <mgarcia@gmail.example>")
    await wait_for(client, lambda: "Same person as Maria Garcia, met at PyCon?" in texts(client), "the question")
    shown = texts(client)
    assert "The same name, but no email address or phone number in common." in shown
    assert {"This card", "mgarcia@gmail.example", "In your contacts", "Acme", "maria@acme.example",
            "+34 600 111 222"} <= set(shown)
    assert not buttons(client, "Save contact")  # the question is the way to save
    await client.click(button(client, "Same person"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    [maria] = ready.people.all()
    assert maria.id == first.contact.id and maria.emails == ["maria@acme.example", "mgarcia@gmail.example"]
    assert len(ready.meetings.of(maria.id)) == 2


async def test_someone_else_saves_a_new_contact_and_is_not_asked_again(ready: Store) -> None:
    first = ready.people.record_scan(MARIA, event_id="")
    client = await open_app(ready, route="/scan")
    await paste(client, "Maria Garcia <maria@other.example>")
    await wait_for(client, lambda: buttons(client, "Someone else"), "the question")
    assert any(t.startswith("Same person as Maria Garcia, met on ") for t in texts(client))  # met at no event
    await client.click(button(client, "Someone else"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    other = next(c for c in ready.people.all() if c.id != first.contact.id)
    assert other.emails == ["maria@other.example"] and other.not_same_as == [first.contact.id]
    assert ready.people.possible_duplicates() == []  # the person said: two people


async def test_a_strong_key_says_already_known_and_asks_nothing(ready: Store) -> None:
    ready.people.record_scan(MARIA, event_id="")
    client = await open_app(ready, route="/scan")
    await paste(client, "M. Garcia <MARIA@acme.example>")
    await wait_for(client, lambda: any(t.startswith("Already in your contacts as Maria Garcia") for t in texts(client)))
    assert not buttons(client, "Same person") and button(client, "Save contact")
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    [maria] = ready.people.all()
    assert maria.emails == ["maria@acme.example"] and maria.full_name == "Maria Garcia"  # merged: the same email


@pytest.mark.asyncio
async def test_a_damaged_store_offers_its_backup_in_one_tap_and_the_app_starts(tmp_path) -> None:
    """The app's side of a damaged store: the page says why, and "Put back this backup" restores
    the backup the sentence names (the damaged files kept aside), then shows the app."""
    import flet as ft

    from networking_app.models import Card, MyCard
    from networking_app.store import Store
    from networking_app.ui.launcher import StoreOpener, cannot_start
    from tests.support.flet_fake_client import start
    from tests.support.ui_client import button, texts, wait_for

    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.cards.save(MyCard(formatted="Λένα Παππά", emails=["lena@example.gr"]))
        store.people.record_scan(Card(formatted="王芳", emails=["fang@example.cn"]), event_id="")
        store.backup(reason="manual")
        store.people.record_scan(Card(formatted="Bo Chen", emails=["bo@example.cn"]), event_id="")
    journal = folder / "mutual.journal"
    journal.write_bytes(journal.read_bytes().replace(b"Bo Chen", b"Bo Chan"))
    opener = StoreOpener(folder)
    assert opener.open() is None and opener.error is not None
    client = await start(lambda page: cannot_start(page, opener))
    assert "Mutual cannot start" in texts(client) and any("fails its checksum" in t for t in texts(client))
    await client.click(button(client, "Put back this backup"))
    await wait_for(client, lambda: "Scan" in texts(client) or "Event" in texts(client), "the app, started")
    assert opener.store is not None and [c.full_name for c in opener.store.people.all()] == ["王芳"]
    [aside] = folder.glob("damaged-*")
    assert sorted(p.name for p in aside.iterdir()) == ["mutual.journal", "mutual.json"]
    assert any(isinstance(c, ft.SnackBar) and c.open for c in client.find(lambda c: True))
    opener.store.close()
