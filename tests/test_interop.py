"""Files for other apps: vCard, CSV, iCalendar and the JSON backup, each read back by an
independent reader (vobject, icalendar, Python's csv, and ical.js through Node), the real-world
vCard corpus, Google and LinkedIn CSV fixtures, hostile files, and the command line."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_app.card_fields import clean_card
from networking_app.cli import run
from networking_app.errors import ImportFormatError, NotFoundError, PayloadTooLargeError, SchemaTooNewError
from networking_app.interop import (
    FORMATS,
    PROGRESS_EVERY,
    ReplaceNotConfirmedError,
    Selection,
    detect,
    export_bytes,
    export_file,
    format_for_filename,
    get_format,
    import_bytes,
    import_file,
)
from networking_app.interop.backup import store_tables
from networking_app.interop.csv_format import GOOGLE_LEADING, parse_csv, text_lines
from networking_app.interop.people import NOTES_HEADING
from networking_app.models import CARD_FIELDS, Card
from networking_app.store import Store
from networking_app.vcard import parse_vcards
from tests.support.vcard_corpus import CORPUS, EXPECTED

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "interop"
JS_CHECKER = ROOT / "tests" / "interop_js"
TODAY = date(2026, 11, 25)
MB = 1024 * 1024


# ------------------------------------------------------------------ helpers


@pytest.fixture
def store(open_store) -> Store:
    return open_store(today=lambda: TODAY)


@pytest.fixture
def empty(open_store) -> Store:
    return open_store("empty", today=lambda: TODAY)


ZOE = Card(given="Zoë", family="Ångström", title="Designer", organization="Acme, Inc.",
           emails=["zoe@acme.example"], phones=["+46 8 123 456"], urls=["https://acme.example/zoe"],
           offers="Intros to climate investors; feedback on decks", seeking="A hardware co-founder",
           note="Loves typography, hates; semicolons")
BOB = Card(given="Bob", family="Stone", organization="Stone & Sons", emails=["bob@stone.example"])
MEI = Card(given="Mei", family="Chen", organization="Initech", phones=["+86 10 5555 0101"])
AHMED = Card(given="Ahmed", family="Haddad", emails=["ahmed@globex.example"], title="CTO", organization="Globex")


def populate(store: Store) -> dict[str, str]:
    """Two events, four people, three follow-ups (one done); returns contact ids by given name."""
    store.events.start("PyCon", day="2026-11-20", place="Berlin")
    zoe = store.people.record_scan(ZOE)
    store.meetings.save_note(zoe.meeting.id, need="a Python contractor", help="intro to Bob",
                    promise="send the slides", follow_up=date(2026, 11, 27))
    bob = store.people.record_scan(BOB)
    store.meetings.save_note(bob.meeting.id, help="review his deck", follow_up=date(2026, 11, 26))
    store.followups.complete(store.followups.for_meeting(bob.meeting.id).id)
    store.events.start("Climate Night", day="2026-11-24")
    mei = store.people.record_scan(MEI)
    store.meetings.save_note(mei.meeting.id, need="investors", follow_up=date(2026, 12, 1))
    store.events.end()
    ahmed = store.people.add(AHMED, tags=["climate"])
    store.people.set_tags(zoe.contact.id, ["speakers", "climate"])
    return {"Zoë": zoe.contact.id, "Bob": bob.contact.id, "Mei": mei.contact.id, "Ahmed": ahmed.id}


def card_fields(card: Card) -> dict[str, object]:
    """A card's fields but its UID: an import keeps the UID an export wrote (the record's id there),
    so that importing again recognises the person; the copy is otherwise the same."""
    return {name: getattr(card, name) for name in CARD_FIELDS if name != "uid"}


def ical_js(path: Path) -> dict:
    """What ical.js (Mozilla's calendar and contacts parser) reads in ``path``.

    Missing Node or node_modules is a failure, not a skip: CI installs both.
    """
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed, so ical.js cannot check the exported file "
                    "(install nodejs, then run: npm ci --prefix tests/interop_js).")
    if not (JS_CHECKER / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run npm ci --prefix tests/interop_js.")
    done = subprocess.run([node, str(JS_CHECKER / "check.mjs"), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def unchanged(store: Store):
    """A check that the store holds exactly what it held when this was called."""
    before = store_tables(store)
    return lambda: store_tables(store) == before


def phone_export_vcf(count: int) -> bytes:
    """A plain 3.0 file like a phone's or Google's export, written without Mutual's codec."""
    given = ["Jane", "Zoë", "Ahmed", "Mei", "Lars", "Ana", "Kofi", "Ólafur", "Priya", "Tom"]
    out = []
    for i in range(count):
        name = given[i % len(given)]
        out.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name} Person{i}\r\nN:Person{i};{name};;;\r\n"
                   f"ORG:Org {i % 97}\r\nTITLE:Engineer\r\nEMAIL;TYPE=INTERNET:{name.lower()}.{i}@example.com\r\n"
                   f"TEL;TYPE=CELL:+1 555 {i:07d}\r\nURL:https://example.com/{i}\r\nEND:VCARD\r\n")
    return "".join(out).encode("utf-8")


# ------------------------------------------------------------------ the registry


