"""Start-up problems reach the person: in web mode the store opens after the server, so a store
that cannot be read is said on the page (and on stderr), not by a server that never answers."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.support.flutter_page import LOCAL


def test_an_unreadable_store_is_said_on_the_page_in_web_mode(mutual_server, browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mutual.json").write_text("{broken")
    url = mutual_server(data)
    context = browser.new_context(viewport={"width": 430, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if LOCAL.match(route.request.url) else route.abort())
    page.goto(url)
    page.wait_for_function("() => !document.getElementById('loading')")
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    expect(page.locator("flt-semantics-host").get_by_text("Mutual cannot read its data file", exact=False)).to_be_visible()
    assert (data / "mutual.json").read_text() == "{broken"  # never overwritten
    context.close()
    log = (tmp_path / "server.log").read_text()
    assert "Mutual cannot read its data file" in log and "Traceback" not in log
