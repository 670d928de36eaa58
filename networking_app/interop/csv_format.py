"""Contacts as CSV: Google Contacts' columns out; Google (current and older) and LinkedIn in.

Export writes the columns of Google Contacts' own "Google CSV" export (First Name,
Middle Name, Last Name, …, Organization Name, Organization Title, Notes, Labels,
"E-mail 1 - Label"/"E-mail 1 - Value", "Phone 1 - …", "Website 1 - …"), so Google
Contacts imports it as its own and Outlook and spreadsheets read it too. It is UTF-8
*with* a byte-order mark: Google writes none, but Excel and Outlook's CSV import
read a BOM-less file as the Windows code page and garble "Zoë"; Google Contacts
and Mutual skip the BOM. A cell that a spreadsheet would run as a formula (=, @, or
+/- that is not a phone number) is written with a leading apostrophe.

Import reads Google's current and older column names ("Given Name", "Family Name",
"Organization 1 - Name", "E-mail 1 - Type"…), Outlook's ("E-mail Address", "E-mail 2
Address", "Business Phone", "Mobile Phone", "Web Page", "Categories"), Thunderbird's
address-book export in English, German and French ("Primary Email", "Work Phone",
"Mobile Number", "Web Page 1"; "Primäre E-Mail-Adresse"; "Adresse électronique
principale"), comma or semicolon separated, and every era of LinkedIn's
``Connections.csv`` (today's First Name, Last Name, URL, Email Address, Company, Position,
Connected On after its "Notes:" lines; the older FirstName, LastName, EmailAddress,
Company, Position, ConnectedOn). Headers are compared without case, spaces, punctuation
or accents. A column Mutual cannot place whose cells hold email addresses or phone
numbers is named in the summary as left out: an import is never silently lossy. "Connected
On" becomes a note ("Connected on LinkedIn on 2026-11-25.") on people who are new
to Mutual; a known person's note is left alone. Google's Labels become tags (its
system groups such as "* myContacts" are left out). Columns Mutual does not know
are ignored and counted. Bytes are decoded strictly by :mod:`networking_app.text_decoding`
(UTF-8, UTF-16 or UTF-32 by their BOM, UTF-16 without one, else Windows-1252); ",", ";"
and tab separate cells.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from ..card_fields import (
    clean_card,
    email_value,
    formatted_name,
    note_with_offers_seeking,
    organization_with_units,
    split_offers_seeking,
    web_address,
)
from ..errors import ImportFormatError
from ..models import MAX_TAG_LENGTH, Card, split_name
from ..text_decoding import decode_text_strict
from ..text_safety import clean_text
from .base import (
    EVERYONE,
    MAX_CONTACTS_IMPORT_BYTES,
    ExportSummary,
    ImportSummary,
    Progress,
    Selection,
    add_tags_found,
    check_size,
    one_commit,
    refusal,
    with_progress,
)
from .people import NotesWriter, selected_contacts, with_my_notes_if_new

if TYPE_CHECKING:
    from ..store import Store

HEADER_SEARCH_ROWS = 20  # LinkedIn puts 2-3 lines of notes before its header
MULTI = ":::"  # Google joins several values with one label in one cell: "a@x ::: b@x"
MAX_LABELS = 20  # tags taken from one row's Labels: a hostile file gets no more
SYSTEM_LABEL = "* "  # Google's system groups ("* myContacts", "* starred") and primary values

# Google Contacts' export, in its order; Mutual fills what it knows.
GOOGLE_LEADING = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday",
    "Notes", "Photo", "Labels",
)  # fmt: skip
GOOGLE_MY_CONTACTS = "* myContacts"
EXPORT_LABEL = "Work"  # a business card's email, phone and site are work ones


# ------------------------------------------------------------------- columns


def _key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").lower().split()).replace("e-mail", "email")


def _compact(key: str) -> str:
    """A header without case, spaces, punctuation or accents: "EmailAddress", "E-mail address" and
    "Email_Address" are one column."""
    return "".join(c for c in unicodedata.normalize("NFKD", key.casefold()) if c.isalnum() and c.isascii())


_DIRECT: dict[str, str] = {
    **dict.fromkeys(("first name", "given name", "firstname"), "given"),
    **dict.fromkeys(("middle name", "additional name"), "middle"),
    **dict.fromkeys(("last name", "family name", "surname", "lastname"), "family"),
    **dict.fromkeys(("name", "full name", "display name"), "formatted"),
    **dict.fromkeys(("name prefix", "prefix"), "prefix"),
    **dict.fromkeys(("name suffix", "suffix"), "suffix"),
    **dict.fromkeys(("organization name", "organization", "company", "company name"), "org"),
    **dict.fromkeys(("organization title", "position", "job title"), "title"),
    **dict.fromkeys(("organization department", "department"), "dept"),
    **dict.fromkeys(("email address", "email", "emails"), "email"),
    **dict.fromkeys(("phone", "phone number", "telephone", "mobile", "mobile phone", "business phone",
                     "business phone 2", "home phone", "home phone 2", "primary phone", "other phone",
                     "company main phone", "car phone", "cell phone"), "phone"),
    **dict.fromkeys(("url", "website", "web page", "web site", "homepage", "profile url", "linkedin url"), "url"),
    **dict.fromkeys(("notes", "note"), "notes"),
    **dict.fromkeys(("labels", "group membership"), "labels"),
    "categories": "categories",
    "file as": "file_as",
    "connected on": "connected",
    # Thunderbird (English)
    **dict.fromkeys(("primary email", "secondary email"), "email"),
    **dict.fromkeys(("work phone", "mobile number", "mobile phone number"), "phone"),
    **dict.fromkeys(("web page 1", "web page 2"), "url"),
    # Thunderbird (German)
    "vorname": "given", "nachname": "family", "anzeigename": "formatted",
    **dict.fromkeys(("primäre e-mail-adresse", "sekundäre e-mail-adresse", "e-mail-adresse"), "email"),
    **dict.fromkeys(("tel. dienstlich", "tel. privat", "mobil-tel.-nr.", "telefon", "mobiltelefon"), "phone"),
    **dict.fromkeys(("webseite 1", "webseite 2", "webseite"), "url"),
    "arbeitstitel": "title", "abteilung": "dept", "organisation": "org", "firma": "org", "notizen": "notes",
    # Thunderbird (French)
    "prénom": "given", "nom": "family", "nom à afficher": "formatted",
    **dict.fromkeys(("adresse électronique principale", "adresse électronique secondaire", "courriel"), "email"),
    **dict.fromkeys(("tél. professionnel", "tél. personnel", "portable", "téléphone"), "phone"),
    **dict.fromkeys(("page web 1", "page web 2", "site web"), "url"),
    "profession": "title", "service": "dept", "société": "org",
}
_DIRECT_COMPACT: dict[str, str] = {_compact(k): v for k, v in _DIRECT.items()}
# Cells a column Mutual cannot place may hold: an address or a number written as a phone.
_LOOKS_LIKE_PHONE = re.compile(r"\+?[0-9(][0-9 ().\-/]{5,30}[0-9]")
_NUMBERED = re.compile(r"^(email|phone|website|organization) (\d{1,3}) - (value|label|type|name|title|department)$")
_OUTLOOK_EMAIL = re.compile(r"^email (\d{1,2} )?address$")
# Columns of Google, Outlook and LinkedIn that Mutual knows and leaves out on purpose.
_KNOWN_UNUSED = re.compile(
    r"^(?:phonetic (?:first|middle|last) name|nickname|file as|birthday|photo|initials|short name"
    r"|maiden name|gender|location|billing information|directory server|mileage|occupation|hobby"
    r"|sensitivity|priority|subject|language|anniversary|spouse|children|manager's name"
    r"|assistant's (?:name|phone)|account|keywords|office location|internet free busy|user [1-4]"
    r"|private|government id number|organizational id number|referred by|pager|title"
    r"|(?:given|family|additional) name yomi|yomi name|(?:business|home|other) fax"
    r"|(?:business|home|other) (?:street(?: [23])?|city|state|postal code|country(?:/region)?|po box)"
    r"|email (?:\d{1,2} )?(?:type|display name)"
    r"|(?:address|relation|event|custom field|im|external id|calendar link|website|phone|email"
    r"|organization|location|file|sip address|jot|hobby|user) \d{1,3} - .+"
    r"|organization (?:location|job description|symbol|phonetic name|yomi name|type)"
    # Thunderbird, in English, German and French
    r"|screen name|fax number|pager number|(?:home|work) (?:address(?: 2)?|city|state|zipcode|country)"
    r"|birth (?:year|month|day)|custom [1-4]|spitzname|chat-name|fax-nummer|pager-nummer"
    r"|(?:privat|dienstlich): (?:adresse(?: 2)?|ort|bundesland|plz|land)|geburtsjahr|geburtsmonat|geburtstag"
    r"|benutzerdef\. [1-4]|surnom|pseudo|fax|pager|adresse (?:privée|professionnelle)(?: 2)?"
    r"|(?:ville|pays|code postal|région|état)(?: \(?(?:privé|professionnel)\)?)?"
    r"|année de naissance|mois|jour|divers [1-4])$"
)


@dataclass
class Columns:
    """Where each field is in a header; (value, label) column pairs for multi-valued ones."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    emails: list[tuple[int, int | None]] = field(default_factory=list)
    phones: list[tuple[int, int | None]] = field(default_factory=list)
    urls: list[tuple[int, int | None]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unknown_at: list[int] = field(default_factory=list)  # where the unknown columns are

    @property
    def has_person(self) -> bool:
        """A name or an email column: without one, this is not a contacts CSV."""
        return bool(self.emails) or any(self.fields.get(f) for f in ("given", "family", "formatted"))

    @property
    def known(self) -> int:
        return sum(map(len, self.fields.values())) + len(self.emails) + len(self.phones) + len(self.urls)

    @classmethod
    def of(cls, header: Sequence[str]) -> Columns:
        columns = cls()
        keys = [_key(h) for h in header]
        labels: dict[tuple[str, str], int] = {}
        numbered: list[tuple[str, str, int]] = []
        for index, key in enumerate(keys):
            if (match := _NUMBERED.match(key)) is not None:
                kind, number, part = match.groups()
                if part in ("label", "type"):
                    labels[(kind, number)] = index
                elif kind == "organization":
                    columns.fields.setdefault({"name": "org", "department": "dept"}.get(part, part), []).append(index)
                elif part == "value":
                    numbered.append((kind, number, index))
                else:
                    columns.unknown.append(header[index])
            elif (name := _DIRECT.get(key, _DIRECT_COMPACT.get(_compact(key)))) is not None:
                target = {"email": columns.emails, "phone": columns.phones, "url": columns.urls}.get(name)
                if target is not None:
                    target.append((index, None))
                else:
                    columns.fields.setdefault(name, []).append(index)
            elif _OUTLOOK_EMAIL.match(key):
                columns.emails.append((index, None))
            elif key == "title":  # Outlook's "Title" (beside "Job Title") is Mr., Dr.
                columns.fields.setdefault("prefix" if "job title" in keys else "title", []).append(index)
            elif key and not _KNOWN_UNUSED.match(key):
                columns.unknown.append(header[index].strip())
                columns.unknown_at.append(index)
        for kind, number, index in numbered:
            target = {"email": columns.emails, "phone": columns.phones, "website": columns.urls}[kind]
            target.append((index, labels.get((kind, number))))
        return columns


# ------------------------------------------------------------------- decoding


def decode_csv(data: bytes, source: str) -> str:
    """The text of a CSV file (Windows-1252 when not UTF-8: Excel's "CSV" on Windows), or a
    refusal naming the line that is not text."""
    try:
        text = decode_text_strict(data)
    except ImportFormatError as exc:
        raise refusal(source, exc) from None
    return _no_nul(text, source)


def _no_nul(text: str, source: str) -> str:
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise refusal(source, f"line {line} holds binary data, so this is not a CSV text file", line)
    return text


# ------------------------------------------------------------------- reading


@dataclass
class Header:
    """The header row found in a CSV text: its delimiter, its line and its columns."""

    delimiter: str
    line: int
    row_index: int
    names: list[str]
    columns: Columns


def find_header(text: str) -> Header | None:
    """The contacts header within the first rows (after LinkedIn's notes), or None.

    Each of ",", ";" and tab is tried; the one whose header names most known columns wins.
    """
    best: Header | None = None
    for delimiter in (",", ";", "\t"):
        if delimiter not in text[:65536]:
            continue
        reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
        try:
            for index in range(HEADER_SEARCH_ROWS):
                start = reader.line_num + 1
                row = next(reader)
                if len(row) < 2:
                    continue
                columns = Columns.of(row)
                if columns.has_person:
                    if best is None or columns.known > best.columns.known:
                        best = Header(delimiter, start, index, row, columns)
                    break
        except (StopIteration, csv.Error):
            pass
    return best


def _first_line(text: str) -> tuple[int, str]:
    for number, line in enumerate(text.splitlines()[:HEADER_SEARCH_ROWS], 1):
        if line.strip():
            return number, line.strip()
    return 1, ""


class _Row:
    """One data row, read through the header's columns."""

    def __init__(self, cells: list[str], columns: Columns) -> None:
        self.cells, self.columns = cells, columns

    def cell(self, index: int) -> str:
        return _undefuse(self.cells[index].strip()) if index < len(self.cells) else ""

    def first(self, name: str) -> str:
        return next((v for v in (self.cell(i) for i in self.columns.fields.get(name, ())) if v), "")

    def all(self, name: str) -> list[str]:
        return [v for v in (self.cell(i) for i in self.columns.fields.get(name, ())) if v]

    def values(self, pairs: list[tuple[int, int | None]]) -> list[str]:
        """Multi-valued cells split at ":::", values labelled primary ("* …") first."""
        ranked: list[tuple[int, str]] = []
        for value_index, label_index in pairs:
            primary = label_index is not None and self.cell(label_index).startswith(SYSTEM_LABEL)
            for value in self.cell(value_index).split(MULTI):
                if value.strip():
                    ranked.append((0 if primary else 1, value.strip()))
        return [value for _, value in sorted(ranked, key=lambda item: item[0])]

    def card(self) -> Card:
        given, middle, family = self.first("given"), self.first("middle"), self.first("family")
        formatted, prefix, suffix = self.first("formatted"), self.first("prefix"), self.first("suffix")
        file_as = self.first("file_as")
        if not formatted and file_as and "," not in file_as:  # Google's "File As" is the name shown;
            formatted = file_as  # "Smith, Robert" is a sorting form, not a name to show
        if formatted and not (given or family):
            given, family = split_name(formatted)
        elif (prefix or middle or suffix) and not formatted:
            formatted = " ".join(p for p in (prefix, given, middle, family, suffix) if p)
        formatted = formatted_name(formatted, given, family)
        organization, dept = self.first("org"), self.first("dept")
        if organization and dept:
            organization = organization_with_units(organization, [dept])
        emails = [email_value(e) for e in self.values(self.columns.emails)]
        offers, seeking, note = split_offers_seeking("\n".join(self.all("notes")))
        return clean_card(Card(
            given=given, family=family, formatted=formatted, title=self.first("title"),
            organization=organization, emails=emails, phones=self.values(self.columns.phones),
            urls=[u for u in self.values(self.columns.urls) if web_address(u)],
            offers=offers, seeking=seeking, note=note,
        ))

    def unplaced(self) -> list[int]:
        """Unknown columns whose cell here holds an email address or a phone number."""
        return [i for i in self.columns.unknown_at
                if (cell := self.cell(i)) and (email_value(cell) or _LOOKS_LIKE_PHONE.fullmatch(cell))]

    def labels(self) -> list[str]:
        """Google's Labels (split at ":::") and Outlook's Categories (at ";") as tags."""
        cells = [*(cell.split(MULTI) for cell in self.all("labels")), *(cell.split(";") for cell in self.all("categories"))]
        found = [clean_text(label, max_len=MAX_TAG_LENGTH) for cell in cells for label in cell]
        return [label for label in found if label and not label.startswith(SYSTEM_LABEL.strip())][:MAX_LABELS]

    def connected_on(self) -> str:
        raw = self.first("connected")
        return _linkedin_date(raw) if raw else ""


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                       "oct", "nov", "dec"), 1)}