def test_the_registry_names_each_format_with_its_extensions_and_directions() -> None:
    assert list(FORMATS) == ["vcf", "csv", "ics", "json"]
    assert [(f.extensions[0], f.can_export, f.can_import) for f in FORMATS.values()] == [
        (".vcf", True, True), (".csv", True, True), (".ics", True, False), (".json", True, True)]
    assert format_for_filename("People.VCF").name == "vcf" and format_for_filename("x.ics").name == "ics"
    assert format_for_filename("notes.txt") is None
    with pytest.raises(Exception, match="no format called “pdf”"):
        get_format("pdf")


def test_export_reports_progress_about_every_200_records(store: Store) -> None:
    store.people.import_cards(parse_vcards(phone_export_vcf(450)))
    calls: list[tuple[int, int]] = []
    export_bytes(store, "vcf", on_progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 450), (200, 450), (400, 450), (450, 450)]
    calls.clear()
    import_bytes(store, phone_export_vcf(450), "again.vcf", on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 450), (200, 450), (400, 450), (450, 450)]
    assert PROGRESS_EVERY == 200


# ------------------------------------------------------------------ vCard


def test_vcard_export_of_everyone_is_read_by_vobject_with_notes_offers_and_tags(store: Store) -> None:
    ids = populate(store)
    data, summary = export_bytes(store, "vcf")
    assert summary.count == 4 and summary.describe() == "4 contacts"
    cards = {c.uid.value: c for c in vobject.readComponents(data.decode("utf-8"))}
    assert set(cards) == set(ids.values())
    zoe = cards[ids["Zoë"]]
    assert zoe.version.value == "3.0"
    assert zoe.fn.value == "Zoë Ångström"
    assert (zoe.n.value.given, zoe.n.value.family) == ("Zoë", "Ångström")
    assert zoe.org.value == ["Acme, Inc."] and zoe.title.value == "Designer"
    assert [e.value for e in zoe.email_list] == ["zoe@acme.example"]
    assert [t.value for t in zoe.tel_list] == ["+46 8 123 456"]
    assert zoe.categories.value == ["speakers", "climate"]
    assert zoe.x_mutual_offers.value == ZOE.offers and zoe.x_mutual_seeking.value == ZOE.seeking
    note = zoe.note.value
    assert note.startswith(f"Can help with: {ZOE.offers}\nLooking for: {ZOE.seeking}\n{ZOE.note}\n{NOTES_HEADING}\n")
    assert ("Met at PyCon on 2026-11-20. They need: a Python contractor. I can help: intro to Bob. "
            "I promised: send the slides. Follow up by 2026-11-27.") in note
    assert zoe.rev.value.endswith("Z")
    assert "Met at Climate Night on 2026-11-24. They need: investors." in cards[ids["Mei"]].note.value
    assert not hasattr(cards[ids["Ahmed"]], "note")  # no meeting, no note of his own


def test_vcard_export_is_folded_at_75_octets_with_crlf_line_ends(store: Store) -> None:
    met = store.people.record_scan(Card(given="Ölaf" * 10, family="Ångström" * 8, note="ü" * 300, emails=["o@x.example"]),
                            event_id="").meeting
    data, _ = export_bytes(store, "vcf")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded, not cut
    for line in lines:
        line.decode("utf-8")  # no fold splits a character
    [card] = parse_vcards(data)
    assert card.note == f"{'ü' * 300}\n{NOTES_HEADING}\nMet on {met.met_at[:10]}."


def test_vcard_export_is_read_by_ical_js(store: Store, tmp_path: Path) -> None:
    ids = populate(store)
    path = tmp_path / "people.vcf"
    export_file(store, "vcf", path)
    found = {card["uid"]: card for card in ical_js(path)["cards"]}
    assert set(found) == set(ids.values())
    zoe = found[ids["Zoë"]]
    assert (zoe["version"], zoe["fn"], zoe["n"][:2]) == ("3.0", "Zoë Ångström", ["Ångström", "Zoë"])
    assert zoe["org"] == ["Acme, Inc."] and zoe["title"] == "Designer"
    assert zoe["emails"] == ["zoe@acme.example"] and zoe["tels"] == ["+46 8 123 456"]
    assert zoe["urls"] == ["https://acme.example/zoe"]
    assert zoe["categories"] == ["speakers", "climate"]
    # ical.js hands X- properties over as they are written (escaped): their value type is unknown to it.
    assert (zoe["offers"], zoe["seeking"]) == (ZOE.offers.replace(";", "\\;"), ZOE.seeking)
    assert "I promised: send the slides" in zoe["note"] and zoe["note"].startswith("Can help with: ")
    assert found[ids["Mei"]]["tels"] == ["+86 10 5555 0101"]


