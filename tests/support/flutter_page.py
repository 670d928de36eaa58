"""Mutual's web page in Chromium, driven through Flutter's semantics tree (Playwright).

Flutter draws on a canvas; what Playwright can find and type into is the accessibility tree
it builds once semantics are on (``boot``). These helpers find what a person reads and type
the way a person types, patient with a busy machine's repaints.
"""

from __future__ import annotations

import io
import re
import time

from PIL import Image
from playwright.sync_api import Page, expect

from networking_app.qr_decode import decode_image

# What Chromium may load: the local server, and blob/data URLs. Anything else is refused.
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|^(blob|data):")
# Flet 1.0.5's web client always tries this optional script; everything else must be local.
KNOWN_OPTIONAL = "cdn.jsdelivr.net/npm/@rive-app"
SEM = "flt-semantics-host"  # the root of the semantics tree


def boot(page: Page) -> None:
    """Wait for Flutter's first frame and turn on its semantics tree (the DOM Playwright queries)."""
    page.wait_for_function("() => !document.getElementById('loading')")
    page.wait_for_selector("flt-semantics-placeholder", state="attached")
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")


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


def create_card(page: Page, name: str, email: str) -> None:
    """Fill the welcome form and create the card, landing on my QR code.

    Under load the first keys can reach the semantics ``<input>`` before Flutter has wired its
    editing to it: the DOM then shows the name while the app never received it, and the app
    rightly answers "Your card needs a name." That is the harness typing faster than a person
    can; the name is typed again then, and the QR code must appear either way."""
    for attempt in range(2):
        type_into(page, "Name", name)
        type_into(page, "Email", email)
        page.get_by_role("button", name="Create my card").click()
        qr = page.get_by_role("img", name=f"QR code of the card of {name}")
        refused = page.locator(SEM).get_by_text("Your card needs a name.").first  # by the button and on the field
        expect(qr.or_(refused)).to_be_visible(timeout=20_000)
        if qr.is_visible() or attempt:
            break
        for label in ("Name", "Email"):  # empty both, as a person would retype
            field = page.locator(SEM).get_by_role("textbox", name=re.compile(label)).first
            field.click()
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
    expect(page.get_by_role("img", name=f"QR code of the card of {name}")).to_be_visible()