def _linkedin_date(raw: str) -> str:
    """LinkedIn's "25 Nov 2026" (older exports: "25-Nov-26") as ISO; other text as it is."""
    match = re.fullmatch(r"(\d{1,2})[ \-]([A-Za-z]{3})[A-Za-z]*[ \-](\d{2}|\d{4})", raw.strip())
    if match and match.group(2).lower() in _MONTHS:
        year = int(match.group(3)) + (2000 if len(match.group(3)) == 2 else 0)
        try:
            return date(year, _MONTHS[match.group(2).lower()], int(match.group(1))).isoformat()
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(raw.strip()).date().isoformat()
    except ValueError:
        return clean_text(raw, max_len=40)


def _undefuse(value: str) -> str:
    """Undo the apostrophe written before a formula-like cell."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value


# ------------------------------------------------------------------- the format


class CsvFormat:
    name: ClassVar[str] = "csv"
    label: ClassVar[str] = "CSV for Google Contacts (.csv)"
    extensions: ClassVar[tuple[str, ...]] = (".csv",)
    media_type: ClassVar[str] = "text/csv"
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = True
    max_import_bytes: ClassVar[int] = MAX_CONTACTS_IMPORT_BYTES

    def export(self, store: Store, selection: Selection = EVERYONE, *,
               on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]:
        people = selected_contacts(store, selection)
        notes = NotesWriter(store, people, selection.event_id)
        cards = [clean_card(c) for c in people]  # as the vCard writer: no control or bidi characters leave
        counts = [max(1, max(len(getattr(c, f)) for c in cards)) for f in ("emails", "phones", "urls")]
        header = list(GOOGLE_LEADING)
        for kind, count in zip(("E-mail", "Phone", "Website"), counts, strict=True):
            for n in range(1, count + 1):
                header += [f"{kind} {n} - Label", f"{kind} {n} - Value"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for contact, card in with_progress(zip(people, cards, strict=True), len(people), on_progress):
            given, family = card.given, card.family
            if not (given or family):
                given = card.full_name  # Google keeps a one-piece name in First Name
            note = note_with_offers_seeking(card, notes.notes(contact))
            tags = [clean_text(t.replace(MULTI, " "), max_len=MAX_TAG_LENGTH) for t in contact.tags]
            shown = card.formatted if card.formatted and (card.given or card.family) else ""
            row = {"First Name": given, "Last Name": family, "File As": shown, "Organization Name": card.organization,
                   "Organization Title": card.title, "Notes": note,
                   "Labels": " ::: ".join([GOOGLE_MY_CONTACTS, *(t for t in tags if t)])}
            cells = [row.get(name, "") for name in GOOGLE_LEADING]
            for values, count in zip((card.emails, card.phones, card.urls), counts, strict=True):
                for n in range(count):
                    cells += [EXPORT_LABEL, values[n]] if n < len(values) else ["", ""]
            writer.writerow([_defuse(cell) for cell in cells])
        data = ("\ufeff" + out.getvalue()).encode("utf-8")
        return data, ExportSummary(self.name, len(people), "contact", len(data))

    def import_(self, store: Store, data: bytes, source_name: str, *, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary:
        check_size(len(data), self.max_import_bytes, source_name)
        table = read_csv(data, source_name)
        summary = ImportSummary(self.name, source_name, ignored_columns=table.header.columns.unknown)
        labels: list[list[str]] = []
        unplaced: dict[int, None] = {}

        def cards() -> Iterator[Card]:
            for row in with_progress(table.rows(), table.approximate_rows, on_progress):
                unplaced.update(dict.fromkeys(row.unplaced()))
                card = row.card()
                if card.is_empty():
                    summary.skipped += 1
                    continue
                card.note = with_my_notes_if_new(store, card)
                connected = row.connected_on()
                if connected and store.people.find_known(card) is None:
                    card.note = "\n".join(p for p in (card.note, f"Connected on LinkedIn on {connected}.") if p)
                labels.append(row.labels())
                yield card

        with one_commit(store):  # the people and their labels, or nothing
            result = store.people.import_cards(cards(), source="import", tags=tags)
            add_tags_found(store, result.contact_ids, labels)
        summary.added, summary.merged, summary.unchanged = result.added, result.merged, result.unchanged
        summary.contact_ids = result.contact_ids
        summary.possible_duplicates = len({cid for cid, _ in result.possible})
        names = table.header.names
        summary.left_out = [names[i].strip() for i in sorted(unplaced)]
        return summary


@dataclass
class CsvTable:
    """A decoded contacts CSV whose header was found; rows are read on demand."""

    text: str
    header: Header
    source: str

    @property
    def approximate_rows(self) -> int:
        return max(0, self.text.count("\n") - self.header.line)

    def rows(self) -> Iterator[_Row]:
        """The data rows (blank ones left out); a malformed row refuses the file, naming its line."""
        reader = csv.reader(text_lines(self.text), delimiter=self.header.delimiter, strict=True)
        start = 1
        try:
            for index, cells in enumerate(reader):
                if index > self.header.row_index and any(c.strip() for c in cells):
                    yield _Row(cells, self.header.columns)
                start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise refusal(self.source, f"the quoted value that starts on line {start} is never closed, "
                              "so the file looks cut off there", start) from None
            raise refusal(self.source, f"line {start} is not valid CSV ({exc})", start) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, as ``io.StringIO(text, newline="")`` gives them, one
    at a time: a StringIO that is read holds 4 bytes a character (68 MB for a 17 MB file)."""
    return (match.group() for match in _LINE.finditer(text))