def test_vcard_round_trip_into_an_empty_store_keeps_every_card_field(store: Store, empty: Store) -> None:
    populate(store)
    data, _ = export_bytes(store, "vcf")
    summary = import_bytes(empty, data, "people.vcf")
    assert (summary.added, summary.merged, summary.unchanged) == (4, 0, 0)
    original = {c.id: card_fields(clean_card(c)) | {"note": ""} for c in store.people.all()}
    copied = {c.display_name: card_fields(c) | {"note": ""} for c in empty.people.all()}
    assert sorted(copied.values(), key=str) == sorted(original.values(), key=str)
    assert {c.source for c in empty.people.all()} == {"import"}
    # New to this store, each keeps the card's own note and what I wrote about them, as text
    notes = {c.given: c.note for c in empty.people.all()}
    assert notes["Bob"] == f"{NOTES_HEADING}\nMet at PyCon on 2026-11-20. I can help: review his deck."
    assert notes["Zoë"] == (f"{ZOE.note}\n\n{NOTES_HEADING}\nMet at PyCon on 2026-11-20. They need: a Python "
                            "contractor. I can help: intro to Bob. I promised: send the slides. Follow up by 2026-11-27.")
    assert notes["Ahmed"] == ""


def test_importing_an_own_export_again_does_not_pile_up_my_notes(store: Store) -> None:
    ids = populate(store)
    data, _ = export_bytes(store, "vcf")
    summary = import_bytes(store, data, "people.vcf")
    assert (summary.added, summary.merged, summary.unchanged) == (0, 0, 4)
    assert store.people.get(ids["Zoë"]).note == ZOE.note


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_corpus_file_imports_keeping_people_and_a_second_import_adds_nobody(name: str, store: Store) -> None:
    data = (CORPUS / name).read_bytes()
    first = import_bytes(store, data, Path(name).name)
    people = [entry for entry in EXPECTED[name] if any(entry)]
    assert first.added == len(people) and first.skipped == len(EXPECTED[name]) - len(people)
    found = sorted((c.full_name, c.emails, c.phones, c.organization) for c in store.people.all())
    assert found == sorted(people)
    before = store_tables(store)
    again = import_bytes(store, data, Path(name).name)
    assert (again.added, again.merged, again.unchanged) == (0, 0, len(people))
    assert store_tables(store).get("contacts") == before.get("contacts")


def test_the_whole_corpus_in_one_store_then_again_adds_nobody(store: Store) -> None:
    files = sorted(CORPUS.rglob("*.vcf"))
    assert len(files) == 30
    added = sum(import_file(store, path).added for path in files)
    assert added == len(store.people.all()) >= 20  # the many John Does of the corpus are one person
    assert sum(import_file(store, path).added for path in files) == 0
    assert len(store.people.all()) == added


def test_a_3000_card_file_is_imported_in_one_commit_and_deduplicated(store: Store) -> None:
    data = phone_export_vcf(3000)
    summary = import_bytes(store, data, "phone.vcf")  # bench/bench_interop.py times imports at 10,000 people
    assert (summary.added, len(store.people.all())) == (3000, 3000)
    assert store.people.find_known(Card(emails=["zoë.1@example.com"])).family == "Person1"
    assert import_bytes(store, data, "phone.vcf").added == 0


def test_a_vcard_import_says_when_new_people_may_be_someone_known(empty: Store) -> None:
    empty.people.add(Card(formatted="Ελένη Κωνσταντίνου", emails=["eleni@one.example"]))
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ελένη Κωνσταντίνου\r\nEMAIL:eleni@two.example\r\nEND:VCARD\r\n"
    summary = import_bytes(empty, data.encode(), "eleni.vcf")
    assert (summary.added, summary.possible_duplicates) == (1, 1)
    assert "1 new person may be someone you already have" in summary.describe()


def test_utf16_vcard_without_bom_is_read(store: Store) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEMAIL:zoe@acme.example\r\nEND:VCARD\r\n"
    summary = import_bytes(store, text.encode("utf-16-le"), "outlook.vcf")
    assert summary.added == 1 and store.people.all()[0].full_name == "Zoë Ångström"


# ------------------------------------------------------------------ CSV


def test_google_csv_import_reads_names_emails_phones_labels_and_notes(store: Store) -> None:
    summary = import_file(store, FIXTURES / "google-contacts.csv")
    assert (summary.added, summary.skipped, summary.ignored_columns) == (4, 1, [])
    grace = store.people.find_known(Card(emails=["grace@example.com"]))
    assert (grace.given, grace.family, grace.formatted) == ("Grace", "Hopper", "Rear Admiral Grace Brewster Hopper")
    assert grace.emails == ["grace.hopper@navy.example", "grace@example.com"]  # "* Work" is primary
    assert grace.phones == ["+1 555 0199", "+1 555 0100"] and grace.urls == ["https://example.com/grace"]
    assert (grace.organization, grace.title) == ("US Navy (Naval Reserve)", "Computer Scientist")
    assert (grace.offers, grace.seeking) == ("COBOL reviews", "nanosecond wires")
    assert grace.note == "Invented the first compiler, A-0."
    assert grace.tags == ["Navy", "Speakers"]  # Google's "* myContacts" is no tag of mine
    zoe = store.people.find_known(Card(emails=["zoe.a@home.example"]))  # two values in one cell
    assert (zoe.full_name, zoe.organization, zoe.emails) == ("Zoë Ångström", "Acme, Inc.",
                                                              ["zoe@acme.example", "zoe.a@home.example"])
    assert store.people.find_known(Card(phones=["+44 20 7946 0001"])) is not None  # a number alone is kept
    assert store.people.find_known(Card(emails=["ahmed@globex.example"])).tags == ["Climate"]
    assert import_file(store, FIXTURES / "google-contacts.csv").added == 0


