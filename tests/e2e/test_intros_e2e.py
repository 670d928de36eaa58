""""You could introduce them to…" in real headless Chromium: a card scanned through the (fake)
camera → the note sheet offers someone I know → one tap → the note, the promise and the
follow-up are saved → the two messages wait in Follow-ups."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from networking_app.models import Card, MyCard
from networking_app.store import Store
from tests.support.camera_video import CAMERA_PERSON
from tests.support.flutter_page import SEM, text

DANA = Card(given="Dana", family="Reyes", emails=["dana@reyes.example"], offers="Product design reviews, UI audits")


def seeded(folder: Path) -> None:
    with Store.open(folder) as store:
        store.cards.save(MyCard(given="Ana", family="Lima", emails=["ana@lima.example"]))
        store.events.start("PyCon")
        for k, hobby in enumerate(["Sailing", "Pottery", "Chess", "Tango", "Baking", "Climbing"]):
            store.people.add(Card(given=f"X{k}", family="Bystander", offers=f"{hobby} lessons"))
        store.people.add(DANA)


def test_a_scan_offers_an_introduction_and_one_tap_makes_it(mutual_server, open_app, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    seeded(folder)
    page = open_app(mutual_server(folder).replace("/?key", "/scan?key"), "button", "Scan with camera")

    page.get_by_role("button", name="Scan with camera").click()  # the fake camera films Cy's card
    expect(text(page, CAMERA_PERSON)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Save contact").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    expect(text(page, "You could introduce them to…")).to_be_visible()
    expect(text(page, "Dana Reyes")).to_be_visible()
    expect(text(page, "offers Product design reviews")).to_be_visible()

    page.get_by_role("button", name="Introduce").click()
    expect(text(page, "Intro to Dana Reyes (Product design reviews): in your note", exact=False)).to_be_visible()
    with Store.open(folder) as store:
        [cy] = store.people.all(query="cy camera")
        [meeting] = store.meetings.of(cy.id)
        assert meeting.help == "Intro to Dana Reyes (Product design reviews)"
        assert meeting.promise == "Introduce Cy to Dana Reyes"
        followup = store.followups.for_meeting(meeting.id)
        assert followup is not None and date.fromisoformat(followup.due) > date.today() - timedelta(days=1)
        [draft] = store.intros.drafts_naming(cy.id)
    page.get_by_role("button", name="Save note").click()
    expect(text(page, "How can I help them?")).to_be_hidden()

    page.get_by_role("tab", name="Follow-ups").click()
    # a follow-up card reads as one group: who, when, where we met, what I promised
    expect(page.get_by_role("group", name=re.compile(f"{CAMERA_PERSON} tomorrow .*Promised: Introduce Cy to Dana Reyes"))
           ).to_be_visible()
    page.get_by_role("button", name="Introduction messages ready").click()
    expect(text(page, "Introduction messages")).to_be_visible()
    # the two messages, editable (Flutter's semantics do not expose a multi-line field's text: the store says it)
    expect(page.locator(SEM).get_by_role("textbox", name=f"To {CAMERA_PERSON}")).to_be_visible()
    expect(page.locator(SEM).get_by_role("textbox", name="To Dana Reyes")).to_be_visible()
    assert draft.to_seeker.startswith("Hi Cy, would you like an intro to Dana Reyes? Dana offers Product design reviews")
    assert draft.to_helper.startswith("Hi Dana, would you be open to an intro to Cy Camera?")
