"""Fixtures for end-to-end tests: Mutual served in web mode, driven by Playwright in Debian's Chromium.

- ``mutual_server(data_dir)`` starts ``main.py --web`` on a free 127.0.0.1 port and returns the
  link it prints, with this run's key (the server refuses a browser that has not opened it).
- ``browser`` is /usr/bin/chromium (never ``playwright install``) with a fake camera that
  films a QR code, so the camera flow runs for real.
- ``open_app(url)`` opens a fresh context (a new Flet session), fails the test on any
  request leaving the machine, waits for the first frame and enables Flutter's semantics tree.
- ``bob_png`` is a photo of the QR code of Bob's card.

The helpers that drive the page are in ``tests/support/flutter_page.py``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.flutter_page import KNOWN_OPTIONAL, LOCAL, boot

# Flutter repaints on a busy 2-core machine can take seconds: wait up to 15 s for what a person waits for.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mutual_server() -> Iterator[Callable[..., str]]:
    procs: list[subprocess.Popen[bytes]] = []

    def serve(data_dir: Path, *extra: str) -> str:
        port = free_port()
        data_dir.mkdir(parents=True, exist_ok=True)
        printed = data_dir.parent / "server.out"
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}  # opens no browser
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--web", "--port", str(port), "--data-dir", str(data_dir), *extra],
            cwd=ROOT, stdout=printed.open("wb"), stderr=(data_dir.parent / "server.log").open("wb"),
            env=dict(env, FLET_LOG_LEVEL="warning"),
        )
        procs.append(proc)
        deadline = time.monotonic() + 60
        while True:
            link = re.search(rf"http://127\.0\.0\.1:{port}/\?key=[\w-]+", printed.read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                if link:
                    return link[0]
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Mutual did not start")
            time.sleep(0.05)

    yield serve
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def camera_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from networking_app.vcard import fit_card_for_qr
    from tests.support.camera_video import CAMERA_CARD, write_qr_video

    path = tmp_path_factory.mktemp("camera") / "qr.y4m"
    write_qr_video(path, fit_card_for_qr(CAMERA_CARD).text)
    return path


@pytest.fixture(scope="module")  # closed after each module: Playwright's loop must not outlive it
def browser(camera_video: Path):
    pytest.importorskip("playwright")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    camera = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={camera_video}"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS + camera, headless=True)
        yield b
        b.close()


@pytest.fixture
def open_app(browser):
    contexts, blocked = [], []

    def _open(url: str, ready_role: str, ready_name: str, width: int = 430, height: int = 900, **context_kwargs):
        ctx = browser.new_context(viewport={"width": width, "height": height}, permissions=["camera"], **context_kwargs)
        contexts.append(ctx)
        page = ctx.new_page()

        def guard(route):
            if LOCAL.match(route.request.url):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.set_default_timeout(20_000)
        page.goto(url)
        boot(page)
        page.get_by_role(ready_role, name=ready_name).first.wait_for()
        return page

    yield _open
    for ctx in contexts:
        ctx.close()
    assert all(KNOWN_OPTIONAL in u for u in blocked), f"requests left the machine: {blocked}"


@pytest.fixture
def bob_png(tmp_path: Path) -> Path:
    """A PNG of the QR code of Bob's card, to open as a photo."""
    from networking_app.models import Card
    from networking_app.qr_image import qr_png
    from networking_app.vcard import fit_card_for_qr

    bob = Card(given="Bob", family="Stone", title="CTO", organization="Stone Labs", emails=["bob@stonelabs.example"],
               offers="intros to hardware investors", seeking="a Python contractor")
    path = tmp_path / "bob.png"
    path.write_bytes(qr_png(fit_card_for_qr(bob).text))
    return path