def test_older_google_csv_columns_are_read_too(store: Store) -> None:
    summary = import_file(store, FIXTURES / "google-contacts-legacy.csv")
    assert (summary.added, summary.ignored_columns) == (2, [])
    mei = store.people.find_known(Card(emails=["mei@chen.example"]))
    assert (mei.given, mei.family, mei.formatted) == ("Mei", "Chen", "")
    assert (mei.organization, mei.title, mei.phones) == ("Initech (Labs)", "Engineer", ["+86 10 5555 0101"])
    assert (mei.urls, mei.note, mei.tags) == (["https://chen.example"], "Met at PyCon 2019", ["Python"])


def test_linkedin_connections_are_read_after_the_notes_before_the_header(store: Store) -> None:
    data = (FIXTURES / "linkedin-Connections.csv").read_bytes()
    assert data.startswith(b"Notes:\n")
    summary = import_bytes(store, data, "Connections.csv")
    assert (summary.format, summary.added, summary.ignored_columns) == ("csv", 4, [])
    kofi = store.people.find_known(Card(emails=["kofi@mensah.example"]))
    assert (kofi.given, kofi.family, kofi.organization, kofi.title) == (
        "Kofi", "Mensah", "Mensah & Sons, Ltd.", "Founder & CEO")
    assert kofi.urls == ["https://www.linkedin.com/in/kofimensah"]
    assert kofi.note == "Connected on LinkedIn on 2025-10-03."
    [ana] = store.people.all(query="Ana María López")  # no email: a name finds her, but is no identity
    assert ana.emails == [] and ana.title == "CTO" and store.people.find_known(ana) is None
    again = import_bytes(store, data, "Connections.csv")
    assert (again.added, again.unchanged) == (0, 4)  # the same lines again: nobody is duplicated


def test_linkedin_connected_on_is_a_note_only_for_people_new_to_mutual(store: Store) -> None:
    store.people.record_scan(Card(given="Kofi", family="Mensah", emails=["kofi@mensah.example"], note="Met at the booth"),
                      event_id="")
    import_file(store, FIXTURES / "linkedin-Connections.csv")
    kofi = store.people.find_known(Card(emails=["kofi@mensah.example"]))
    assert kofi.note == "Met at the booth" and kofi.title == "Founder & CEO"
    assert kofi.history == []  # nothing of mine was replaced


def test_csv_export_has_google_columns_a_bom_and_reads_back_with_python_csv(store: Store) -> None:
    ids = populate(store)
    data, summary = export_bytes(store, "csv")
    assert data.startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,") and summary.count == 4
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0])[: len(GOOGLE_LEADING)] == list(GOOGLE_LEADING)
    assert {"E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Value", "Website 1 - Value"} <= set(rows[0])
    zoe = next(r for r in rows if r["First Name"] == "Zoë")
    assert (zoe["Last Name"], zoe["Organization Name"], zoe["Organization Title"]) == (
        "Ångström", "Acme, Inc.", "Designer")
    assert (zoe["E-mail 1 - Label"], zoe["E-mail 1 - Value"], zoe["Phone 1 - Value"]) == (
        "Work", "zoe@acme.example", "+46 8 123 456")
    assert zoe["Labels"] == "* myContacts ::: speakers ::: climate"
    assert zoe["Notes"].startswith(f"Can help with: {ZOE.offers}\n") and "I promised: send the slides" in zoe["Notes"]
    assert len(ids) == len(rows)


def test_csv_round_trip_into_an_empty_store_keeps_cards_and_tags(store: Store, empty: Store) -> None:
    populate(store)
    data, _ = export_bytes(store, "csv")
    summary = import_bytes(empty, data, "people.csv")
    assert summary.added == 4 and summary.ignored_columns == []
    original = sorted(((card_fields(clean_card(c)) | {"note": ""}, c.tags) for c in store.people.all()), key=str)
    copied = sorted(((card_fields(c) | {"note": ""}, c.tags) for c in empty.people.all()), key=str)
    assert copied == original
    notes = {c.given: c.note for c in empty.people.all()}  # new here: what I wrote comes as text
    assert notes["Bob"] == f"{NOTES_HEADING}\nMet at PyCon on 2026-11-20. I can help: review his deck."
    assert notes["Zoë"].startswith(f"{ZOE.note}\n\n{NOTES_HEADING}\nMet at PyCon on 2026-11-20. They need:")


def test_csv_export_defuses_formulas_but_keeps_phone_numbers(store: Store) -> None:
    store.people.add(Card(given="=HYPERLINK(\"http://evil.example\")", family="@SUM(A1)",
                           organization="-2+3", phones=["+1 (555) 010-0000 ext. 12"], emails=["x@y.example"]))
    data, _ = export_bytes(store, "csv")
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row["First Name"] == "'=HYPERLINK(\"http://evil.example\")" and row["Last Name"] == "'@SUM(A1)"
    assert row["Phone 1 - Value"] == "+1 (555) 010-0000 ext. 12"
    [card] = parse_csv(data)
    assert (card.given, card.family, card.organization) == ("=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "-2+3")


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp"),
                              blacklist_characters=":"), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_=_TEXT.filter(str.strip), family=_TEXT, organization=_TEXT, title=_TEXT, offers=_TEXT, seeking=_TEXT,
       note=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn"),
                                  blacklist_characters=":\r"), max_size=80),
       phones=st.lists(st.from_regex(r"[+\-]?[0-9 ()\-]{7,20}", fullmatch=True), max_size=3))
