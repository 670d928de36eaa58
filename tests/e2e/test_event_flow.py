"""The whole evening in real headless Chromium, over the web mode.

Onboarding → my card's QR on screen decodes to my vCard → start an event → scan a
card from an image file and through the (fake) camera → the "How can I help them?"
prompt → note saved → the people show under the event with their note state.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from networking_app.payload import parse_payload
from tests.support.camera_video import CAMERA_PERSON
from tests.support.flutter_page import create_card, decode_on_screen, snack, text, type_into


def test_onboarding_event_scan_and_note_in_chromium(mutual_server, open_app, tmp_path: Path, bob_png: Path) -> None:
    url = mutual_server(tmp_path / "data")
    page = open_app(url, "button", "Create my card")

    # onboarding creates the card
    type_into(page, "I can help with…", "Python mentoring")
    type_into(page, "I'm looking for…", "a co-founder")
    create_card(page, "Ana Lima", "ana@lima.example")

    # it lands on my QR (the exchange screen), which decodes to my vCard
    expect(snack(page, "Your card is ready: this is your code.")).to_be_visible()
    qr = page.get_by_role("img", name="QR code of the card of Ana Lima")
    expect(qr).to_be_visible()
    mine = parse_payload(decode_on_screen(page, qr)).card
    assert (mine.full_name, mine.emails, mine.offers, mine.seeking) == ("Ana Lima", ["ana@lima.example"], "Python mentoring", "a co-founder")

    # start an event: it lands on the exchange screen with my QR showing
    page.get_by_role("tab", name="Event").click()
    type_into(page, "Event name", "PyCon Test")
    type_into(page, "My intention", "meet 3 people, help one")
    page.get_by_role("button", name="Start event").click()
    expect(text(page, "At PyCon Test · 0 people met so far")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the card of Ana Lima")).to_be_visible()

    # scan from an image file: review first, then the prompt
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a photo").click()
    chooser.value.set_files(str(bob_png))
    expect(text(page, "Bob Stone")).to_be_visible()
    expect(text(page, "CTO, Stone Labs")).to_be_visible()
    page.get_by_role("button", name="Save contact").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    expect(text(page, "intros to hardware investors", exact=False)).to_be_visible()  # their offers as a hint
    type_into(page, "What they need", "a Python contractor for 3 months")
    type_into(page, "How I can help", "intro to Grace")
    type_into(page, "What I promised", "send Grace's email")
    page.get_by_role("radio", name=re.compile(r"^Tomorrow · ")).click()
    page.get_by_role("button", name="Save note").click()
    expect(snack(page, "Note saved · follow up")).to_be_visible()

    # scan through the camera (Chromium's fake camera films a QR code)
    page.get_by_role("button", name="Scan with camera").click()
    expect(text(page, CAMERA_PERSON)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Save contact").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    page.get_by_role("button", name="Later").click()

    # the event lists both, with their note state
    page.get_by_role("tab", name="Event").click()
    expect(text(page, "People met · 2 met · 1 notes done")).to_be_visible()
    # each row reads as one button: name, the note's first line, its state
    expect(page.get_by_role("button", name=re.compile(r"Bob Stone a Python contractor for 3 months Note done"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(f"{CAMERA_PERSON} .*Note missing"))).to_be_visible()
