"""The web mode's key in real Chromium: the printed link lets the browser in and leaves the address
bar clean; the card, a scan and a reload work on the cookie; a browser without the link gets the
403 page; another page on 127.0.0.1 cannot open the websocket with the cookie."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.support.flutter_page import LOCAL, SEM, boot, text, type_into

OPEN_WEBSOCKET = """url => new Promise(resolve => {
    const socket = new WebSocket(url);
    socket.onopen = () => { socket.close(); resolve("open"); };
    socket.onerror = () => resolve("refused");
})"""


def test_the_printed_link_lets_chromium_in_and_a_reload_stays_in(mutual_server, open_app, tmp_path: Path,
                                                                 bob_png: Path) -> None:
    link = mutual_server(tmp_path / "data")
    clean = link.split("?")[0]
    page = open_app(link, "button", "Create my card")
    assert page.url == clean  # the key left the address bar (and the history)
    (cookie,) = [c for c in page.context.cookies() if c["name"].startswith("mutual-key-")]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # the page's own scripts cannot read it

    type_into(page, "Name", "Ana Lima")
    type_into(page, "Email", "ana@lima.example")
    page.get_by_role("button", name="Create my card").click()
    expect(page.get_by_role("img", name="QR code of the card of Ana Lima")).to_be_visible()  # my code, at once

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a photo").click()
    chooser.value.set_files(str(bob_png))
    expect(text(page, "Bob Stone")).to_be_visible()
    page.get_by_role("button", name="Save contact").click()
    expect(text(page, "How can I help them?")).to_be_visible()
    page.get_by_role("button", name="Later").click()
    page.get_by_role("tab", name="People").click()
    bob = page.locator(SEM).get_by_role("button", name=re.compile("Bob Stone"))
    expect(bob).to_be_visible()

    page.reload()  # a new Flet session, on the cookie alone
    boot(page)
    expect(bob).to_be_visible()
    assert page.url == f"{clean}people"

    # a page of another origin on this machine gets the cookie (same site) but not the websocket
    port = int(clean.rsplit(":", 1)[1].strip("/"))
    websocket = f"ws://127.0.0.1:{port}/ws"
    assert page.evaluate(OPEN_WEBSOCKET, websocket) == "open"
    other = page.context.new_page()
    other.route(f"http://127.0.0.1:{port + 1}/**", lambda route: route.fulfill(body="<p>another page</p>",
                                                                               content_type="text/html"))
    other.goto(f"http://127.0.0.1:{port + 1}/")
    assert other.evaluate(OPEN_WEBSOCKET, websocket) == "refused"


def test_a_browser_without_the_link_gets_the_403_page(mutual_server, browser, tmp_path: Path) -> None:
    link = mutual_server(tmp_path / "data")
    context = browser.new_context(viewport={"width": 430, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if LOCAL.match(route.request.url) else route.abort())
    for url in (link.split("?")[0], link[:-1] + ("x" if link[-1] != "x" else "y")):  # no key, a wrong key
        response = page.goto(url)
        assert response is not None and response.status == 403
        expect(page.get_by_text("Open the link Mutual printed when it started.")).to_be_visible()
        assert page.locator(SEM).count() == 0  # no app behind it
    context.close()


def test_the_link_followed_from_another_site_still_lets_chromium_in(mutual_server, browser, tmp_path: Path) -> None:
    """A link in a web chat: SameSite=Strict keeps the new cookie off a redirect that site started."""
    link = mutual_server(tmp_path / "data")
    port = int(link.split(":")[2].split("/")[0])
    chat = f"http://localhost:{port + 1}/"  # another site: localhost is not 127.0.0.1
    context = browser.new_context(viewport={"width": 430, "height": 900})
    page = context.new_page()

    def route(route):
        if route.request.url.startswith(chat):
            route.fulfill(body=f'<a href="{link}">{link}</a>', content_type="text/html")
        elif LOCAL.match(route.request.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.goto(chat)
    page.get_by_role("link").click()
    page.wait_for_url(link.split("?")[0])
    boot(page)
    expect(page.get_by_role("button", name="Create my card")).to_be_visible()
    page.reload()
    boot(page)
    expect(page.get_by_role("button", name="Create my card")).to_be_visible()
    context.close()