def test_any_card_text_survives_csv_and_vcard_exports(store: Store, given_: str, family: str, organization: str,
                                                       title: str, offers: str, seeking: str, note: str,
                                                       phones: list[str]) -> None:
    card = Card(given=given_, family=family, organization=organization, title=title, note=note, offers=offers,
                seeking=seeking, emails=[f"p{abs(hash(given_)) % 10**6}@example.org"], phones=phones)
    contact = store.people.add(card)
    expected = card_fields(clean_card(card))
    for fmt, parse in (("csv", parse_csv), ("vcf", parse_vcards)):
        data, _ = export_bytes(store, fmt, Selection.contacts([contact.id]))
        [back] = parse(data)
        assert card_fields(back) == expected, fmt


# ------------------------------------------------------------------ iCalendar


def test_ics_has_one_all_day_event_with_an_alarm_per_open_followup_read_by_icalendar(store: Store) -> None:
    ids = populate(store)
    data, summary = export_bytes(store, "ics")
    assert summary.count == 2 and summary.describe() == "2 follow-ups"
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and "Mutual" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    assert [e["SUMMARY"] for e in events] == ["Follow up with Zoë Ångström", "Follow up with Mei Chen"]
    zoe, mei = events
    assert zoe.decoded("DTSTART") == date(2026, 11, 27) and zoe.decoded("DTEND") == date(2026, 11, 28)
    assert mei.decoded("DTSTART") == date(2026, 12, 1)
    assert "DTSTAMP" in zoe and zoe["TRANSP"] == "TRANSPARENT"
    description = str(zoe["DESCRIPTION"])
    assert "I promised: send the slides" in description and "How I can help: intro to Bob" in description
    assert "Email: zoe@acme.example" in description and "Met at PyCon on 2026-11-20." in description
    for event in events:
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(hours=9)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    assert "Bob Stone" not in data.decode()  # his follow-up is done
    assert not any(ids["Ahmed"] in str(e["UID"]) for e in events)


def test_ics_exports_a_follow_up_on_the_last_day_of_the_calendar(store: Store) -> None:
    met = store.people.record_scan(Card(given="Far", emails=["far@x.org"]), event_id="")
    store.meetings.save_note(met.meeting.id, promise="write in the year 9999", follow_up=date(9999, 12, 31))
    data, summary = export_bytes(store, "ics")
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert summary.count == 1 and event.decoded("DTSTART") == date(9999, 12, 31) and "DTEND" not in event


def test_ics_is_read_by_ical_js_with_the_alarm_at_nine_on_the_day(store: Store, tmp_path: Path) -> None:
    populate(store)
    path = tmp_path / "followups.ics"
    export_file(store, "ics", path)
    [calendar] = ical_js(path)["calendars"]
    assert calendar["version"] == "2.0" and calendar["todos"] == 0
    events = calendar["events"]
    assert [(e["summary"], e["start"], e["all_day"]) for e in events] == [
        ("Follow up with Zoë Ångström", "2026-11-27", True), ("Follow up with Mei Chen", "2026-12-01", True)]
    assert [e["end"] for e in events] == ["2026-11-28", "2026-12-02"]
    assert [[(a["action"], a["trigger"], a["fires"]) for a in e["alarms"]] for e in events] == [
        [("DISPLAY", "PT9H", "2026-11-27T09:00:00")], [("DISPLAY", "PT9H", "2026-12-01T09:00:00")]]
    assert "They need: investors" in events[1]["description"]
    assert all(e["uid"] and e["dtstamp"] for e in events)


def test_ics_uids_are_the_followups_own_and_stable_across_exports(store: Store) -> None:
    populate(store)
    first = [str(e["UID"]) for e in icalendar.Calendar.from_ical(export_bytes(store, "ics")[0]).walk("VEVENT")]
    [item] = [i for i in store.followups.queue() if i.contact.given == "Mei"]
    store.followups.reschedule(item.followup.id, date(2026, 12, 3))
    again = icalendar.Calendar.from_ical(export_bytes(store, "ics")[0]).walk("VEVENT")
    assert [str(e["UID"]) for e in again] == first and len(set(first)) == 2
    assert again[1].decoded("DTSTART") == date(2026, 12, 3)
    assert first[1].replace("-", "") == item.followup.id


def test_ics_with_no_open_followup_is_refused_and_writes_no_file(store: Store, tmp_path: Path) -> None:
    store.people.add(AHMED)
    target = tmp_path / "f.ics"
    target.write_bytes(b"old calendar")
    with pytest.raises(NotFoundError, match="no open follow-up"):
        export_file(store, "ics", target)
    assert target.read_bytes() == b"old calendar" and sorted(p.name for p in tmp_path.iterdir()) == ["data", "f.ics"]


def test_importing_a_calendar_file_is_refused_with_a_plain_sentence(store: Store) -> None:
    populate(store)
    data, _ = export_bytes(store, "ics")
    same = unchanged(store)
    with pytest.raises(ImportFormatError, match=r"^Nothing was imported from f\.ics: it is a calendar file"):
        import_bytes(store, data, "f.ics")
    assert same()


