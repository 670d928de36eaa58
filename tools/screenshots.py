"""Screenshots of every screen, light and dark, phone and desktop width, into docs/screenshots/.

Usage: uv run python -m tools.screenshots [OUTDIR]
Serves Mutual in web mode on a seeded demo store and drives Debian's Chromium (Playwright).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from networking_app.models import Card
from networking_app.qr_image import qr_png
from networking_app.vcard import fit_card_for_qr
from tools.demo_data import seed

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
TABS = ["Event", "Scan", "People", "Follow-ups", "Reflect"]


def serve(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    printed = data.with_name(f"{data.name}.out")  # the link with this run's key, printed before the port opens
    proc = subprocess.Popen([sys.executable, "main.py", "--web", "--port", str(port), "--data-dir", str(data)],
                            cwd=ROOT, stdout=printed.open("wb"), stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            link = re.search(rf"http://127\.0\.0\.1:{port}/\?key=[\w-]+", printed.read_text())
            if link:
                return proc, link[0]
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def open_page(browser, url: str, size: str, scheme: str) -> Page:
    width, height = SIZES[size]
    page = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme).new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_function("() => !document.getElementById('loading')")
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    page.locator("flt-semantics-host").wait_for(state="attached")
    page.wait_for_timeout(1500)
    return page


def nav(page: Page, name: str) -> None:
    """A navigation destination: a tab in the bottom bar, a button on the desktop rail."""
    tabs = page.get_by_role("tab", name=name)
    if tabs.count():
        tabs.first.click()
    else:
        page.get_by_role("button", name=re.compile(f"^{name} Tab")).click()


def shoot(page: Page, out: Path, name: str) -> None:
    size = page.viewport_size or {"width": 400, "height": 800}
    page.mouse.move(size["width"] - 2, size["height"] // 2)  # off the controls: no hover tooltip in the picture
    page.wait_for_timeout(900)
    page.screenshot(path=str(out / f"{name}.png"))
    print("wrote", out / f"{name}.png")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mutual-shots-"))
    seed(work / "demo", end_event=False).close()
    demo, demo_url = serve(work / "demo")
    fresh, fresh_url = serve(work / "fresh")
    card = work / "card.png"
    card.write_bytes(qr_png(fit_card_for_qr(Card(given="Gina", family="Okafor", title="Product lead",
                                                 organization="Grid Co", emails=["gina@grid.example"],
                                                 offers="product strategy reviews", seeking="beta testers")).text))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for size in SIZES:
                for scheme in ("light", "dark"):
                    page = open_page(browser, demo_url, size, scheme)
                    for tab in TABS:
                        nav(page, tab)
                        shoot(page, out, f"{size}-{scheme}-{tab.lower()}")
                    nav(page, "People")
                    page.get_by_role("button", name="Suggested introductions").click()
                    page.wait_for_timeout(1500)  # suggestions are computed off the event loop
                    shoot(page, out, f"{size}-{scheme}-introductions")
                    nav(page, "People")
                    page.get_by_role("button", name="Import / export").click()
                    shoot(page, out, f"{size}-{scheme}-your-data")
                    page.get_by_role("button", name="My card").click()
                    shoot(page, out, f"{size}-{scheme}-my-card")
                    page.context.close()
            page = open_page(browser, demo_url, "phone", "light")
            nav(page, "People")
            page.get_by_role("button", name="Bob Stone", exact=False).first.click()
            shoot(page, out, "phone-light-person")
            nav(page, "Scan")
            with page.expect_file_chooser() as chooser:
                page.get_by_role("button", name="Open a photo").click()
            chooser.value.set_files(str(card))
            page.get_by_role("button", name="Save contact").wait_for()
            shoot(page, out, "phone-light-scan-review")
            page.get_by_role("button", name="Save contact").click()
            page.get_by_role("button", name="Save note").wait_for()
            shoot(page, out, "phone-light-scan-prompt")
            page.get_by_role("button", name="Later").click()
            page.wait_for_timeout(1500)
            page.locator("flt-semantics-host [role=img]").first.click()
            shoot(page, out, "phone-light-show-qr")
            page.context.close()
            for scheme in ("light", "dark"):
                page = open_page(browser, fresh_url, "phone", scheme)
                shoot(page, out, f"phone-{scheme}-welcome")
                page.context.close()
            browser.close()
    finally:
        demo.terminate()
        fresh.terminate()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
