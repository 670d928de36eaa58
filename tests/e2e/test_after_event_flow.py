"""After a seeded event with five people, in real headless Chromium: finish the notes inbox,
answer the reflection, the queue with the promise first, one marked done, an introduction drafted."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.support.flutter_page import SEM, scroll_to, snack, text, type_into
from tools.demo_data import seed


def test_reflect_follow_up_and_introduce_in_chromium(mutual_server, open_app, tmp_path: Path) -> None:
    seed(tmp_path / "data").close()  # PyCon Berlin ended: five people, three notes, two missing
    page = open_app(mutual_server(tmp_path / "data"), "tab", "Reflect")

    # the notes inbox, one person after another
    page.get_by_role("tab", name="Reflect").click()
    expect(text(page, "Notes inbox: 2 people still without a note.")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(text(page, "Notes inbox · 2 left")).to_be_visible()
    type_into(page, "What they need", "clients in climate tech")
    save = page.locator(SEM).get_by_role("button", name="Save note")
    scroll_to(page, save)  # ideas of whom to introduce them to may stand between the fields and the button
    save.click()
    expect(text(page, "Notes inbox · 1 left")).to_be_visible()
    type_into(page, "How I can help", "intro to Chiara")
    scroll_to(page, save)
    save.click()
    expect(text(page, "Every meeting has its note. Now follow up, promises first.")).to_be_visible()

    # the three questions
    type_into(page, "What went well?", "two real conversations about storage")
    page.get_by_role("radio", name="4").click()
    type_into(page, "Who can I help first?", "Farid, the mentoring call")
    page.get_by_role("button", name="Save reflection").click()
    expect(snack(page, "Reflection saved")).to_be_visible()

    # the queue: promises first within "this week"; mark one done
    page.get_by_role("tab", name="Follow-ups").click()
    expect(text(page, "This week")).to_be_visible()
    # one card per person: name, when, what they do and where we met, what I owe them
    rows = page.locator(SEM).get_by_role("group", name=re.compile(r"met at PyCon Berlin"))
    expect(rows).to_have_count(3)
    names = [rows.nth(i).get_attribute("aria-label") or "" for i in range(3)]
    assert [re.search(r"(Promised: .*?|seed funding)(?= Write|$)", n).group(1).strip() for n in names] == [
        "Promised: send Grace's email", "Promised: book our first call", "seed funding"], names
    page.get_by_role("button", name="Done").first.click()
    expect(snack(page, "Done: Bob Stone")).to_be_visible()
    expect(rows).to_have_count(2)

    # an introduction: accept the first suggestion, find its two drafts
    page.get_by_role("tab", name="People").click()
    page.get_by_role("button", name="Suggested introductions").click()
    # a card reads as one group: the pair, then why (the matching words)
    first = page.get_by_role("group", name=re.compile(r"^Chiara Rossi & Dev Patel .*\(matching: seed, investment\)"))
    expect(first).to_be_visible(timeout=15_000)
    first.get_by_role("button", name="Draft intro").click()
    expect(snack(page, "Two drafts ready")).to_be_visible()
    # the two drafts, each a message I can edit before copying it
    # (a multiline field's text is not in Flutter's semantics until focused: the store says what it holds)
    expect(page.locator(SEM).get_by_role("textbox", name="To Chiara Rossi")).to_be_visible()
    expect(page.locator(SEM).get_by_role("textbox", name="To Dev Patel")).to_be_visible()
    from networking_app.store import Store

    with Store.open(tmp_path / "data", daily_backup=False) as store:
        [intro] = store.intros.drafts()
        assert intro.to_seeker.startswith("Hi Chiara, would you like an intro to Dev Patel?")
        assert intro.to_helper.startswith("Hi Dev")
    expect(page.get_by_role("group", name=re.compile(r"^Chiara Rossi & Dev Patel Chiara Rossi is looking"))).to_have_count(0)
