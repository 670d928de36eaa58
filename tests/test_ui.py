"""The screens and their handlers, in process: a real Flet Page/Session on a fake client.

Each test drives the UI the way the Flutter client would (typing is a property patch,
a tap is a control event) and checks both what is on screen and what reached the store.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import flet as ft
import msgpack
import pytest

from networking_app.models import Card, MyCard
from networking_app.qr_image import qr_png
from networking_app.store import Store
from networking_app.ui import theme
from networking_app.vcard import fit_card_for_qr
from tests.support.ui_client import (
    button,
    buttons,
    field,
    open_app,
    open_snacks,
    read_pasted,
    routed_to,
    sheet_open,
    snack_says,
    texts,
    wait_for,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]  # the UI over the store the app opens: on disk
ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 25)
BOB = Card(given="Bob", family="Stone", title="CTO", organization="Stone Labs", emails=["bob@stone.example"],
           offers="intros to hardware investors", seeking="a Python contractor")


@pytest.fixture
def store(open_store) -> Store:
    return open_store(today=lambda: TODAY, daily_backup=False)


@pytest.fixture
def ready(store: Store) -> Store:
    store.cards.save(MyCard(given="Ana", family="Lima", formatted="Ana Lima", emails=["ana@lima.example"],
                              offers="Python mentoring", seeking="a co-founder"))
    return store


# -- first run and my card --------------------------------------------------------------------------------
async def test_first_run_asks_for_my_card_and_lands_on_my_code(store: Store) -> None:
    client = await open_app(store)
    assert "Networking is helping each other" in texts(client)
    # one screen on a phone: ways to reach me first, no "add another", title and organization on request
    labels = [c.label for c in client.find(lambda c: isinstance(c, ft.TextField) and c.visible)]
    assert labels[:4] == ["Name", "Email", "Phone", "Link"] and buttons(client, "Add title and organization")
    assert not [b for b in buttons(client, "Add another email") if b.visible]
    await client.click(button(client, "Create my card"))
    assert "Your card needs a name." in texts(client)
    assert field(client, "Name").error == "Your card needs a name."  # the field itself is marked
    client.type(field(client, "Name"), "Ana Lima")
    client.type(field(client, "I can help with…"), "Python mentoring")
    await client.click(button(client, "Create my card"))  # a name alone reaches no one
    reach = "Add at least one way to reach you: an email, a phone number or a link."
    assert field(client, "Email").error == reach and field(client, "Name").error is None
    assert store.cards.all() == []
    client.type(field(client, "Email"), "ana@lima.example")
    await client.click(button(client, "Create my card"))
    await wait_for(client, lambda: routed_to(client, "/scan"), "my code, once the card is saved")
    card = store.cards.default()
    assert (card.full_name, card.offers, card.emails, card.is_default) == ("Ana Lima", "Python mentoring", ["ana@lima.example"], True)
    assert client.page.views[-1].route == "/scan"
    [snack] = open_snacks(client)
    assert snack.content.value.startswith("Your card is ready: this is your code.") and snack.action == "Start an event"


async def test_onboarding_opened_again_with_a_card_is_my_card_and_never_a_second_one(ready: Store) -> None:
    client = await open_app(ready, route="/welcome")
    assert client.page.views[-1].route == "/card"
    await client.go("/welcome")  # typed in the address bar
    assert client.page.views[-1].route == "/card" and len(ready.cards.all()) == 1


async def test_scan_after_my_card_was_deleted_elsewhere_offers_to_make_one(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    ready.cards.delete(ready.cards.default().id)  # e.g. from the command line, while the app is open
    await client.go("/event")
    await client.go("/scan")
    await wait_for(client, lambda: "You have no card yet." in texts(client), "the notice instead of my code")
    await client.click(button(client, "Create it"))
    await wait_for(client, lambda: routed_to(client, "/welcome"), "onboarding")


async def test_leaving_an_email_phone_or_link_field_says_what_the_qr_leaves_out_too(store: Store) -> None:
    client = await open_app(store)
    client.type(field(client, "Name"), "Ana Lima")
    client.type(field(client, "Email"), "ana@lima.example")
    client.type(field(client, "Link"), "https://example.org/" + "a" * 300)
    await client.fire(field(client, "Link"), "blur")  # a field of several values (emails, phones, links)
    await wait_for(client, lambda: any(t.startswith("Your QR code has room for about") for t in texts(client)),
                   "the notice, once the link is left")


async def test_a_new_card_once_saved_is_chosen_in_which_card(ready: Store) -> None:
    client = await open_app(ready, route="/card")
    assert not client.find(lambda c: isinstance(c, ft.Dropdown))  # one card: nothing to choose
    await client.click(button(client, "New card"))
    await wait_for(client, lambda: field(client, "Card name").value == "New card")
    client.type(field(client, "Card name"), "Job search")
    await client.click(button(client, "Save card"))
    await wait_for(client, lambda: client.find(lambda c: isinstance(c, ft.Dropdown) and c.label == "Which card"),
                   "the card picker, once there are two")
    [picker] = client.find(lambda c: isinstance(c, ft.Dropdown) and c.label == "Which card")
    assert picker.value == next(c.id for c in ready.cards.all() if c.label == "Job search")


async def test_onboarding_says_what_the_qr_leaves_out_and_keeps_what_i_choose(store: Store) -> None:
    client = await open_app(store)
    client.type(field(client, "Name"), "Ana Lima")
    client.type(field(client, "Email"), "ana@lima.example")
    client.type(field(client, "Link"), "https://www.linkedin.com/in/ana-lima-partnerships")
    client.type(field(client, "I can help with…"), "intros to climate investors, feedback on pitch decks, hiring advice")
    client.type(field(client, "I'm looking for…"), "a technical co-founder with battery chemistry experience, pilot customers")
    await client.click(button(client, "Add title and organization"))
    client.type(field(client, "Title"), "Director of Partnerships")
    await client.fire(field(client, "Title"), "blur")  # leaving a field says what the code would leave out
    await wait_for(client, lambda: any(t.startswith("Your QR code has room for about 290 characters") for t in texts(client)))
    [said] = [t for t in texts(client) if t.startswith("Your QR code has room")]
    assert "seeking (shortened" in said and "web address" not in said and "title" not in said  # the link is kept
    keep = client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]
    client.session.apply_patch(keep._i, {"value": "offers"})
    await client.fire(keep, "change")
    await wait_for(client, lambda: any("title, web address" in t for t in texts(client)), "the link and title left out instead")
    await client.click(button(client, "Create my card"))
    await wait_for(client, lambda: routed_to(client, "/scan"))
    assert store.cards.default().qr_keeps == "offers"


async def test_onboarding_refuses_an_email_address_without_an_at(store: Store) -> None:
    client = await open_app(store)
    client.type(field(client, "Name"), "Ana Lima")
    client.type(field(client, "Email"), "ana-at-lima")
    await client.click(button(client, "Create my card"))
    await wait_for(client, lambda: any("is not an email address" in t for t in texts(client)), "the sentence refusing the address")
    assert "“ana-at-lima” is not an email address (it needs an @, like name@example.org)." in texts(client)
    assert store.cards.all() == []
    client.type(field(client, "Email"), "ana@lima.example")
    await client.click(button(client, "Create my card"))
    await wait_for(client, lambda: routed_to(client, "/scan"), "my code once the card is saved")
    assert store.cards.default().emails == ["ana@lima.example"]


async def test_closing_the_full_screen_qr_returns_where_it_was_opened(ready: Store) -> None:
    client = await open_app(ready, route="/card")
    await client.click(button(client, "Show full screen"))
    await wait_for(client, lambda: buttons(client, "Close"), "the full-screen QR and its Close button")
    await client.click(button(client, "Close"))
    await wait_for(client, lambda: routed_to(client, "/card"), "the way back to /card")
    assert [a for a in client.conn.invoked if a[0] == "push_route"][-2:] == [
        ("push_route", {"route": "/show"}), ("push_route", {"route": "/card"})]


async def test_with_an_event_running_the_app_opens_on_my_qr(ready: Store) -> None:
    ready.events.start("PyCon")
    client = await open_app(ready)
    view = client.page.views[-1]
    assert view.route == "/scan"
    images = client.find(lambda c: isinstance(c, ft.Image))
    await wait_for(client, lambda: client.find(lambda c: isinstance(c, ft.Image)))
    images = client.find(lambda c: isinstance(c, ft.Image))
    assert images[0].semantics_label == "QR code of the card of Ana Lima"
    assert images[0].src == qr_png(fit_card_for_qr(ready.cards.default()).text, box_size=12)
    assert "At PyCon · 0 people met so far" in texts(client)


async def test_editing_my_card_says_what_the_qr_leaves_out(ready: Store) -> None:
    client = await open_app(ready, route="/card")
    client.type(field(client, "Title"), "Director of Partnerships and Ecosystem Development")
    client.type(field(client, "I'm looking for…"), "a technical co-founder with battery chemistry experience, pilot customers")
    client.type(field(client, "Phone"), "+46 70 123 45 67")
    await client.click(button(client, "Add another email"))
    client.type(field(client, "Email 2"), "ana.maria.lima@a-very-long-domain-name.example")
    await client.click(button(client, "Save card"))
    await wait_for(client, lambda: snack_says(client, "Saved “"), "“Saved” once the card is stored")
    card = ready.cards.default()
    assert card.emails == ["ana@lima.example", "ana.maria.lima@a-very-long-domain-name.example"]
    await wait_for(client, lambda: any(t.startswith("Your QR code has room") for t in texts(client)))
    notes = [t for t in texts(client) if t.startswith("Your QR code has room")]
    assert notes and "1 more email address" in notes[0]


async def test_the_light_seed_theme_is_sent_exactly_like_flets_theme_and_spares_its_import() -> None:
    import subprocess
    import sys

    from flet.controls.base_control import BaseControl
    from flet.messaging.protocol import configure_encode_object_for_msgpack

    from networking_app.ui.theme import SEED, SeedTheme, flet_theme

    encode = configure_encode_object_for_msgpack(BaseControl)
    ours = msgpack.unpackb(msgpack.packb(SeedTheme(SEED), default=encode))
    assert ours == msgpack.unpackb(msgpack.packb(flet_theme(SEED), default=encode))
    assert ours["color_scheme_seed"] == SEED and ours["visual_density"] == "standard"
    # a whole first session, in a fresh interpreter, never imports flet's theme module
    probe = ("import asyncio, sys, tempfile, pathlib\n"
             "from networking_app.store import Store\n"
             "from networking_app.ui.app import make_main\n"
             "from tests.support.flet_fake_client import start\n"
             "store = Store.open(pathlib.Path(tempfile.mkdtemp()), daily_backup=False)\n"
             "client = asyncio.run(start(make_main(store), route='/'))\n"
             "assert client.page.theme.color_scheme_seed\n"
             "print('flet.controls.theme' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


async def test_the_first_screen_comes_themed_in_one_message_without_a_theme_animation(ready: Store) -> None:
    """The client draws its boot screen in Flutter's default theme. Sent apart, the first screen
    was drawn once in that theme and then again in ours; and by default MaterialApp animates
    from one theme to the next over 200 ms, rebuilding the screen frame by frame while the
    browser is still compiling the app (measured: ~150 ms later first paint)."""
    ready.events.start("PyCon")
    client = await open_app(ready)
    bodies = [msgpack.unpackb(wire, strict_map_key=False)[1] for wire in client.conn.wire]
    screens = [b for b in bodies if "At PyCon · 0 people met so far" in str(b)]
    assert screens, "the first screen was sent"
    ops = {op[2]: op[3] for op in screens[0]["patch"] if isinstance(op, list) and len(op) == 4}
    assert ops["theme"]["color_scheme_seed"] == theme.SEED and ops["title"] == "Mutual"
    assert ops["theme_animation_style"] == {"duration": {}, "reverse_duration": {}}  # Duration(): zero
    assert ops["on_route_change"] is True  # the page's handlers go with it too
    # later screens go as their view's changes only (unless the views under it change): the page's
    # settings are not diffed and sent again
    for label, route in (("Reflect", "/reflect"), ("People", "/people")):  # both have Scan to go back to
        sent = len(client.conn.wire)
        bar = client.page.views[-1].navigation_bar
        await client.select_nav(bar, [d.label for d in bar.destinations].index(label))
        await wait_for(client, lambda route=route: client.page.views[-1].route == route, route)
    later = [msgpack.unpackb(wire, strict_map_key=False)[1] for wire in client.conn.wire[sent:]]
    assert later and all(b.get("id") != client.page._i for b in later if isinstance(b, dict))


# -- events ----------------------------------------------------------------------------------------------------------
async def test_starting_an_event_lands_on_the_exchange_screen(ready: Store) -> None:
    client = await open_app(ready, route="/event")
    await client.click(button(client, "Start event"))
    assert "Give the event a name." in texts(client) and ready.events.current() is None
    client.type(field(client, "Event name"), "Climate Meetup")
    client.type(field(client, "My intention"), "meet 3 people, help one")
    await client.click(button(client, "Start event"))
    await wait_for(client, lambda: routed_to(client, "/scan"), "the exchange screen once the event started")
    event = ready.events.current()
    assert (event.name, event.intention, event.date) == ("Climate Meetup", "meet 3 people, help one", date.today().isoformat())
    assert ("push_route", {"route": "/scan"}) in client.conn.invoked


async def test_the_event_lists_who_i_met_and_ending_it_offers_reflection(ready: Store) -> None:
    event = ready.events.start("PyCon")
    met = ready.people.record_scan(BOB)
    ready.meetings.save_note(met.meeting.id, need="a contractor")
    ready.people.record_scan(Card(given="Cy", emails=["cy@x.org"]))
    client = await open_app(ready, route="/event")
    shown = texts(client)
    assert "People met · 2 met · 1 notes done" in shown
    assert {"Bob Stone", "Cy", "Note done", "Note missing"} <= set(shown)
    await client.click(button(client, "End event"))
    await wait_for(client, lambda: snack_says(client, "“PyCon” ended."), "the SnackBar saying the event ended")
    assert ready.events.current() is None and ready.events.get(event.id).ended_at
    snacks = client.find(lambda c: isinstance(c, ft.SnackBar) and c.open)
    assert snacks and snacks[-1].content.value == "“PyCon” ended. A quick reflection?" and snacks[-1].action == "Reflect"
    assert "Start an event" in texts(client)


async def test_a_big_event_shows_the_latest_people_first_and_more_on_request(ready: Store) -> None:
    from networking_app.ui.widgets import PAGE

    ready.events.start("Web Summit")
    for n in range(PAGE + 5):
        ready.people.record_scan(Card(given=f"Guest{n:02d}", emails=[f"guest{n}@x.org"]))
    client = await open_app(ready, route="/event")
    shown = texts(client)
    assert f"People met · {PAGE + 5} met · 0 notes done" in shown
    assert f"Guest{PAGE + 4:02d}" in shown and "Guest04" not in shown  # the latest, not the first
    await client.click(button(client, "Show more (5 more)"))
    shown = texts(client)
    assert {"Guest00", "Guest04"} <= set(shown) and not [t for t in shown if t.startswith("Show more")]


async def test_reflect_shows_the_first_people_met_and_more_on_request(ready: Store) -> None:
    from networking_app.ui.widgets import PAGE

    event = ready.events.start("Web Summit")
    for n in range(PAGE + 2):
        ready.people.record_scan(Card(given=f"Guest{n:02d}", emails=[f"guest{n}@x.org"]))
    client = await open_app(ready, route=f"/reflect/{event.id}")
    assert "Guest00" in texts(client) and f"Guest{PAGE + 1:02d}" not in texts(client)
    await client.click(button(client, "Show more (2 more)"))
    assert f"Guest{PAGE + 1:02d}" in texts(client)


# -- scanning ------------------------------------------------------------------------------------------------------
async def test_a_picked_photo_is_reviewed_then_saved_then_the_prompt_asks(ready: Store) -> None:
    ready.events.start("PyCon")
    png = qr_png(fit_card_for_qr(BOB).text)
    client = await open_app(ready, **{"FilePicker.pick_files": [{"id": 1, "name": "bob.png", "size": len(png), "bytes": png}]})
    await client.click(button(client, "Open a photo"))
    await wait_for(client, lambda: "Save contact" in [getattr(b, "content", None) for b in client.find(lambda c: isinstance(c, ft.FilledButton))])
    shown = texts(client)
    assert {"Bob Stone", "CTO, Stone Labs", "Read a vCard 3.0 card"} <= set(shown)
    assert ready.people.all() == []  # nothing saved before "Save contact"
    assert "At PyCon · 0 people met so far" in texts(client)
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    [bob] = ready.people.all()
    assert bob.full_name == "Bob Stone"
    # the Scan screen behind the sheet counts them at once, not after the note
    await wait_for(client, lambda: "At PyCon · 1 person met so far" in texts(client), "the count behind the sheet")
    client.type(field(client, "What they need"), "a Python contractor for 3 months")
    client.type(field(client, "What I promised"), "send Grace's email")
    radio = client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]
    client.session.apply_patch(radio._i, {"value": "3"})
    await client.click(button(client, "Save note"))
    await wait_for(client, lambda: not sheet_open(client), "the note sheet to close once the note is saved")
    [meeting] = ready.meetings.of(bob.id)
    assert (meeting.need, meeting.promise, meeting.has_note) == ("a Python contractor for 3 months", "send Grace's email", True)
    # "In 3 days" from Wednesday 25 November is a Saturday: the follow-up is due the Monday after
    assert ready.followups.for_meeting(meeting.id).due == "2026-11-30"
    await client.fire(client.find(lambda c: isinstance(c, ft.BottomSheet))[-1], "dismiss")  # the client closed it
    await wait_for(client, lambda: snack_says(client, "Note saved · follow up Mon 30 Nov"))


async def test_closing_the_note_sheet_without_save_keeps_what_was_typed(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    client.type(field(client, "Paste a screenshot or their card text"), fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: buttons(client, "Save contact"))
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    client.type(field(client, "What they need"), "a Python contractor")
    client.type(field(client, "What I promised"), "send Grace's email")
    sheet = client.find(lambda c: isinstance(c, ft.BottomSheet))[-1]
    await client.fire(sheet, "dismiss")  # Back, a tap outside or a swipe: not "Save note"
    await wait_for(client, lambda: snack_says(client, "Your note was saved as typed · your promise waits in Follow-ups."))
    [bob] = ready.people.all()
    [meeting] = ready.meetings.of(bob.id)
    assert (meeting.need, meeting.promise, meeting.has_note) == ("a Python contractor", "send Grace's email", True)


async def test_pasting_a_file_of_several_cards_reads_the_first_and_points_to_import(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    three = "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nEMAIL:{mail}\nEND:VCARD\n" for name, mail in
                    (("Ελένη Κωνσταντίνου", "eleni@x.gr"), ("王芳", "fang@x.cn"), ("فرح حداد", "farah@x.ae")))
    client.type(field(client, "Paste a screenshot or their card text"), three)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: buttons(client, "Save contact"))
    shown = texts(client)
    assert "Read a vCard 3.0 card (the first of 3)" in shown
    assert "To add all 3, save them as a .vcf file and use Import in Your data." in shown


async def test_an_arabic_event_name_in_the_scan_banner_is_isolated_from_the_count(ready: Store) -> None:
    ready.events.start("ملتقى الشبكات 2026", place="Αθήνα")
    client = await open_app(ready, route="/scan")
    assert "At \u2068ملتقى الشبكات 2026\u2069 · 0 people met so far" in texts(client)


async def test_closing_the_card_review_says_the_card_was_not_saved(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    client.type(field(client, "Paste a screenshot or their card text"), fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: buttons(client, "Save contact"))
    await client.fire(client.find(lambda c: isinstance(c, ft.BottomSheet))[-1], "dismiss")
    await wait_for(client, lambda: snack_says(client, "Closed; the card was not saved."))
    assert ready.people.all() == []


async def test_editing_a_note_keeps_its_follow_up_unless_i_choose_otherwise(ready: Store) -> None:
    met = ready.people.record_scan(BOB)
    due = TODAY + timedelta(days=1)
    ready.meetings.save_note(met.meeting.id, promise="send Grace's email", follow_up=due)
    client = await open_app(ready, route=f"/person/{met.contact.id}")
    await client.click(button(client, "Edit note"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    radio = client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]
    assert radio.value == "keep" and f"Keep {due.strftime('%a %d %b')}" in [r.label for r in client.find(lambda c: isinstance(c, ft.Radio))]
    await client.click(button(client, "Save note"))
    await wait_for(client, lambda: not sheet_open(client), "the note sheet to close once the note is saved")
    assert ready.followups.for_meeting(met.meeting.id).due == due.isoformat()  # saving changed nothing about it
    await client.click(button(client, "Edit note"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    client.session.apply_patch(client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]._i, {"value": "none"})
    await client.click(button(client, "Save note"))
    await wait_for(client, lambda: not sheet_open(client), "the note sheet to close once the note is saved")
    undated = ready.followups.for_meeting(met.meeting.id)  # "No date", chosen, takes the date away
    assert undated.due == "" and not undated.is_done  # the promise itself stays in the queue


async def test_later_keeps_the_meeting_marked_as_missing_its_note(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    client.type(field(client, "Paste a screenshot or their card text"), fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: any(t == "Bob Stone" for t in texts(client)))
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    await client.click(button(client, "Later"))
    await wait_for(client, lambda: not sheet_open(client), "the note sheet to close on Later")
    [bob] = ready.people.all()
    [meeting] = ready.meetings.of(bob.id)
    assert not meeting.has_note and meeting.event_id == ""


async def test_a_pasted_vcard_is_read_at_once_but_enter_in_typed_text_is_a_new_line(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    paste = field(client, "Paste a screenshot or their card text")
    assert not paste.shift_enter and paste.multiline  # Enter types a new line, never submits
    client.type(paste, "Robert Stone")
    await client.fire(paste, "change")
    # fire() returns once the change handler has run: a read it started would show "Reading…"
    assert not client.find(lambda c: isinstance(c, ft.BottomSheet) and c.open)  # half a card is not read
    assert not [t for t in texts(client) if t.startswith("Reading")]
    client.type(paste, fit_card_for_qr(BOB).text)
    await client.fire(paste, "change")  # what the client sends after a paste
    await wait_for(client, lambda: any(t == "Bob Stone" for t in texts(client)))
    assert button(client, "Save contact")


async def test_the_camera_button_says_stop_while_the_camera_runs(ready: Store) -> None:
    labels: list[str] = []

    def no_cameras(args: Any) -> list[Any]:  # the platform answers while the button is pressed
        labels.append(button(client, "Stop camera").content)
        return []

    client = await open_app(ready, route="/scan", **{"Camera.get_available_cameras": no_cameras})
    await client.click(button(client, "Scan with camera"))
    await wait_for(client, lambda: "No camera is available here: open a photo or paste a screenshot instead." in texts(client),
                   "the sentence saying there is no camera")
    assert labels == ["Stop camera"]
    assert snack_says(client, "No camera is available here")
    # said once: the camera button goes, on this screen and the next time it is built
    assert not [b for b in buttons(client, "Scan with camera") if b.visible]
    await client.go("/people")
    await client.go("/scan")
    assert not buttons(client, "Scan with camera") and button(client, "Open a photo")


async def test_a_pasted_screenshot_is_read(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    png = qr_png(fit_card_for_qr(BOB).text)
    paste = field(client, "Paste a screenshot or their card text")
    await client.fire(paste, "paste_files", {"files": [{"name": "shot.png", "mime_type": "image/png", "bytes": png}]})
    await wait_for(client, lambda: any(t == "Bob Stone" for t in texts(client)))


async def test_a_code_that_is_not_a_card_gets_one_plain_sentence_and_nothing_is_saved(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    paste = field(client, "Paste a screenshot or their card text")
    client.type(paste, "WIFI:S:CafeNet;T:WPA;P:hunter2;;")
    await client.click(read_pasted(client))
    await wait_for(client, lambda: any("Wi-Fi" in t for t in texts(client)))
    [sentence] = {t for t in texts(client) if "Wi-Fi" in t}
    assert "hunter2" not in sentence and ready.people.all() == []
    # under the buttons, and in a SnackBar: a phone shows it above its navigation bar whatever the scroll
    assert snack_says(client, sentence) and field(client, "Paste a screenshot or their card text")


async def test_an_unreadable_image_gets_a_sentence_not_a_crash(ready: Store) -> None:
    client = await open_app(ready, route="/scan", **{"FilePicker.pick_files": [{"id": 1, "name": "x.png", "size": 9, "bytes": b"not a png"}]})
    await client.click(button(client, "Open a photo"))
    await wait_for(client, lambda: "This file is not an image Mutual can read." in texts(client))
    assert not client.conn.errors


async def test_scanning_someone_known_says_so_before_saving(ready: Store) -> None:
    ready.people.record_scan(BOB, event_id="")
    client = await open_app(ready, route="/scan")
    paste = field(client, "Paste a screenshot or their card text")
    client.type(paste, fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: any(t.startswith("Already in your contacts as Bob Stone") for t in texts(client)))


async def test_scanning_someone_again_at_the_same_event_says_so_and_later_keeps_the_note(ready: Store) -> None:
    ready.events.start("PyCon")
    met = ready.people.record_scan(BOB)
    ready.meetings.save_note(met.meeting.id, need="a contractor")
    client = await open_app(ready, route="/scan")
    paste = field(client, "Paste a screenshot or their card text")
    client.type(paste, fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: any(t.startswith("Already in your contacts as Bob Stone") for t in texts(client)))
    await client.click(button(client, "Save contact"))
    await wait_for(client, lambda: "How can I help them?" in texts(client))
    shown = texts(client)
    assert "You already met them here: no second meeting was added." in shown
    assert "Their card is the same as before." in shown and not any(t.startswith("Their card changed") for t in shown)
    assert any(t.startswith("CTO, Stone Labs · met at PyCon, ") for t in shown)  # what jogs the memory
    await client.click(button(client, "Later"))
    sheet = client.find(lambda c: isinstance(c, ft.BottomSheet))[-1]
    await client.fire(sheet, "dismiss")  # the client reports the sheet closed
    await wait_for(client, lambda: any(isinstance(c, ft.SnackBar) and c.open for c in client.find(lambda c: True)))
    snack = [c for c in client.find(lambda c: isinstance(c, ft.SnackBar)) if c.open][-1]
    assert snack.content.value == "Closed; your earlier note is unchanged."
    [meeting] = ready.meetings.of(met.contact.id)
    assert meeting.has_note and meeting.need == "a contractor"


# -- a person, safely ----------------------------------------------------------------------------------------------
async def test_a_person_shows_meetings_and_never_makes_unsafe_links_clickable(ready: Store) -> None:
    card = Card(given="Eve", emails=["eve@example.org"],
                urls=["javascript:alert(1)", "https://xn--pypal-4ve.com/login", "https://www.linkedin.com/in/eve"])
    result = ready.people.record_scan(card, event_id="")
    ready.meetings.save_note(result.meeting.id, need="a designer", promise="intro to Ida")
    client = await open_app(ready, route=f"/person/{result.contact.id}")
    tiles = client.find(lambda c: isinstance(c, ft.ListTile))
    by_title = {t.title.value: t for t in tiles}
    assert by_title["javascript:alert(1)"].on_click is None
    assert "never opens javascript:" in by_title["javascript:alert(1)"].subtitle.value
    assert "xn--pypal-4ve.com" in by_title["https://xn--pypal-4ve.com/login"].subtitle.value
    assert {"Needs: ", "I promised: "} <= {s.text for c in client.find(lambda c: isinstance(c, ft.Text) and c.spans) for s in c.spans}
    await client.click(by_title["https://www.linkedin.com/in/eve"])
    dialogs = client.find(lambda c: isinstance(c, ft.AlertDialog) and c.open)
    assert dialogs and "It goes to www.linkedin.com." in [t.value for t in client.find(lambda c: isinstance(c, ft.Text), dialogs[-1])]
    assert not [name for name, _ in client.conn.invoked if name == "launch_url"]  # nothing opened before "Open"
    await client.click(button(client, "Open"))
    await wait_for(client, lambda: any(name == "launch_url" for name, _ in client.conn.invoked), "the link to be opened")
    assert [args["url"] for name, args in client.conn.invoked if name == "launch_url"] == ["https://www.linkedin.com/in/eve"]


# -- navigation and layout ------------------------------------------------------------------------------------------------
async def test_the_navigation_names_event_scan_and_reflect_and_switches_screens(ready: Store) -> None:
    client = await open_app(ready, route="/event")
    bar = client.page.views[-1].navigation_bar
    labels = [d.label for d in bar.destinations]
    assert {"Event", "Scan", "Reflect"} <= set(labels)
    await client.select_nav(bar, labels.index("Reflect"))
    await wait_for(client, lambda: "Nothing to reflect on yet" in texts(client), "the Reflect screen")
    assert client.page.views[-1].route == "/reflect"
    assert "Nothing to reflect on yet" in texts(client)


async def test_a_wide_window_gets_a_navigation_rail(ready: Store) -> None:
    client = await open_app(ready, route="/event")
    client.session.apply_page_patch({"width": 1280, "height": 800})
    await client.fire(client.page, "resize", {"width": 1280, "height": 800})
    await wait_for(client, lambda: client.find(lambda c: isinstance(c, ft.NavigationRail)), "the navigation rail of a wide window")
    assert client.find(lambda c: isinstance(c, ft.NavigationRail))
    assert client.page.views[-1].navigation_bar is None


async def test_a_reload_after_a_resize_lays_the_screen_out_for_the_new_width(ready: Store) -> None:
    client = await open_app(ready, route="/event")
    assert client.page.views[-1].navigation_bar is not None
    client.session.apply_page_patch({"width": 1280, "height": 800})  # what a reload's client sends: no resize event
    await client.fire(client.page, "connect")
    await wait_for(client, lambda: client.find(lambda c: isinstance(c, ft.NavigationRail)), "the rail after the reload")
    assert client.page.views[-1].navigation_bar is None


# -- navigation: the browser's Back, a phone's back gesture ---------------------------------------------------------
async def test_the_browsers_back_with_the_review_sheet_open_closes_it_with_the_screen(ready: Store) -> None:
    client = await open_app(ready, route="/scan")
    client.type(field(client, "Paste a screenshot or their card text"), fit_card_for_qr(BOB).text)
    await client.click(read_pasted(client))
    await wait_for(client, lambda: sheet_open(client), "the review sheet")
    await client.go("/people")  # Back (or an address typed after a reload): the URL changes under the sheet
    assert not sheet_open(client) and client.page.views[-1].route == "/people"
    assert ready.people.all() == []  # nothing was saved on the way


async def test_a_phones_back_gesture_closes_the_sheet_first_then_goes_back_a_screen(ready: Store) -> None:
    met = ready.people.record_scan(BOB, event_id="")
    client = await open_app(ready, route=f"/person/{met.contact.id}")
    # a view below the screen, routed where back leads: the client then sends view_pop instead of leaving
    assert [v.route for v in client.page.views] == ["/people", f"/person/{met.contact.id}"]
    await client.click(button(client, "Add note"))
    await wait_for(client, lambda: sheet_open(client), "the note sheet")
    await client.fire(client.page, "view_pop", {"route": client.page.views[-1].route})
    assert not sheet_open(client) and client.page.views[-1].route == f"/person/{met.contact.id}"
    await client.fire(client.page, "view_pop", {"route": client.page.views[-1].route})
    await wait_for(client, lambda: client.page.views[-1].route == "/people", "People, one screen back")
    assert routed_to(client, "/people")
    # People is not where a session starts (Event is, with no event running): back leads there, then out
    assert [v.route for v in client.page.views] == ["/event", "/people"]
    await client.fire(client.page, "view_pop", {"route": "/people"})
    await wait_for(client, lambda: client.page.views[-1].route == "/event")
    assert [v.route for v in client.page.views] == ["/event"]  # one view: the system's back leaves the app


# -- after the event ---------------------------------------------------------------------------------------------------
def seed_event(store: Store) -> list[str]:
    """An ended event with three people: one note done, two missing."""
    store.events.start("PyCon")
    ids = []
    for name, offers, seeking in [("Bob Stone", "hardware intros", "a Python contractor"),
                                  ("Chiara Rossi", "battery chemistry", "seed funding"),
                                  ("Dev Patel", "seed rounds and early-stage investment", "climate founders")]:
        given, family = name.split()
        result = store.people.record_scan(Card(given=given, family=family, emails=[f"{given.lower()}@x.org"], offers=offers, seeking=seeking))
        ids.append(result.meeting.id)
    store.meetings.save_note(ids[0], need="a contractor", promise="send Grace's email", follow_up=TODAY + timedelta(days=1))
    store.events.end()
    return ids


async def test_the_notes_inbox_walks_through_each_missing_note_in_turn(ready: Store) -> None:
    ids = seed_event(ready)
    client = await open_app(ready, route="/reflect")
    assert "Notes inbox: 2 people still without a note." in texts(client)
    await client.click(button(client, "Start"))
    await wait_for(client, lambda: "Notes inbox · 2 left" in texts(client))
    assert "Chiara Rossi" in " ".join(texts(client))
    client.type(field(client, "What they need"), "seed funding")
    await client.click(button(client, "Save note"))
    await wait_for(client, lambda: "Notes inbox · 1 left" in texts(client))
    client.type(field(client, "How I can help"), "intro to Bob")
    await client.click(button(client, "Save note"))
    await wait_for(client, lambda: "Every meeting has its note. Now follow up, promises first." in texts(client))
    assert all(ready.meetings.get(mid).has_note for mid in ids)
    assert ready.meetings.get(ids[1]).need == "seed funding" and ready.meetings.get(ids[2]).help == "intro to Bob"


async def test_later_in_the_inbox_moves_on_instead_of_looping(ready: Store) -> None:
    seed_event(ready)
    client = await open_app(ready, route="/reflect")
    await client.click(button(client, "Start"))
    await wait_for(client, lambda: "Notes inbox · 2 left" in texts(client))
    await client.click(button(client, "Later"))
    await wait_for(client, lambda: "Notes inbox · 1 left" in texts(client))
    await client.click(button(client, "Later"))
    await wait_for(client, lambda: "Notes inbox: 2 people still without a note." in texts(client))


async def test_the_reflection_is_saved_and_the_trend_describes_itself(ready: Store) -> None:
    seed_event(ready)
    client = await open_app(ready, route="/reflect")
    client.type(field(client, "What went well?"), "a real talk about batteries")
    client.session.apply_patch(client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]._i, {"value": "4"})
    client.type(field(client, "Who can I help first?"), "Bob, with Grace")
    await client.click(button(client, "Save reflection"))
    await wait_for(client, lambda: snack_says(client, "Reflection saved."), "“Reflection saved.”")
    event = ready.events.to_reflect()
    assert (event.went_well, event.comfort, event.help_first) == ("a real talk about batteries", 4, "Bob, with Grace")
    trend = "After two events you will see how networking gets easier."
    await wait_for(client, lambda: trend in texts(client), "the trend, sent after the rest of the screen")
    assert "After two events you will see how networking gets easier." in texts(client)


async def test_the_trend_chart_is_one_label_for_a_screen_reader_and_the_summary_is_text(ready: Store) -> None:
    seed_event(ready)
    ready.events.start("RustConf")
    ready.people.record_scan(Card(given="Eve", emails=["eve@x.org"]))
    ready.events.end()
    client = await open_app(ready, route="/reflect")
    bar_charts = lambda c: isinstance(c, ft.Semantics) and (c.label or "").startswith("Bar charts")  # noqa: E731
    await wait_for(client, lambda: client.find(bar_charts))  # sent after the rest of the screen
    charts = client.find(bar_charts)
    assert len(charts) == 1 and charts[0].exclude_semantics and charts[0].label == "Bar charts of your last 2 events"
    assert any(t.startswith("Over your last 2 events: people met per event went from 3 to 1") for t in texts(client))


async def test_unsaved_reflection_answers_survive_leaving_the_screen(ready: Store) -> None:
    seed_event(ready)
    client = await open_app(ready, route="/reflect")
    well = field(client, "What went well?")
    client.type(well, "a real talk about batteries")
    await client.fire(well, "change")
    await client.select_nav(client.find(lambda c: isinstance(c, ft.NavigationBar))[0], 0)  # the Event tab
    await wait_for(client, lambda: client.page.views[-1].route == "/event", "the Event screen")
    await client.select_nav(client.find(lambda c: isinstance(c, ft.NavigationBar))[0], 4)  # back to Reflect
    await wait_for(client, lambda: client.find(lambda c: isinstance(c, ft.TextField) and c.label == "What went well?"), "the Reflect screen again")
    assert field(client, "What went well?").value == "a real talk about batteries"
    assert ready.events.to_reflect().went_well == ""  # kept in the session, saved only by Save reflection


async def test_follow_ups_put_the_promise_first_and_done_removes_it(ready: Store) -> None:
    seed_event(ready)
    meeting = ready.meetings.notes_inbox(ready.events.to_reflect().id)[0]
    ready.meetings.save_note(meeting.id, help="feedback on the pitch", follow_up=TODAY + timedelta(days=1))
    client = await open_app(ready, route="/followups")
    rows = [t for t in texts(client) if t.startswith(("Promised:", "feedback"))]
    assert rows == ["Promised: send Grace's email", "feedback on the pitch"]
    await client.click(button(client, "Done", index=0))
    await wait_for(client, lambda: snack_says(client, "Done: "), "the SnackBar saying the follow-up is done")
    assert [f.contact_id for f in ready.followups.all()] == [meeting.contact_id]
    assert "Promised: send Grace's email" not in texts(client)


async def test_later_says_the_date_it_moves_a_follow_up_to_and_moves_it_there(ready: Store) -> None:
    seed_event(ready)  # Bob's promise is due tomorrow
    assert len(ready.followups.all()) == 1
    client = await open_app(ready, route="/followups")
    await client.click(button(client, "Later", index=0))
    day_later = TODAY + timedelta(days=2)  # a day after it is due, not "tomorrow"
    await client.click(button(client, f"A day later · {day_later.strftime('%a %d %b')}"))
    await wait_for(client, lambda: snack_says(client, "Bob Stone: moved to"), "the SnackBar saying where the follow-up moved")
    assert ready.followups.all()[0].due == day_later.isoformat()


async def test_a_date_picked_east_of_greenwich_is_the_day_picked_and_never_in_the_past(ready: Store) -> None:
    import os
    import time
    from datetime import UTC, datetime, timezone

    seed_event(ready)
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        client = await open_app(ready, route="/followups")
        await client.click(button(client, "Later", index=0))
        await client.click(button(client, "Pick a date…"))
        [picker] = client.find(lambda c: isinstance(c, ft.DatePicker))
        assert picker.first_date == TODAY  # a follow-up moves to a day to come
        berlin_midnight = datetime(2026, 12, 20, tzinfo=timezone(timedelta(hours=1))).astimezone(UTC)
        client.session.apply_patch(picker._i, {"value": berlin_midnight})  # as the client sends the 20th
        await client.fire(picker, "change")
        await wait_for(client, lambda: snack_says(client, "Bob Stone: due"), "the follow-up moved")
        assert ready.followups.all()[0].due == "2026-12-20"
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


async def test_write_drafts_a_give_first_message_and_copies_it(ready: Store) -> None:
    seed_event(ready)
    client = await open_app(ready, route="/followups", **{"Clipboard.set": None})
    await client.click(button(client, "Write"))
    body = field(client, "Message")
    assert body.value.startswith("Hi Bob,\n\nIt was good to meet you at PyCon.")
    assert "As promised, I'm getting back to you." in body.value and "Grace" not in body.value  # my notes stay mine
    assert "Your notes (not in the message): They need: a contractor · I promised: send Grace's email" in texts(client)
    await client.click(button(client, "Copy"))
    assert ("set", {"data": body.value}) in client.conn.invoked


async def test_people_search_as_you_type_and_filter_by_tag(ready: Store) -> None:
    seed_event(ready)
    dev = ready.people.find_known(Card(emails=["dev@x.org"]))
    ready.people.set_tags(dev.id, ["investor"])
    client = await open_app(ready, route="/people")
    assert "3 people" in texts(client)
    client.type(field(client, "Search people"), "batter")
    await client.fire(field(client, "Search people"), "change")
    await wait_for(client, lambda: "1 person matches" in texts(client))
    assert "Chiara Rossi" in texts(client) and "Bob Stone" not in texts(client)
    client.type(field(client, "Search people"), "")
    await client.fire(field(client, "Search people"), "change")
    await wait_for(client, lambda: "3 people" in texts(client))
    tag = client.find(lambda c: isinstance(c, ft.Dropdown) and c.label == "Tag")[0]
    named = {c.label for c in client.find(lambda c: isinstance(c, ft.Semantics))}
    assert {"Event: All events", "Tag: All tags"} <= named  # what a screen reader says (Flutter's is nameless)
    client.session.apply_patch(tag._i, {"value": "investor"})
    sent_before = len(client.conn.wire)
    await client.fire(tag, "select")
    await wait_for(client, lambda: "1 person matches" in texts(client))
    assert "Dev Patel" in texts(client)
    assert "Tag: investor" in {c.label for c in client.find(lambda c: isinstance(c, ft.Semantics))}  # follows
    def sent() -> bytes:  # what reached the browser, not only the server's tree
        return b"".join(client.conn.wire[sent_before:])

    await wait_for(client, lambda: b"1 person matches" in sent(), "the filtered list sent to the browser")
    assert b"Tag: investor" in sent()


async def test_deleting_a_person_offers_undo_and_undo_brings_everything_back(ready: Store) -> None:
    seed_event(ready)
    bob = ready.people.find_known(Card(emails=["bob@x.org"]))
    client = await open_app(ready, route=f"/person/{bob.id}")
    await client.click(button(client, "Delete"))
    await wait_for(client, lambda: any(s.action == "Undo" for s in open_snacks(client)), "the SnackBar offering Undo")
    assert ready.people.find_known(Card(emails=["bob@x.org"])) is None and ready.followups.all() == []
    snack = [c for c in client.find(lambda c: isinstance(c, ft.SnackBar)) if c.open][-1]
    assert snack.action == "Undo"
    # it goes away by itself (Flutter keeps a SnackBar with an action unless told) and can be closed
    assert (snack.persist, snack.duration, snack.show_close_icon) == (False, 8000, True)
    await client.fire(snack, "action")
    await wait_for(client, lambda: ready.people.find_known(Card(emails=["bob@x.org"])) is not None, "Bob to be back in the store")
    assert ready.people.find_known(Card(emails=["bob@x.org"])).id == bob.id and len(ready.followups.all()) == 1


async def test_merging_asks_which_record_to_keep_and_keeps_both_histories(ready: Store) -> None:
    bob = ready.people.record_scan(BOB, event_id="").contact
    roberta = ready.people.record_scan(Card(given="Roberta", family="Stone", emails=["roberta@x.org"]), event_id="").contact
    client = await open_app(ready, route=f"/person/{roberta.id}")
    await client.click(button(client, "Merge with…"))
    [tile] = client.find(lambda c: isinstance(c, ft.ListTile) and getattr(c.title, "value", "") == "Bob Stone")
    await client.click(tile)
    await wait_for(client, lambda: "Merge Roberta Stone and Bob Stone?" in texts(client))
    assert len(ready.people.all()) == 2  # nothing merged before the answer
    keep = client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]
    assert keep.value == roberta.id  # the record I am on, unless I choose the other
    client.session.apply_patch(keep._i, {"value": bob.id})
    await client.click(button(client, "Merge"))
    await wait_for(client, lambda: routed_to(client, f"/person/{bob.id}"), "the kept record's page after the merge")
    [merged] = ready.people.all()
    assert merged.id == bob.id and merged.full_name == "Bob Stone"
    assert set(merged.emails) == {"bob@stone.example", "roberta@x.org"} and len(ready.meetings.of(bob.id)) == 2
    assert ("push_route", {"route": f"/person/{bob.id}"}) in client.conn.invoked


async def test_an_introduction_is_drafted_from_a_suggestion(ready: Store) -> None:
    seed_event(ready)
    client = await open_app(ready, route="/intros", **{"Clipboard.set": None})
    await wait_for(client, lambda: any(t.startswith("Chiara Rossi & Dev Patel") for t in texts(client)))
    await client.click(button(client, "Draft intro", index=0))
    await wait_for(client, lambda: snack_says(client, "Two drafts ready below"), "the drafts of the introduction")
    [intro] = ready.intros.drafts()
    to_seeker, to_helper = field(client, "To Chiara Rossi"), field(client, "To Dev Patel")  # editable
    assert (to_seeker.value, to_helper.value) == (intro.to_seeker, intro.to_helper)
    assert "Dev Patel" in intro.to_seeker
    client.type(to_seeker, "Hi Chiara, Dev funds seed rounds in climate: shall I introduce you?")
    await client.click(button(client, "Copy", index=0))  # copies what I wrote, and keeps it
    assert ("set", {"data": "Hi Chiara, Dev funds seed rounds in climate: shall I introduce you?"}) in client.conn.invoked
    assert ready.intros.drafts()[0].to_seeker.startswith("Hi Chiara, Dev funds seed rounds")


async def test_a_past_event_can_be_resumed(ready: Store) -> None:
    first = ready.events.start("Morning")
    ready.events.start("Evening")
    ready.events.end()
    client = await open_app(ready, route="/event")
    resume = [b for b in client.find(lambda c: isinstance(c, ft.TextButton) and c.content == "Resume")]
    titles = [t.title.value for t in client.find(lambda c: isinstance(c, ft.ListTile) and c.trailing in resume)]
    await client.click(resume[titles.index("Morning")])
    await wait_for(client, lambda: "Scan a card" in [b.content for b in client.find(lambda c: isinstance(c, ft.FilledButton))],
                   "the running event's screen")
    assert ready.events.current().id == first.id
    assert "Morning" in texts(client) and "Scan a card" in [b.content for b in client.find(lambda c: isinstance(c, ft.FilledButton))]


# -- your data: export and import in the app ------------------------------------------------------------------------
async def test_exporting_an_events_people_hands_the_file_to_the_save_dialog(ready: Store) -> None:
    seed_event(ready)
    ready.people.record_scan(Card(given="Outsider", emails=["out@x.org"]), event_id="")
    client = await open_app(ready, route="/data", **{"FilePicker.save_file": None})
    scope = client.find(lambda c: isinstance(c, ft.Dropdown) and c.label == "Who")[0]
    pycon = [o.key for o in scope.options if "PyCon" in (o.text or "")][0]
    client.session.apply_patch(scope._i, {"value": pycon})
    await client.click(button(client, "Export…"))
    await wait_for(client, lambda: any(name == "save_file" for name, _ in client.conn.invoked))
    [args] = [a for name, a in client.conn.invoked if name == "save_file"]
    text = bytes(args["src_bytes"]).decode("utf-8")
    assert args["file_name"].endswith(".vcf") and text.count("BEGIN:VCARD") == 3
    assert "Bob Stone" in text and "Outsider" not in text  # only the chosen people leave the device


async def test_saving_an_export_over_a_named_pipe_or_the_journal_is_refused_in_a_sentence(
        ready: Store, tmp_path: Path) -> None:
    import os
    import stat

    seed_event(ready)
    fifo = tmp_path / "export.vcf"
    os.mkfifo(fifo)
    journal = ready.folder / "mutual.journal"
    for chosen, sentence in ((fifo, f"{fifo} is a named pipe, not a file"), (journal, f"{journal} is Mutual's journal")):
        kept = journal.read_bytes()
        client = await open_app(ready, route="/data", **{"FilePicker.save_file": str(chosen)})
        client.session.apply_page_patch({"web": False})  # on desktop the dialog gives a path for Mutual to write
        await client.click(button(client, "Export…"))
        await wait_for(client, lambda: any(t.startswith(sentence) for t in texts(client)))  # noqa: B023 (awaited in this pass)
        assert not [t for t in texts(client) if t.startswith("Exported")]
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and journal.read_bytes() == kept
    assert len(ready.people.all()) == 3


async def test_importing_a_vcf_merges_known_people_and_reports_it(ready: Store) -> None:
    from networking_app.vcard import serialize_vcards

    ready.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@x.org"]), event_id="")
    data = serialize_vcards([Card(given="Bob", family="Stone", emails=["bob@x.org"], title="CTO"),
                             Card(given="Nia", family="New", emails=["nia@x.org"])]).encode()
    client = await open_app(ready, route="/data", **{"FilePicker.pick_files": [
        {"id": 1, "name": "contacts.vcf", "size": len(data), "bytes": data}]})
    formats = client.find(lambda c: isinstance(c, ft.RadioGroup))[-1]
    client.session.apply_patch(formats._i, {"value": "csv"})
    await client.click(button(client, "Import a file…"))
    await wait_for(client, lambda: len(ready.people.all()) == 2)
    assert ready.people.find_known(Card(emails=["bob@x.org"])).title == "CTO"
    await wait_for(client, lambda: any(t.startswith("Imported 2 people") for t in texts(client)), "the report of the import")
    [slot] = client.find(lambda c: isinstance(c, ft.Column) and c.controls and isinstance(c.controls[0], ft.ProgressBar))
    assert slot.controls[1].value == "Imported 2 people from contacts.vcf: 1 new, 1 updated, 0 already known."
    assert any(getattr(c, "content", None) == "Import a file…" for c in slot.parent.controls)  # under Import
    assert client.find(lambda c: isinstance(c, ft.RadioGroup))[-1].value == "csv"  # my export choice stays


async def test_cancelling_a_restore_says_nothing_changed(ready: Store) -> None:
    ready.people.record_scan(Card(given="Kept", emails=["kept@x.org"]), event_id="")
    data = ready.backup().read_bytes()
    client = await open_app(ready, route="/data", **{"FilePicker.pick_files": [
        {"id": 1, "name": "old.json", "size": len(data), "bytes": data}]})
    await client.click(button(client, "Import a file…"))
    await wait_for(client, lambda: any(isinstance(c, ft.AlertDialog) and c.open for c in client.find(lambda c: isinstance(c, ft.AlertDialog))))
    await client.click(button(client, "Cancel"))
    await wait_for(client, lambda: "Nothing was changed: old.json was not restored." in texts(client), "the sentence saying nothing changed")
    assert "Nothing was changed: old.json was not restored." in texts(client)
    assert not [t for t in texts(client) if t.startswith("Importing")]


async def test_a_persons_page_shows_the_note_their_card_or_an_import_brought(ready: Store) -> None:
    note = "Loves typography\n\nNotes from Mutual:\nMet at PyCon on 2026-11-20. I promised: send the slides."
    bob = ready.people.add(Card(given="Bob", family="Stone", emails=["bob@stone.example"], note=note))
    client = await open_app(ready, route=f"/person/{bob.id}")
    await wait_for(client, lambda: note in texts(client), "the note on their page")
    assert texts(client).index("Notes") < texts(client).index(note)
    plain = ready.people.add(Card(given="Mei", family="Chen", emails=["mei@initech.example"]))
    client = await open_app(ready, route=f"/person/{plain.id}")
    await wait_for(client, lambda: "Meetings" in texts(client), "Mei's page")
    assert "Notes" not in texts(client)  # no empty section


async def test_tags_typed_with_commas_are_several_tags(ready: Store) -> None:
    bob = ready.people.record_scan(BOB, event_id="").contact
    client = await open_app(ready, route=f"/person/{bob.id}")
    tag = field(client, "Add a tag")
    client.type(tag, "investor, Berlin ,")
    await client.fire(tag, "submit")
    await wait_for(client, lambda: ready.people.get(bob.id).tags, "the tags to be stored")
    assert ready.people.get(bob.id).tags == ["investor", "Berlin"]


async def test_restoring_a_backup_asks_before_replacing_everything(ready: Store, tmp_path: Path) -> None:
    ready.people.record_scan(Card(given="Kept", emails=["kept@x.org"]), event_id="")
    data = ready.backup().read_bytes()
    ready.people.record_scan(Card(given="Later", emails=["later@x.org"]), event_id="")
    client = await open_app(ready, route="/data", **{"FilePicker.pick_files": [
        {"id": 1, "name": "mutual-backup.json", "size": len(data), "bytes": data}]})
    await client.click(button(client, "Import a file…"))
    await wait_for(client, lambda: any(isinstance(c, ft.AlertDialog) and c.open for c in client.find(lambda c: isinstance(c, ft.AlertDialog))))
    assert {c.given for c in ready.people.all()} == {"Kept", "Later"}  # nothing replaced before the answer
    await client.click(button(client, "Replace everything"))
    await wait_for(client, lambda: {c.given for c in ready.people.all()} == {"Kept"})


async def test_a_listed_backup_is_restored_from_your_data_after_asking(ready: Store) -> None:
    """Found by a new-user run: the listed backups were plain text; from a phone's browser (web
    mode) there is no backup file to pick, so nothing could be put back from the app."""
    ready.people.record_scan(Card(formatted="Λένα Παππά", emails=["lena@x.gr"]), event_id="")
    ready.backup(reason="manual")
    ready.people.record_scan(Card(formatted="王芳", emails=["fang@x.cn"]), event_id="")
    client = await open_app(ready, route="/data")
    await client.click(button(client, "Restore…", index=0))  # the newest first: the one made by me
    await wait_for(client, lambda: any(isinstance(c, ft.AlertDialog) and c.open for c in client.find(lambda c: True)))
    assert {c.full_name for c in ready.people.all()} == {"Λένα Παππά", "王芳"}  # nothing replaced before the answer
    await client.click(button(client, "Replace everything"))
    await wait_for(client, lambda: [c.full_name for c in ready.people.all()] == ["Λένα Παππά"], "the backup put back")


async def test_a_backup_bigger_than_64_mb_picked_on_desktop_is_restored_whole(ready: Store, tmp_path: Path) -> None:
    from networking_app.backups import MAX_BACKUP_BYTES

    ready.people.record_scan(Card(given="Kept", emails=["kept@x.org"]), event_id="")
    data = ready.backup().read_bytes().rstrip()
    ready.people.record_scan(Card(given="Later", emails=["later@x.org"]), event_id="")
    # Spaces before the closing brace keep it a valid backup (the checksum covers the tables only)
    # and make it big without a slow restore; a file cut short anywhere is no JSON at all.
    padding = 65 * 1024 * 1024 - len(data)
    big = tmp_path / "mutual-big.json"
    big.write_bytes(data[:-1] + b" " * padding + data[-1:])
    assert 64 * 1024 * 1024 < big.stat().st_size <= MAX_BACKUP_BYTES
    client = await open_app(ready, route="/data", **{"FilePicker.pick_files": [  # desktop: a path, no bytes
        {"id": 1, "name": big.name, "size": big.stat().st_size, "path": str(big)}]})
    await client.click(button(client, "Import a file…"))
    await wait_for(client, lambda: any(isinstance(c, ft.AlertDialog) and c.open for c in client.find(lambda c: isinstance(c, ft.AlertDialog))))
    await client.click(button(client, "Replace everything"))
    await wait_for(client, lambda: {c.given for c in ready.people.all()} == {"Kept"})
