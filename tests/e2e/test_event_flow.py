"""The whole evening in real headless Chromium, over the web mode.

Onboarding → my card's QR on screen decodes to my vCard → start an event → scan a
card from an image file and through the (fake) camera → the "How can I help them?"
prompt → note saved → the people show under the event with their note state.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from networking_app.models import Card
from networking_app.payload import parse_payload
from networking_app.qr_decode import decode_image
from networking_app.qr_image import qr_png
from networking_app.vcard import fit_card_for_qr
from tests.e2e.conftest import CAMERA_PERSON

SEM = "flt-semantics-host"


def type_into(page: Page, label: str, text: str) -> None:
    """Click a field and type like a person; retried once if a re-render swallowed the keys."""
    # a field's accessible name is its label; while focused and empty its hint text joins it
    field = page.locator(SEM).get_by_role("textbox", name=re.compile(re.escape(label))).first
    scroll_to(page, field)
    for _ in range(2):
        page.wait_for_timeout(300)  # let Flutter's scroll settle: a click mid-scroll lands elsewhere
        field.click()
        page.wait_for_timeout(150)  # Flutter attaches its editing element after the tap
        page.keyboard.type(text)
        if holds_text(page, field, text):
            return
        field.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
    if not holds_text(page, field, text, 15_000):
        expect(field).to_have_value(text, timeout=1)  # fails with Playwright's account of the field


def holds_text(page: Page, field, text: str, timeout_ms: int = 2000) -> bool:
    """The field shows ``text``. A field focused before semantics were on (autofocus) keeps
    editing in Flutter's own <input class="flt-text-editing">, whose value is then the truth."""
    try:
        expect(field).to_have_value(text, timeout=timeout_ms // 2)
        return True
    except AssertionError:
        editing = page.locator("input.flt-text-editing:focus, textarea.flt-text-editing:focus")
        return editing.count() == 1 and editing.input_value() == text


def scroll_to(page: Page, locator, tries: int = 12) -> None:
    """Flutter only builds semantics for what is on screen: scroll down until it appears."""
    for _ in range(tries):
        if locator.count():
            return
        page.mouse.move(200, 400)
        page.mouse.wheel(0, 350)
        page.wait_for_timeout(250)


def decode_on_screen(page: Page, locator, seconds: float = 10) -> str:
    """Screenshot what the user sees where ``locator`` is and decode the QR code in it."""
    deadline = time.monotonic() + seconds
    while True:
        shot = Image.open(io.BytesIO(page.screenshot(clip=locator.bounding_box())))
        found = decode_image(shot)
        if found or time.monotonic() > deadline:
            assert len(found) == 1, f"{len(found)} QR codes read on screen"
            return found[0]
        page.wait_for_timeout(250)  # the image may paint a frame after its semantics node appears


def snack(page: Page, start: str):
    """A SnackBar: Flutter labels its semantics group with the message."""
    return page.locator(f'{SEM} [role="group"][aria-label^="{start}"]')


def text(page: Page, value: str, exact: bool = True):
    return page.locator(SEM).get_by_text(value, exact=exact)


@pytest.fixture
def bob_png(tmp_path: Path) -> Path:
    bob = Card(given="Bob", family="Stone", title="CTO", organization="Stone Labs", emails=["bob@stonelabs.example"],
               offers="intros to hardware investors", seeking="a Python contractor")
    path = tmp_path / "bob.png"
    path.write_bytes(qr_png(fit_card_for_qr(bob).text))
    return path


def test_onboarding_event_scan_and_note_in_chromium(mutual_server, open_app, tmp_path: Path, bob_png: Path) -> None:
    url = mutual_server(tmp_path / "data")
    page = open_app(url, "button", "Create my card")

    # onboarding creates the card
    type_into(page, "Name", "Ana Lima")
    type_into(page, "I can help with…", "Python mentoring")
    type_into(page, "I'm looking for…", "a co-founder")
    type_into(page, "Email", "ana@lima.example")
    page.get_by_role("button", name="Create my card").click()
    expect(page.get_by_role("button", name="Start event")).to_be_visible()

    # my QR on the exchange screen decodes to my vCard
    page.get_by_role("tab", name="Scan").click()
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
    page.get_by_role("radio", name="Tomorrow").click()
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
