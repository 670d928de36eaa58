"""Taking my people out of Mutual and into other tools (and back): what a new-user run found.

A helper exported a store with names in Chinese, Korean, Arabic and Greek to vCard, CSV and ICS,
read the files with vobject and icalendar, and imported them into fresh stores: tags were lost
(CATEGORIES was written, never read), my notes were dropped on a new device, a name shown
otherwise than "given family" came back as another person from CSV, an explicit Name column lost
to a middle name, an event's export carried notes and follow-ups from other events, days were
UTC days, ``-o -`` wrote a file named "-", and Outlook's "Clients;VIP" was one tag.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest

from networking_app.card_fields import NOTES_HEADING
from networking_app.cli import run
from networking_app.errors import NotFoundError
from networking_app.interop import Selection, export_bytes, import_bytes
from networking_app.models import Card
from networking_app.store import Store
from networking_app.vcard import parse_vcards

TODAY = date(2026, 11, 25)
WANG = Card(given="芳", family="王", emails=["fang@example.cn"])
BOB = Card(given="Robert", family="Smith", formatted="Bob Smith", emails=["bob@example.com"])


@pytest.fixture
def store(open_store) -> Store:
    return open_store(today=lambda: TODAY)


@pytest.fixture
def empty(open_store) -> Store:
    return open_store("empty", today=lambda: TODAY)


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def text_of(data: bytes) -> str:
    """An export as text to search, vCard folds undone."""
    return data.decode("utf-8-sig").replace("\r\n ", "")


def vcard(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n").encode()


# ------------------------------------------------------------------ tags


def test_tags_written_as_categories_come_back_from_a_vcard_file(store: Store, empty: Store) -> None:
    store.people.add(WANG, tags=["投资", "supply, chain", "speaker"])
    data, _ = export_bytes(store, "vcf")
    assert "CATEGORIES:投资,supply\\, chain,speaker" in text_of(data)
    summary = import_bytes(empty, data, "all.vcf")
    assert summary.added == 1
    assert [c.tags for c in empty.people.all()] == [["投资", "supply, chain", "speaker"]]
    again = import_bytes(empty, data, "all.vcf")  # the same file again changes nobody
    assert (again.added, again.merged, again.unchanged) == (0, 0, 1)
    assert [c.tags for c in empty.people.all()] == [["投资", "supply, chain", "speaker"]]


def test_other_apps_categories_become_tags_added_to_a_known_persons_own(store: Store) -> None:
    known = store.people.add(WANG, tags=["met in Shanghai"])
    data = vcard("FN:王芳", "EMAIL:fang@example.cn", "CATEGORIES:Friends,VIP", "CATEGORIES:vip,Family") + vcard(
        "FN:Γιώργος Παπαδόπουλος", "item1.CATEGORIES:Συνέδριο")
    import_bytes(store, data, "contacts.vcf")
    assert store.people.get(known.id).tags == ["met in Shanghai", "Friends", "VIP", "Family"]
    giorgos = next(c for c in store.people.all() if c.id != known.id)
    assert giorgos.tags == ["Συνέδριο"]


def test_a_card_with_a_thousand_categories_gives_twenty_short_tags(store: Store) -> None:
    data = vcard("FN:Many Tags", "CATEGORIES:" + ",".join(f"tag{n}-" + "x" * 60 for n in range(1000)))
    import_bytes(store, data, "hostile.vcf")
    (contact,) = store.people.all()
    assert len(contact.tags) == 20 and all(len(tag) <= 40 for tag in contact.tags)


def test_outlook_categories_are_split_at_semicolons(store: Store) -> None:
    data = "First Name,Last Name,E-mail Address,Categories\r\nLeila,Haddad,leila@example.com,Clients;VIP\r\n"
    import_bytes(store, data.encode(), "outlook.csv")
    (contact,) = store.people.all()
    assert contact.tags == ["Clients", "VIP"]


# ------------------------------------------------------------------ names


def test_a_name_shown_otherwise_survives_csv_and_the_file_adds_nobody_where_it_came_from(
        store: Store, empty: Store) -> None:
    bob = store.people.add(BOB)
    data, _ = export_bytes(store, "csv")
    header, row = data.decode("utf-8-sig").splitlines()[:2]
    assert row.split(",")[header.split(",").index("File As")] == "Bob Smith"
    import_bytes(empty, data, "all.csv")
    (copy,) = empty.people.all()
    assert (copy.full_name, copy.given, copy.family) == ("Bob Smith", "Robert", "Smith")
    again = import_bytes(store, data, "all.csv")
    assert (again.added, again.unchanged, again.possible_duplicates) == (0, 1, 0)
    assert store.people.get(bob.id).full_name == "Bob Smith"


def test_a_name_column_wins_over_the_name_rebuilt_from_its_parts(store: Store) -> None:
    data = ("Name,Given Name,Additional Name,Family Name,File As,E-mail 1 - Value\r\n"
            "Bob Smith,Robert,J.,Smith,,bob@example.com\r\n"
            "Kovács János,János,Péter,Kovács,,janos@example.hu\r\n"
            ",Grace,,Hopper,\"Hopper, Grace\",grace@example.com\r\n"
            ",Ana,Maria,Lima,,ana@example.com\r\n")
    import_bytes(store, data.encode(), "google-old.csv")
    names = sorted(c.full_name for c in store.people.all())
    # A File As in the sorting form ("Hopper, Grace") is not a name to show; without a Name, the parts
    assert names == ["Ana Maria Lima", "Bob Smith", "Grace Hopper", "Kovács János"]


# ------------------------------------------------------------------ my notes


def test_my_notes_in_a_file_from_another_app_are_not_taken_for_their_offers(store: Store) -> None:
    note = f"Knows every bakery in town\\n{NOTES_HEADING}\\nMet on 2026-11-20. I can help: intro to Grace."
    (card,) = parse_vcards(vcard("FN:Ana Lima", f"NOTE:{note}"))
    assert card.offers == ""
    assert card.note == f"Knows every bakery in town\n{NOTES_HEADING}\nMet on 2026-11-20. I can help: intro to Grace."


def test_an_export_read_by_a_new_device_keeps_my_notes_and_a_second_read_changes_nothing(
        store: Store, empty: Store) -> None:
    store.events.start("PyCon", day="2026-11-20")
    met = store.people.record_scan(WANG)
    store.meetings.save_note(met.meeting.id, need="a supplier in Shenzhen", promise="send Li's email")
    data, _ = export_bytes(store, "vcf")
    import_bytes(empty, data, "all.vcf")
    expected = f"{NOTES_HEADING}\nMet at PyCon on 2026-11-20. They need: a supplier in Shenzhen. I promised: send Li's email."
    assert [c.note for c in empty.people.all()] == [expected]
    for name, fmt in (("all.vcf", "vcf"), ("all.csv", "csv")):  # read again, in either format: nothing piles up
        again = import_bytes(empty, export_bytes(store, fmt)[0], name)
        assert (again.added, again.merged, again.unchanged) == (0, 0, 1)
        assert [c.note for c in empty.people.all()] == [expected]
    assert store.people.get(met.contact.id).note == ""  # and the store it came from has them as meetings only
    assert import_bytes(store, data, "all.vcf").unchanged == 1
    assert store.people.get(met.contact.id).note == ""


# ------------------------------------------------------------------ what an event's file holds


def test_an_events_export_holds_only_what_i_wrote_at_that_event(store: Store) -> None:
    web = store.events.start("Web Summit", day="2026-11-10")
    first = store.people.record_scan(WANG)
    store.meetings.save_note(first.meeting.id, help="intro to a Lisbon investor", follow_up=date(2026, 11, 30))
    store.events.start("PyCon", day="2026-11-20")
    second = store.people.record_scan(WANG)
    store.meetings.save_note(second.meeting.id, need="Secret: wants to leave her employer",
                             follow_up=date(2026, 12, 5))
    for fmt in ("vcf", "csv"):
        text = text_of(export_bytes(store, fmt, Selection.event(web.id))[0])
        assert "intro to a Lisbon investor" in text and "Met at Web Summit" in text
        assert "Secret" not in text and "PyCon" not in text
        assert "Secret" in text_of(export_bytes(store, fmt)[0])  # everyone's file has it all
    calendar = icalendar.Calendar.from_ical(export_bytes(store, "ics", Selection.event(web.id))[0])
    days = [entry.decoded("dtstart") for entry in calendar.walk("VEVENT")]
    assert days == [date(2026, 11, 30)]


def test_chosen_people_none_of_whom_was_at_the_event_are_told_so(store: Store) -> None:
    store.events.start("Web Summit", day="2026-11-10")
    store.people.record_scan(BOB)
    store.events.end()
    wang = store.people.add(WANG)
    web = store.events.find("Web Summit")
    with pytest.raises(NotFoundError, match="None of the chosen people was met at “Web Summit”"):
        export_bytes(store, "vcf", Selection(event_id=web.id, contact_ids=(wang.id,)))


# ------------------------------------------------------------------ days where I am


def test_the_day_we_met_is_my_local_day_in_every_file(store: Store, zone) -> None:
    zone("Pacific/Auckland")  # 21:30 UTC on the 3rd is 10:30 on the 4th there
    met = store.people.record_scan(WANG, event_id=None, met_at="2026-12-03T21:30:00.000+00:00")
    store.meetings.save_note(met.meeting.id, promise="send the deck", follow_up=date(2026, 12, 8))
    for fmt in ("vcf", "csv"):
        assert "Met on 2026-12-04." in text_of(export_bytes(store, fmt)[0])
    (entry,) = icalendar.Calendar.from_ical(export_bytes(store, "ics")[0]).walk("VEVENT")
    assert "Met on 2026-12-04." in str(entry.get("description"))


# ------------------------------------------------------------------ the command line


def cli(folder: Path, *args: str) -> tuple[int, bytes, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    code = run(["--data-dir", str(folder), *args], out, err)
    out.flush()
    return code, out.buffer.getvalue(), err.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_export_to_standard_output_writes_the_file_there_and_says_so_on_stderr(tmp_path: Path, target: str) -> None:
    with Store.open(tmp_path / "data") as store:
        store.people.add(WANG, tags=["投资"])
    code, data, err = cli(tmp_path / "data", "export", "--format", "vcf", "-o", target)
    assert (code, err) == (0, "Wrote 1 contact to standard output.\n")
    assert [c.full_name for c in parse_vcards(data)] == ["王芳"]
    assert not (Path.cwd() / "-").exists()


def test_export_to_standard_output_needs_a_format_and_no_json(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.people.add(WANG)
    code, data, err = cli(tmp_path / "data", "export", "-o", "-")
    assert (code, data) == (2, b"") and "--format vcf, csv, ics or json to standard output" in err
    code, data, err = cli(tmp_path / "data", "export", "--format", "csv", "-o", "-", "--json")
    assert (code, data) == (2, b"") and "--json cannot go there too" in err
