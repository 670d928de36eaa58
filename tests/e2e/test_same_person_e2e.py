""""Same person as Maria Garcia, met at PyCon?" in real headless Chromium: a pasted card with Maria's name
and no email or phone of hers is not merged unasked; Same person merges, Someone else saves apart."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from networking_app.models import Card, MyCard
from networking_app.store import Store
from tests.support.flutter_page import text, type_into

MARIA = Card(given="Maria", family="Garcia", organization="Acme", emails=["maria@acme.example"])


def seeded(folder: Path) -> None:
    store = Store.open(folder)
    store.cards.save(MyCard(given="Ana", family="Lima", emails=["ana@lima.example"]))
    store.events.start("PyCon")
    store.people.record_scan(MARIA)
    store.events.end()
    store.close()


def paste_and_read(page, card_text: str) -> None:
    type_into(page, "Paste a screenshot or their card text", card_text)
    page.get_by_role("button", name="Read pasted text").click()


def people(folder: Path) -> list[Card]:
    store = Store.open(folder)
    try:
        return store.people.all()
    finally:
        store.close()


def test_same_person_question_in_chromium(mutual_server, open_app, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    seeded(folder)
    url = mutual_server(folder)
    page = open_app(url.replace("/?key", "/scan?key"), "button", "Open a photo")

    paste_and_read(page, "Maria Garcia <mgarcia@gmail.example>")
    expect(text(page, "Same person as Maria Garcia, met at PyCon?")).to_be_visible()
    expect(text(page, "The same name, but no email address or phone number in common.")).to_be_visible()
    expect(text(page, "maria@acme.example")).to_be_visible()  # what the known record holds
    expect(text(page, "mgarcia@gmail.example").last).to_be_visible()  # what this card holds (and its summary)
    page.get_by_role("button", name="Same person").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    page.get_by_role("button", name="Later").click()
    expect(text(page, "How can I help them?")).to_be_hidden()
    [maria] = people(folder)
    assert maria.emails == ["maria@acme.example", "mgarcia@gmail.example"]

    paste_and_read(page, "Maria Garcia <maria@garcia-design.example>")
    expect(text(page, "Same person as Maria Garcia, met on ", exact=False)).to_be_visible()
    page.get_by_role("button", name="Someone else").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    page.get_by_role("button", name="Later").click()
    expect(text(page, "How can I help them?")).to_be_hidden()
    found = {c.emails[0]: c for c in people(folder)}
    assert set(found) == {"maria@acme.example", "maria@garcia-design.example"}
    assert found["maria@garcia-design.example"].not_same_as == [maria.id]  # type: ignore[attr-defined]
