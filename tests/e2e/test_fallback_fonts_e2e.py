"""Chinese, Korean, Arabic (and Hebrew, Devanagari, Thai) names in real Chromium, offline: every
font the client asks for is served, and each name is drawn in glyphs, not blank, not tofu.

Tofu is the same empty box for every character, so two different names of the same length in the
same script draw identical pixels, and real glyphs do not. Blank draws nothing at all. The
semantics tree holds the text either way: only the screenshot tells.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageChops
from playwright.sync_api import expect

from networking_app.models import Card
from networking_app.store import Store
from tests.support.flutter_page import SEM

# each pair: one script, the same number of characters (tofu would draw the same boxes)
PAIRS = [("张伟", "王芳"), ("김민수", "이영희"), ("محمد", "يوسف"), ("דוד", "משה"), ("राज", "अमर"),
         ("สมชาย", "สมศรี")]
REQUIRED = ("notosanssc", "notosanskr", "notosansarabic")


def _seed(folder: Path) -> None:
    from tools.demo_data import ME

    store = Store.open(folder, daily_backup=False)
    store.cards.save(ME)
    for number, pair in enumerate(PAIRS):
        for side, name in enumerate(pair):
            store.people.add(Card(formatted=name, emails=[f"person{number}-{side}@x.example"]))
    store.close()


def test_names_in_other_scripts_are_drawn_in_glyphs(mutual_server, open_app, tmp_path: Path) -> None:
    _seed(tmp_path / "data")
    fonts: list[tuple[int, str]] = []
    page = open_app(mutual_server(tmp_path / "data"), "tab", "People", height=1400)
    page.on("response", lambda r: fonts.append((r.status, r.url)) if "/assets/fonts/" in r.url else None)
    page.get_by_role("tab", name="People").click()
    for pair in PAIRS:
        for name in pair:
            expect(_row(page, name)).to_be_visible()
    for family in REQUIRED:  # Flutter asks for what the names need, then repaints with it
        page.wait_for_function("family => performance.getEntriesByType('resource')"
                               ".some(e => e.name.includes('/assets/fonts/' + family + '/'))", arg=family)
    page.wait_for_timeout(2500)

    assert fonts and all(status == 200 for status, _ in fonts), [f for f in fonts if f[0] != 200]
    for family in REQUIRED:
        assert any(f"/assets/fonts/{family}/" in url for _, url in fonts), family
    shot = Image.open(io.BytesIO(page.screenshot())).convert("L")
    for first, second in PAIRS:
        a, b = (_ink(shot, page, name) for name in (first, second))
        assert a.getbbox() and b.getbbox(), f"{first} or {second} drew nothing"  # not blank
        width = min(a.width, b.width)
        diff = ImageChops.difference(a.crop((0, 0, width, a.height)), b.crop((0, 0, width, b.height)))
        assert sum(diff.histogram()[64:]) > 40, f"{first} and {second} draw the same boxes: tofu"


def _row(page, name: str):  # type: ignore[no-untyped-def]
    """A person's row: it reads as the avatar's initial, then the name."""
    return page.locator(SEM).get_by_role("button", name=re.compile(rf"^{re.escape(name[0])} {re.escape(name)}(?: |$)"))


def _ink(shot: Image.Image, page, name: str) -> Image.Image:  # type: ignore[no-untyped-def]
    """The row's text and avatar, dark ink as white on black (the theme may be light or dark)."""
    box = _row(page, name).bounding_box()
    assert box is not None
    crop = shot.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    background = max(range(256), key=crop.histogram().__getitem__)
    return crop.point(lambda v: 255 if abs(v - background) > 64 else 0)
