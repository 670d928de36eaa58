"""The Sync section in real Chromium: set it up on the laptop by typing the folder, and the people the
phone scanned (through the same folder) appear, with a sentence saying where they came from."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from networking_app.models import Card, MyCard
from networking_app.store import Store
from networking_app.sync.engine import Sync
from tests.support.flutter_page import SEM, boot, scroll_to, text, type_into


def test_setting_up_sync_in_your_data_brings_the_phones_people(mutual_server, open_app, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    with Store.open(tmp_path / "phone", daily_backup=False) as phone:
        Sync(phone).set_up(folder, "Ana's phone")
        for name, email in (("张伟", "wei@example.cn"), ("김민수", "minsu@example.kr")):
            phone.people.record_scan(Card(formatted=name, emails=[email]), event_id="")
        Sync(phone).run()
    with Store.open(tmp_path / "laptop", daily_backup=False) as laptop:
        laptop.cards.save(MyCard(given="Ana", family="Lima", formatted="Ana Lima", emails=["ana@lima.example"]))
    link = mutual_server(tmp_path / "laptop")
    page = open_app(link, "button", "Start event", width=1280, height=800)
    page.goto(link.split("?")[0] + "data")
    boot(page)
    expect(text(page, "Sync between your devices")).to_be_visible()
    type_into(page, "Sync folder", str(folder))
    type_into(page, "This device's name", "Ana's laptop")
    start = page.locator(SEM).get_by_role("button", name="Start syncing")
    scroll_to(page, start)
    start.click()
    expect(page.locator(SEM).get_by_text(re.compile(r"Synced at \d\d:\d\d: 2 people from Ana's phone"))).to_be_visible(
        timeout=20_000)
    expect(page.locator(SEM).get_by_text(re.compile(r"Ana's phone\s+last change"))).to_be_visible()  # my other devices
    page.locator(SEM).get_by_role("button", name=re.compile(r"^People Tab")).click()  # the rail on a wide window
    for name in ("张伟", "김민수"):
        expect(page.locator(SEM).get_by_role("button", name=re.compile(name))).to_be_visible()
    with Store.open(tmp_path / "laptop", daily_backup=False) as laptop:
        assert Sync(laptop).settings().name == "Ana's laptop"