# ------------------------------------------------------------------ the backup


def test_backup_export_restored_into_an_empty_store_gives_back_the_same_tables(store: Store, empty: Store) -> None:
    populate(store)
    data, summary = export_bytes(store, "json")
    assert summary.count == 4 + 2 + 3 + 3  # contacts, events, meetings, follow-ups
    envelope = json.loads(data)  # read by the standard library, checked by hand
    assert (envelope["format"], envelope["format_version"]) == ("mutual-backup", 1)
    assert envelope["counts"] == {name: len(docs) for name, docs in envelope["tables"].items()}
    canonical = json.dumps(envelope["tables"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert envelope["sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    restored = import_bytes(empty, data, "mutual.json", replace=True)
    assert store_tables(empty) == store_tables(store)
    assert restored.restored["contacts"] == 4 and "Restored 4 contacts and 2 events" in restored.describe()
    assert empty.people.find_known(ZOE).tags == ["speakers", "climate"]


def test_a_backup_import_without_replace_changes_nothing(store: Store, empty: Store) -> None:
    populate(store)
    data, _ = export_bytes(store, "json")
    empty.people.add(BOB)
    same = unchanged(empty)
    words = r"replaces everything .*\(1 contact, 0 events\) with what it holds \(4 contacts, 2 events\)\. Nothing"
    with pytest.raises(ReplaceNotConfirmedError, match=words):
        import_bytes(empty, data, "mutual.json")
    assert same()


def test_a_newer_damaged_or_cut_backup_is_refused_whole_and_the_store_is_unchanged(store: Store, empty: Store) -> None:
    populate(store)
    good, _ = export_bytes(store, "json")
    empty.people.add(BOB)
    same = unchanged(empty)
    backups = empty.backups.list()
    envelope = json.loads(good)
    envelope["schema"] += 1
    newer = json.dumps(envelope).encode()
    cases = [(newer, SchemaTooNewError, "newer Mutual"),
             (good.replace(b"Stone & Sons", b"Stone & Sins"), ImportFormatError, "do not match its checksum"),
             (good[: len(good) // 2], ImportFormatError, "not valid JSON")]
    for data, error, words in cases:
        with pytest.raises(error, match=words) as raised:
            import_bytes(empty, data, "mutual.json", replace=True)
        assert str(raised.value).startswith("mutual.json ") and str(raised.value).endswith("Nothing was changed.")
        assert same() and empty.backups.list() == backups


def test_a_backup_holds_everyone_so_a_selection_is_refused(store: Store) -> None:
    ids = populate(store)
    with pytest.raises(Exception, match="holds everything"):
        export_bytes(store, "json", Selection.contacts([ids["Zoë"]]))


# ------------------------------------------------------------------ selection


def test_an_events_export_holds_only_its_people_and_their_followups(store: Store) -> None:
    populate(store)
    pycon = store.events.find("PyCon").id
    data, summary = export_bytes(store, "vcf", Selection.event(pycon))
    assert sorted(c.full_name for c in parse_vcards(data)) == ["Bob Stone", "Zoë Ångström"]
    assert summary.count == 2 and b"Mei" not in data and b"Ahmed" not in data
    ics, summary = export_bytes(store, "ics", Selection.event(pycon))
    assert summary.count == 1 and b"Zo" in ics and b"Mei" not in ics


def test_chosen_people_only_go_into_the_file(store: Store) -> None:
    ids = populate(store)
    data, _ = export_bytes(store, "csv", Selection.contacts([ids["Ahmed"], ids["Mei"]]))
    assert sorted(c.given for c in parse_csv(data)) == ["Ahmed", "Mei"]
    with pytest.raises(NotFoundError, match="nothing to export"):
        export_bytes(store, "vcf", Selection(event_id=store.events.find("PyCon").id, contact_ids=(ids["Mei"],)))


# ------------------------------------------------------------------ bad input


def test_a_truncated_vcard_file_is_refused_naming_the_line_and_nothing_is_written(store: Store) -> None:
    data = phone_export_vcf(50)
    cut = data[: data.rindex(b"EMAIL")]  # the 50th card loses its end
    store.people.add(BOB)
    same = unchanged(store)
    with pytest.raises(ImportFormatError) as raised:
        import_bytes(store, cut, "phone.vcf")
    assert raised.value.line == 49 * 10 + 1
    assert str(raised.value) == (f"Nothing was imported from phone.vcf: the vCard that starts at line {49 * 10 + 1} "
                                 "has no END:VCARD; the file looks cut off there.")
    assert same()


def test_a_truncated_csv_is_refused_naming_the_line_and_nothing_is_written(store: Store) -> None:
    data = (FIXTURES / "google-contacts.csv").read_bytes()
    cut = data[: data.index(b"Invented the first")]  # inside Grace's quoted note, which starts on line 2
    same = unchanged(store)
    with pytest.raises(ImportFormatError, match="the quoted value that starts on line 2 is never closed") as raised:
        import_bytes(store, cut, "google.csv")
    assert raised.value.line == 2 and str(raised.value).startswith("Nothing was imported from google.csv: ")
    assert same()


def test_a_50_mb_file_is_refused_before_it_is_read(store: Store, tmp_path: Path, monkeypatch) -> None:
    huge = tmp_path / "huge.vcf"
    with huge.open("wb") as file:
        file.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n")
        file.truncate(50 * MB)  # sparse: costs no disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read whole"))
    same = unchanged(store)
    with pytest.raises(PayloadTooLargeError, match=r"huge\.vcf: it is 50\.0 MB, more than the 20 MB"):
        import_file(store, huge)
    assert same()
    monkeypatch.undo()
    code, _, err = Cli(tmp_path / "data")("import", str(huge))
    assert code == 1 and "50.0 MB" in err


@pytest.mark.timing
def test_a_50_mb_file_is_refused_within_half_a_second(store: Store, tmp_path: Path) -> None:
    huge = tmp_path / "huge.vcf"
    with huge.open("wb") as file:
        file.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n")
        file.truncate(50 * MB)
    start = time.perf_counter()
    with pytest.raises(PayloadTooLargeError):
        import_file(store, huge)
    assert time.perf_counter() - start < 0.5


def test_bytes_from_the_app_over_the_limit_are_refused_by_their_length(store: Store) -> None:
    data = b"First Name,Email Address\n" + b"A,a@x.example\n" * (21 * MB // 14)
    with pytest.raises(PayloadTooLargeError, match="Nothing was imported from big.csv"):
        import_bytes(store, data, "big.csv")
    assert store.people.all() == []


def test_a_latin1_csv_is_read_as_windows_1252(store: Store) -> None:
    data = "First Name,Last Name,E-mail 1 - Value,Organization Name\nJosé,Núñez,jose@x.example,Café “Olé”\n"
    import_bytes(store, data.encode("cp1252"), "excel.csv")
    [jose] = store.people.all()
    assert (jose.given, jose.family, jose.organization) == ("José", "Núñez", "Café “Olé”")


def test_a_utf16_csv_from_excel_with_tabs_is_read(store: Store) -> None:
    data = "First Name\tLast Name\tEmail Address\r\nZoë\tÅngström\tzoe@acme.example\r\n"
    for encoded in (data.encode("utf-16"), data.encode("utf-16-le")):  # with and without a BOM
        import_bytes(store, encoded, "unicode.txt")
    [zoe] = store.people.all()
    assert (zoe.given, zoe.family, zoe.emails) == ("Zoë", "Ångström", ["zoe@acme.example"])


def test_a_csv_whose_encoding_breaks_on_a_line_is_refused_naming_it(store: Store) -> None:
    data = "First Name,Email\nZoë,zoe@x.example\n".encode() + b"Jos\xe9,jose@x.example\n"
    with pytest.raises(ImportFormatError, match="line 3 is not UTF-8 text although the lines before it are") as raised:
        import_bytes(store, data, "mixed.csv")
    assert raised.value.line == 3 and store.people.all() == []
    binary = b"First Name,Email\nAna,a@x.example\nB\x00b,b@x.example\n"
    with pytest.raises(ImportFormatError, match="line 3 holds binary data"):
        import_bytes(store, binary, "odd.csv")
    assert store.people.all() == []


def test_a_csv_with_unexpected_columns_imports_the_known_ones_and_counts_the_rest(store: Store) -> None:
    data = b"First Name,Shoe Size,Last Name,Email Address,Favourite Colour\nAda,38,Lovelace,ada@x.example,green\n"
    summary = import_bytes(store, data, "odd.csv")
    assert summary.added == 1 and summary.ignored_columns == ["Shoe Size", "Favourite Colour"]
    assert summary.describe().endswith("; 2 columns Mutual does not know ignored (Shoe Size, Favourite Colour).")
    assert store.people.all()[0].full_name == "Ada Lovelace"


def test_a_csv_without_a_name_or_email_column_is_refused_naming_the_header_line(store: Store) -> None:
    data = b"\n\nSKU,Price,Colour\n1,2,3\n"
    with pytest.raises(ImportFormatError) as raised:
        import_bytes(store, data, "stock.csv")
    assert str(raised.value) == ("Nothing was imported from stock.csv: its header on line 3 has no column Mutual "
                                 "knows for a name or an email address (it has: SKU, Price, Colour).")
    assert raised.value.line == 3 and store.people.all() == []


def test_an_empty_or_binary_or_unknown_file_is_refused_with_a_sentence(store: Store) -> None:
    with pytest.raises(ImportFormatError, match=r"^Nothing was imported from e\.vcf: it is empty\.$"):
        import_bytes(store, b"\r\n  \n", "e.vcf")
    with pytest.raises(ImportFormatError, match="no line in it says BEGIN:VCARD"):
        import_bytes(store, b"\x89PNG\r\n\x1a\n\x00\x00", "photo.vcf")
    with pytest.raises(ImportFormatError, match="cannot tell what it holds"):
        import_bytes(store, b"hello world\n", "notes.txt")
    assert store.people.all() == []


# ------------------------------------------------------------------ detection


def test_content_beats_a_wrong_extension(store: Store) -> None:
    populate(store)
    vcf, csv_data, ics, backup = (export_bytes(store, f)[0] for f in ("vcf", "csv", "ics", "json"))
    linkedin = (FIXTURES / "linkedin-Connections.csv").read_bytes()
    assert [detect(data, name).name for data, name in (
        (vcf, "people.csv"), (csv_data, "people.vcf"), (linkedin, "Connections.json"), (ics, "f.vcf"),
        (backup, "backup.txt"), (vcf.decode().encode("utf-16"), "x.json"), (b"\n\nBEGIN:VCARD\r\n", "x"),
    )] == ["vcf", "csv", "csv", "ics", "json", "vcf", "vcf"]


def test_the_extension_only_breaks_a_tie() -> None:
    unclear = b"hello, world\n"
    assert detect(unclear, "x.vcf").name == "vcf" and detect(unclear, "x.csv").name == "csv"
    with pytest.raises(ImportFormatError, match="cannot tell"):
        detect(unclear, "x.bin")


# ------------------------------------------------------------------ the command line


class Cli:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(["--data-dir", str(self.folder), *args], out, err)
        return code, out.getvalue(), err.getvalue()


def test_cli_export_and_import_every_format_with_exit_codes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a", today=lambda: TODAY) as source:
        populate(source)
    cli, other = Cli(tmp_path / "a"), Cli(tmp_path / "b")
    for fmt, noun in (("vcf", "4 contacts"), ("csv", "4 contacts"), ("ics", "2 follow-ups"), ("json", "12 records")):
        code, out, err = cli("export", "--format", fmt, "-o", str(tmp_path / f"all.{fmt}"))
        assert (code, err) == (0, "") and out.startswith(f"Wrote {noun} to ")
    assert "each reminds you at 9:00 on its day" in cli("export", "-o", str(tmp_path / "f.ics"))[1]
    code, out, _ = other("import", str(tmp_path / "all.vcf"), "--tag", "from laptop")
    assert code == 0 and out == "Imported 4 people from all.vcf: 4 new, 0 updated, 0 already known.\n"
    code, out, _ = other("import", str(tmp_path / "all.csv"), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 4
    code, _, err = other("import", str(tmp_path / "all.ics"))
    assert code == 1 and "it is a calendar file" in err
    code, _, err = other("import", str(tmp_path / "all.json"))
    assert code == 2 and "Nothing was changed" in err and "--replace" in err
    code, out, _ = other("import", str(tmp_path / "all.json"), "--replace")
    assert code == 0 and out.startswith("Restored 4 contacts and 2 events from all.json.")
    code, _, err = other("import", str(tmp_path / "all.vcf"), "--replace")
    assert code == 2 and "--replace is only for restoring a Mutual backup" in err


def test_cli_export_of_an_event_holds_only_its_people(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data", today=lambda: TODAY) as store:
        ids = populate(store)
    cli = Cli(tmp_path / "data")
    code, out, _ = cli("export", "--format", "vcf", "-o", str(tmp_path / "pycon.vcf"), "--event", "pycon")
    assert code == 0 and "2 contacts" in out
    assert sorted(c.given for c in parse_vcards((tmp_path / "pycon.vcf").read_bytes())) == ["Bob", "Zoë"]
    code, _, _ = cli("export", "-o", str(tmp_path / "two.csv"), "--contact", ids["Mei"][:8], "--contact", ids["Ahmed"])
    assert code == 0 and sorted(c.given for c in parse_csv((tmp_path / "two.csv").read_bytes())) == ["Ahmed", "Mei"]
    code, _, err = cli("export", "-o", str(tmp_path / "x.vcf"), "--event", "Nope")
    assert code == 1 and "No event is called “Nope”" in err and not (tmp_path / "x.vcf").exists()


def test_cli_refusals_are_one_sentence_and_write_nothing(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data")
    code, _, err = cli("export", "-o", str(tmp_path / "out.txt"))
    assert code == 2 and "Say which format to write with --format" in err
    code, _, err = cli("export", "--format", "json", "-o", str(tmp_path / "b.json"), "--event", "PyCon")
    assert code == 2 and "A backup (json) holds everything" in err
    code, _, err = cli("export", "--format", "vcf", "-o", str(tmp_path / "no" / "such" / "dir.vcf"))
    assert code == 1 and "nothing to export" in err
    bad = tmp_path / "bad.vcf"
    bad.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Cut\r\n")
    code, out, err = cli("import", str(bad))
    assert (code, out) == (1, "") and err == (
        "Nothing was imported from bad.vcf: the vCard that starts at line 5 has no END:VCARD; "
        "the file looks cut off there.\n")
    assert cli("contacts")[1] == "No contacts yet.\n"
    code, _, err = cli("import", str(tmp_path / "missing.csv"))
    assert code == 1 and err.startswith("Nothing was imported from missing.csv: No such file")
    with Store.open(tmp_path / "data") as store:
        store.people.add(BOB)
    code, _, err = cli("export", "--format", "vcf", "-o", str(tmp_path / "no" / "such" / "dir.vcf"))
    assert code == 1 and err.startswith("Mutual could not write ") and "nothing was written" in err
    assert not (tmp_path / "no").exists()


@given(st.text(alphabet=st.sampled_from(["a", "é", ",", '"', "\r", "\n", " ", "\u2028", "\x0b"]), max_size=60))
def test_a_csv_is_split_into_lines_exactly_as_python_reads_it(text: str) -> None:
    # the importer reads lines one at a time instead of through a StringIO (4 bytes a character)
    assert list(text_lines(text)) == list(io.StringIO(text, newline=""))