def read_csv(data: bytes, source: str = "this file") -> CsvTable:
    """Decode a contacts CSV and find its header, or refuse naming the line."""
    text = decode_csv(data, source)
    header = find_header(text)
    if header is None:
        line, first = _first_line(text)
        cells = ", ".join(c.strip() for c in next(csv.reader([first]), [])[:8] if c.strip())
        raise refusal(source, f"its header on line {line} has no column Mutual knows for a name or "
                      f"an email address (it has: {cells or 'nothing'})", line)
    return CsvTable(text, header, source)


def parse_csv(data: bytes, source: str = "this file") -> list[Card]:
    """The people of a contacts CSV as cards, without a store (e.g. to preview an import)."""
    return [card for card in (row.card() for row in read_csv(data, source).rows()) if not card.is_empty()]


_PHONE_LIKE = re.compile(r"[+\-]?[0-9 ().\-/]*(?:(?:ext\.?|x) ?[0-9]+)?")


def _defuse(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe; phone numbers do not.

    A value that already starts with an apostrophe before such a sign gets one more, so that
    reading it back (which drops one) gives it unchanged.
    """
    first = value[:1]
    if first in ("=", "@", "\t", "\r") or (first in ("+", "-") and not _PHONE_LIKE.fullmatch(value)) or (
            first == "'" and value[1:2] in ("=", "+", "-", "@")):
        return "'" + value
    return value
