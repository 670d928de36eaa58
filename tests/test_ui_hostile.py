"""Hostile cards in the UI, in process (a real Flet page on the fake client of tests/support):
a name with bidi overrides is shown without them on every screen, and only http(s) links open,
each after its real host was shown and confirmed.

tests/test_ui.py checks a javascript: link and one look-alike host; this adds the scan path,
intent:, data:, file:, a user name hiding the host, Unicode look-alikes and cancelling.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import flet as ft
import pytest

from networking_app.models import Card, MyCard
from networking_app.store import Store
from tests.support.flet_fake_client import FakeClient
from tests.support.ui_client import button, dialog_open, open_app, open_snacks, read_pasted, snack_says, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]  # the UI over the store the app opens: on disk
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u3164\x00\x1b\x7f"
HOSTILE_CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:\u2066Quinn\u2069;Ada\u202e;;;\r\nFN:Ada \u202eQuinn\u2069 \u2067\u200b\r\n"
                "ORG:\u202dAcme\u202c\r\nTITLE:CTO\x1b[31m\r\nEMAIL:ada@example.org\r\n"
                "NOTE:Offers: rust \u202ementoring\r\nEND:VCARD\r\n")


@pytest.fixture
def store(open_store) -> Store:
    s = open_store(daily_backup=False)
    s.cards.save(MyCard(given="Me", family="Myself", formatted="Me Myself", emails=["me@example.org"]))
    return s


def shown_strings(client: FakeClient) -> list[str]:
    """Every string a control on the page (or in an open sheet or dialog) carries: texts, spans,
    labels, tooltips, semantics."""
    found: list[str] = []
    for control in client.find(lambda c: True):
        for field in dataclasses.fields(control):
            if field.name.startswith("_"):
                continue
            value = getattr(control, field.name, None)
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
                found += [s.text for s in value if isinstance(s, ft.TextSpan) and s.text]
    return found


def unsafe(strings: list[str]) -> list[str]:
    return [s for s in strings if any(c in BIDI + INVISIBLE for c in s)]


async def test_a_scanned_name_with_bidi_overrides_is_shown_without_them_in_review_and_on_the_person(
        store: Store) -> None:
    client = await open_app(store, route="/scan")
    paste = client.find(lambda c: isinstance(c, ft.TextField) and c.label == "Paste a screenshot or their card text")[-1]
    client.type(paste, HOSTILE_CARD)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: "Ada Quinn" in client.texts())
    review = shown_strings(client)
    assert "Ada Quinn" in review and "CTO[31m, Acme" in " ".join(review)
    assert unsafe(review) == [], unsafe(review)
    assert store.people.all() == []  # nothing saved before the person says so
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in client.texts())
    [ada] = store.people.all()
    assert (ada.full_name, ada.organization, ada.offers) == ("Ada Quinn", "Acme", "rust mentoring")
    person = await open_app(store, route=f"/person/{ada.id}")
    strings = shown_strings(person)
    assert "Ada Quinn" in strings and unsafe(strings) == [], unsafe(strings)
    people = await open_app(store, route="/people")
    assert "Ada Quinn" in shown_strings(people) and unsafe(shown_strings(people)) == []


LINKS = [
    "intent://scan/#Intent;scheme=zxing;package=com.evil;end",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "javascript:1+alert(document.cookie)",
    "https://paypal.com@evil.example/",
    "https://xn--pypal-4ve.com/login",
    "https://p\u0430ypal.com/account",
    "https://www.example.org/ana",
]


@pytest.fixture
def mallory(store: Store) -> str:
    """A contact whose links reached the store unfiltered (an old import, a hand edit): the
    person screen must still be safe on its own."""
    result = store.people.record_scan(Card(given="Mallory", emails=["m@example.org"], urls=LINKS), event_id="")
    return result.contact.id


def tiles_by_title(client: FakeClient) -> dict[str, ft.ListTile]:
    return {t.title.value: t for t in client.find(lambda c: isinstance(c, ft.ListTile)) if isinstance(t.title, ft.Text)}


def launched(client: FakeClient) -> list[str]:
    return [args["url"] for name, args in client.conn.invoked if name == "launch_url"]


@pytest.mark.parametrize("link, says", [
    (LINKS[0], "never opens intent:"), (LINKS[1], "never opens data:"), (LINKS[2], "never opens file:"),
    (LINKS[3], "never opens javascript:"), (LINKS[4], "hides its real host (evil.example)"),
])
async def test_links_that_are_not_plain_web_links_are_never_clickable(store: Store, mallory: str, link: str,
                                                                     says: str) -> None:
    client = await open_app(store, route=f"/person/{mallory}")
    tile = tiles_by_title(client)[link]
    assert tile.on_click is None and says in tile.subtitle.value
    assert launched(client) == []


@pytest.mark.parametrize("link, host", [
    (LINKS[5], "p\u0430ypal.com (xn--pypal-4ve.com)"),
    (LINKS[6], "p\u0430ypal.com (xn--pypal-4ve.com)"),
])
async def test_a_look_alike_host_is_flagged_and_opens_only_after_its_real_name_was_shown(
        store: Store, mallory: str, link: str, host: str) -> None:
    client = await open_app(store, route=f"/person/{mallory}", **{"UrlLauncher.launch_url": None})
    tile = tiles_by_title(client)[link]
    assert tile.subtitle.value.startswith(f"Opens {host} — This address mixes alphabets")
    assert tile.leading.icon == ft.Icons.WARNING_AMBER
    await client.click(tile)
    dialog = [d for d in client.find(lambda c: isinstance(c, ft.AlertDialog)) if d.open][-1]
    said = [t.value for t in client.find(lambda c: isinstance(c, ft.Text), dialog)]
    assert f"It goes to {host}." in said and any(t.startswith("This address mixes alphabets") for t in said), said
    await client.click(button(client, "Cancel"))
    await wait_for(client, lambda: not dialog_open(client), "the dialog to close on Cancel")
    assert launched(client) == []  # cancelled: nothing opened
    await client.click(tile)
    await client.click(button(client, "Open"))
    await wait_for(client, lambda: launched(client), "the link to be opened")
    assert launched(client) == [link]


async def test_a_plain_https_link_shows_its_host_and_opens_only_after_confirming(store: Store, mallory: str) -> None:
    client = await open_app(store, route=f"/person/{mallory}", **{"UrlLauncher.launch_url": None})
    tile = tiles_by_title(client)[LINKS[7]]
    assert tile.subtitle.value == "Opens www.example.org"
    await client.click(tile)
    assert launched(client) == []
    await client.click(button(client, "Open"))
    await wait_for(client, lambda: launched(client), "the link to be opened")
    assert launched(client) == [LINKS[7]]


async def test_the_confirm_dialog_of_a_flagged_link_ends_its_sentence_once(store: Store, mallory: str) -> None:
    client = await open_app(store, route=f"/person/{mallory}")
    await client.click(tiles_by_title(client)[LINKS[5]])
    dialog = [d for d in client.find(lambda c: isinstance(c, ft.AlertDialog)) if d.open][-1]
    said = [t.value for t in client.find(lambda c: isinstance(c, ft.Text), dialog)]
    assert not any(t.endswith("..") for t in said), said


# -- two app instances on one store ------------------------------------------------------------------------------
async def test_two_app_instances_on_one_store_see_each_other_and_a_stale_screen_gets_a_sentence(
        store: Store, tmp_path: Path) -> None:
    """Two windows (two processes' worth of Store on one folder): what one deletes, the other's
    stale screen cannot act on; it says so in one sentence and nothing else is lost."""
    bob = store.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@example.org"]), event_id="").contact
    ada = store.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="").contact
    with Store.open(tmp_path / "data", daily_backup=False) as other:
        first = await open_app(store, route=f"/person/{bob.id}")
        second = await open_app(other, route=f"/person/{bob.id}")
        await second.click(button(second, "Delete"))
        await wait_for(second, lambda: snack_says(second, "Deleted Bob Stone."), "the second window to delete Bob")
        await first.click(button(first, "Delete"))  # the first window still shows Bob
        await wait_for(first, lambda: open_snacks(first), "the first window's answer")
        snacks = [s.content.value for s in first.find(lambda c: isinstance(c, ft.SnackBar)) if s.open]
        assert snacks == [f"No contact with id {bob.id} exists."], snacks
        assert not first.conn.errors and not second.conn.errors
        assert [c.id for c in store.people.all()] == [c.id for c in other.people.all()] == [ada.id]
