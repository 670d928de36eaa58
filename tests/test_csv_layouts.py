"""Contacts CSVs as other apps write them: Thunderbird (comma or semicolon, English, German, French),
Outlook, every era of LinkedIn's export; a column Mutual cannot place is said, never dropped silently."""

from __future__ import annotations

import pytest

from networking_app.interop import import_bytes
from networking_app.interop.csv_format import parse_csv, read_csv
from networking_app.models import Card
from networking_app.store import Store

THUNDERBIRD_HEADER = (
    "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,Work Phone,Home Phone,"
    "Fax Number,Pager Number,Mobile Number,Home Address,Home Address 2,Home City,Home State,Home ZipCode,"
    "Home Country,Work Address,Work Address 2,Work City,Work State,Work ZipCode,Work Country,Job Title,Department,"
    "Organization,Web Page 1,Web Page 2,Birth Year,Birth Month,Birth Day,Custom 1,Custom 2,Custom 3,Custom 4,Notes,"
)
THUNDERBIRD_ROWS = [
    # Thunderbird ends every line with a trailing separator; empty cells everywhere it knows nothing
    ["Ada", "Lovelace", "Ada Lovelace", "", "ada@engines.example", "ada@home.example", "", "+44 20 7946 0001", "",
     "", "", "+44 7700 900123", *[""] * 12, "Analyst", "R&D", "Engines Ltd", "www.ada.example", "", *[""] * 7,
     "Can help with: difference engines", ""],
    ["Charles", "Babbage", "", "", "charles@engines.example", "", "", "", "", "", "", "", *[""] * 12, "", "", "",
     "", "", *[""] * 7, "", ""],
]


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


def thunderbird(separator: str) -> bytes:
    lines = [THUNDERBIRD_HEADER.replace(",", separator)] + [separator.join(row) for row in THUNDERBIRD_ROWS]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("separator", [",", ";"])
def test_a_thunderbird_address_book_imports_names_emails_phones_and_links(store: Store, separator: str) -> None:
    summary = import_bytes(store, thunderbird(separator), "abook.csv")
    assert (summary.added, summary.ignored_columns, summary.left_out) == (2, [], [])
    ada = store.people.find_known(Card(emails=["ada@engines.example"]))
    assert ada is not None and (ada.full_name, ada.title, ada.organization) == (
        "Ada Lovelace", "Analyst", "Engines Ltd (R&D)")
    assert ada.emails == ["ada@engines.example", "ada@home.example"]
    assert ada.phones == ["+44 20 7946 0001", "+44 7700 900123"]
    assert ada.urls == ["https://www.ada.example"] and ada.offers == "difference engines"
    assert store.people.find_known(Card(emails=["charles@engines.example"])) is not None


def test_a_german_thunderbird_export_with_semicolons_is_read() -> None:
    data = ("Vorname;Nachname;Anzeigename;Spitzname;Primäre E-Mail-Adresse;Sekundäre E-Mail-Adresse;Chat-Name;"
            "Tel. dienstlich;Tel. privat;Fax-Nummer;Pager-Nummer;Mobil-Tel.-Nr.;Arbeitstitel;Abteilung;Organisation;"
            "Webseite 1;Notizen;\r\n"
            "Jürgen;Groß;;;jg@gross.example;;;030 1234567;;;;0171 2345678;Gründer;;Groß GmbH;gross.example;"
            "Suche: Investoren für Hardware;\r\n").encode("cp1252")
    [card] = parse_csv(data, "adressbuch.csv")
    assert (card.given, card.family, card.title, card.organization) == ("Jürgen", "Groß", "Gründer", "Groß GmbH")
    assert card.emails == ["jg@gross.example"] and card.phones == ["030 1234567", "0171 2345678"]
    assert card.urls == ["https://gross.example"] and card.seeking == "Investoren für Hardware"
    assert read_csv(data).header.columns.unknown == []


def test_a_french_thunderbird_export_is_read() -> None:
    data = ("Prénom,Nom,Nom à afficher,Surnom,Adresse électronique principale,Adresse électronique secondaire,"
            "Tél. professionnel,Portable,Société,Notes\r\n"
            "Élodie,Martin,,,elodie@martin.example,,01 23 45 67 89,06 12 34 56 78,Martin SA,"
            "Je cherche un associé technique\r\n").encode()
    [card] = parse_csv(data, "carnet.csv")
    assert (card.given, card.family, card.organization) == ("Élodie", "Martin", "Martin SA")
    assert card.emails == ["elodie@martin.example"] and card.phones == ["01 23 45 67 89", "06 12 34 56 78"]
    assert card.seeking == "un associé technique"


def test_an_outlook_export_imports_every_email_and_phone() -> None:
    data = (b"Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,"
            b"Business Phone,Business Phone 2,Mobile Phone,E-mail Address,E-mail Type,E-mail Display Name,"
            b"E-mail 2 Address,E-mail 2 Type,E-mail 2 Display Name,Notes,Web Page,Categories\r\n"
            b"Dr.,Grace,B.,Hopper,,Navy,,Rear Admiral,,+1 202 555 0100,,+1 202 555 0199,grace@navy.example,SMTP,"
            b"Grace Hopper (grace@navy.example),grace@home.example,SMTP,,Looking for: COBOL fans,"
            b"hopper.example,Speakers\r\n")
    [card] = parse_csv(data, "outlook.csv")
    assert card.full_name == "Dr. Grace B. Hopper" and card.title == "Rear Admiral"
    assert card.emails == ["grace@navy.example", "grace@home.example"]
    assert card.phones == ["+1 202 555 0100", "+1 202 555 0199"]
    assert card.urls == ["https://hopper.example"] and card.seeking == "COBOL fans"


@pytest.mark.parametrize("header, row", [
    # 2014-2016: Outlook-like columns were exported; then the compact names; since 2018 spaced names; since 2023 URL too
    ("FirstName,LastName,EmailAddress,Company,Position,ConnectedOn", "Maria,Lopez,maria@lopez.example,Acme,CTO,03-Oct-15"),
    ("First Name,Last Name,Email Address,Company,Position,Connected On",
     "Maria,Lopez,maria@lopez.example,Acme,CTO,03 Oct 2019"),
    ("First Name,Last Name,URL,Email Address,Company,Position,Connected On",
     "Maria,Lopez,https://www.linkedin.com/in/maria-lopez,maria@lopez.example,Acme,CTO,03 Oct 2024"),
    ("First Name,Middle Name,Last Name,E-mail Address,Company,Job Title",
     "Maria,,Lopez,maria@lopez.example,Acme,CTO"),
])
def test_every_era_of_linkedin_connections_keeps_the_email(store: Store, header: str, row: str) -> None:
    summary = import_bytes(store, f"{header}\r\n{row}\r\n".encode(), "Connections.csv")
    assert (summary.added, summary.left_out) == (1, [])
    maria = store.people.find_known(Card(emails=["maria@lopez.example"]))
    assert maria is not None and (maria.full_name, maria.organization, maria.title) == ("Maria Lopez", "Acme", "CTO")
    if "Connected" in header:
        assert maria.note.startswith("Connected on LinkedIn on 20")


def test_a_column_of_emails_mutual_cannot_place_is_named_in_the_summary(store: Store) -> None:
    data = b"Name,Kontakt,Handynummer,Farbe\r\nAda Lovelace,ada@engines.example,+44 7700 900123,blue\r\n"
    summary = import_bytes(store, data, "people.csv")
    assert summary.added == 1 and summary.left_out == ["Kontakt", "Handynummer"]
    said = summary.describe()
    assert "Left out: the columns “Kontakt”, “Handynummer” holds email addresses or phone numbers" in said
    assert "(Farbe)" in said and "Kontakt" not in said.split("Left out")[0]


def test_two_colleagues_sharing_an_office_phone_stay_two_people(store: Store) -> None:
    data = (b"First Name,Last Name,Business Phone,E-mail Address\r\n"
            b"Anna,Schmidt,+49 30 1234567,\r\nBernd,Maier,+49 30 1234567,\r\nCarla,Rossi,+49 30 1234567,\r\n")
    summary = import_bytes(store, data, "office.csv")
    assert (summary.added, summary.merged, summary.possible_duplicates) == (3, 0, 2)
    assert "2 new people may be someone you already have" in summary.describe()


def test_a_placeholder_email_shared_by_three_cards_joins_nobody(store: Store) -> None:
    vcf = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL;INTERNET:null\r\nEND:VCARD\r\n"
                  for name in ("Ana", "Ben", "Cy"))
    summary = import_bytes(store, vcf.encode(), "export.vcf")
    assert summary.added == 3 and all(c.emails == [] for c in store.people.all())


def test_importing_the_same_file_again_duplicates_nobody_even_without_emails(store: Store) -> None:
    data = b"First Name,Last Name,Company\r\nAna,Lima,Lima Labs\r\nBo,Berg,\r\n"
    assert import_bytes(store, data, "a.csv").added == 2
    again = import_bytes(store, data, "a.csv")
    assert (again.added, again.unchanged) == (0, 2)
