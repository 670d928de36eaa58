"""The real-world vCard files of ``tests/corpus/vcards`` and what each holds, read by hand.

``tests/test_vcard.py`` reads them with the codec, ``tests/test_interop.py`` imports them
into a store: both check against the same table.
"""

from __future__ import annotations

from pathlib import Path

from networking_app.models import Card
from networking_app.vcard import parse_vcards

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "vcards"  # a copy of ../shared/corpus

N = "Ñ"
SIMON = ("Simon Perreault", ["simon.perreault@viagenie.ca"],
         ["+1-418-656-9254 ext. 102", "+1-418-262-6501"], "Viagenie")  # fmt: skip
ABC = "ABC, Inc. (North American Division, Marketing)"

# Every file of the corpus: per card (full name, emails, phones, organization),
# read by hand from the files. Phones and emails marked preferred come first.
EXPECTED: dict[str, list[tuple[str, list[str], list[str], str]]] = {
    "ez-vcard/John_Doe_ANDROID.vcf": [
        ("", ["john.doe@company.com"], [], ""),
        ("", ["jane.doe@company.com"], [], ""),
        (" ".join([N] * 5), [], ["123456789"], ""),
        (" ".join([N] * 11), [], ["123456", "234567", "3456789", "45678901"], ""),
        (" ".join([N] * 4), ["bob@company.com"], ["123456"], N * 12),  # "ÑÑ…" in EMAIL is no address
        (N * 4, ["henry@company.com"], ["55556666"], N * 44),
    ],
    "ez-vcard/John_Doe_BLACK_BERRY.vcf": [
        ("John Doe", [], ["+96123456789"], "Acme Solutions"),
    ],
    "ez-vcard/John_Doe_EVOLUTION.vcf": [
        ("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"],
         ["905-666-1234", "905-555-1234"], "IBM (Accounting, Dungeon)"),
    ],
    "ez-vcard/John_Doe_GMAIL.vcf": [
        ("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"],
         ["905-555-1234", "905-666-1234"], "IBM"),
    ],
    "ez-vcard/John_Doe_IPHONE.vcf": [
        ("Mr. John Richter James Doe Sr.", ["john.doe@ibm.com"],
         ["905-555-1234", "905-666-1234", "905-777-1234", "905-888-1234",
          "905-999-1234", "905-111-1234", "905-222-1234"], "IBM (Accounting)"),
    ],
    "ez-vcard/John_Doe_LOTUS_NOTES.vcf": [
        ("Mr. Doe John I Johny", ["john.doe@ibm.com", "billy_bob@gmail.com"],
         ["+1 (212) 204-34456", "00-1-212-555-7777"], "IBM (SUN)"),
    ],
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf": [
        ("Mr. John Richter,James Doe Sr.", ["john.doe@ibm.com"],
         ["905-777-1234", "905-666-1234", "905-555-1234", "905-888-1234",
          "905-999-1234", "905-111-1234", "905-222-1234"], "IBM (Accounting)"),
    ],
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf": [
        ("Mr. John Richter James Doe Sr.", ["john.doe@ibm.cm"],
         ["(905) 555-1234", "(905) 666-1234"], "IBM (Accounting)"),
    ],
    "ez-vcard/fullcontact.vcf": [
        ("Prefix FirstName MiddleName LastName Suffix",
         ["home@example.com", "work@example.com", "school@example.com",
          "other@example.com", "custom@example.com"],
         [f"555-555-111{i}" for i in range(1, 10)], "Organization1 (Department1)"),
    ],
    "ez-vcard/gmail-list.vcf": [
        ("Arnold Smith", ["asmithk@gmail.com"], [], ""),
        ("Chris Beatle", ["chrisy55d@yahoo.com"], [], ""),
        ("Doug White", ["dwhite@gmail.com"], [], ""),
    ],
    "ez-vcard/gmail-single.vcf": [
        ("Greg Dartmouth", ["gdartmouth@hotmail.com"], ["555 555 1111", "555 555 2222"],
         "TheCompany"),
    ],
    "ez-vcard/gmail-single2.vcf": [
        ("VCard Test",
         ["email@example.com", "homeemail@example.com", "workemail@example.com",
          "otheremail@example.com", "customcategory@example.com"],
         [f"55555511{i}" for i in range(11, 22)], "TheCompany"),
    ],
    "ez-vcard/issue114.vcf": [
        ("Dummy, Dummy", ["dummy.dummy@dummy.com"], ["+49 1234 56789", "+49 9876 54321"],
         "Dummy GmbH"),
    ],
    "ez-vcard/outlook-2003.vcf": [
        ("John Doe III", ["jdoe@hotmail.com"], [],  # TEL values "BusinessPhone"…: no digit, no number
         "Company, The (TheDepartment)"),
    ],
    "ez-vcard/outlook-2007.vcf": [
        ("Mr. Michael Angstadt Jr.", ["mike.angstadt@gmail.com"],
         ["(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"],
         "TheCompany (TheDepartment)"),
    ],
    "ez-vcard/rfc2426-example.vcf": [
        ("Frank Dawson", ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"],
         ["+1-919-676-9515", "+1-919-676-9564"], "Lotus Development Corporation"),
        ("Tim Howes", ["howes@netscape.com"], ["+1-415-937-3419", "+1-415-528-4164"],
         "Netscape Communications Corp."),
    ],
    "ez-vcard/rfc6350-example.vcf": [SIMON],
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": [
        ("John Doe",
         ["doe.john@hotmail.com", "additional-email@company.com",
          "additional-email1@company.com", "additional-email2@company.com",
          "additional-email3@company.com"],
         ["555-555-1111", "555-555-2222", "555-555-5555", "555-555-3333", "555-555-4444"],
         "TheOrganization (TheDepartment)"),
    ],
    "ical.js/escape_semicolon.vcf": [
        ("First Last NextCloud", ["home@gmx.de", "work@gmx.de"],
         ["11111111", "205333", "205246;;,;", "222222"], "Firma"),
    ],
    "ical.js/vcard.vcf": [("J. Doe", ["jqpublic@xyz.example.com"], ["+33-01-23-45-67"], ABC)],
    "ical.js/vcard3.vcf": [
        ("Mr. John Q. Public, Esq.", ["jane_doe@abc.com", "jqpublic@xyz.dom1.com", "jdoe@isp.net"],
         ["+1-213-555-1234"], ABC),
    ],
    "ical.js/vcard_author.vcf": [SIMON],
    "ical.js/vcard_grouped.vcf": [("", [], [], "")],
    "vobject/radicale-1587.vcf": [("Given Family", [], [], "")],
    "vobject/vcard40_full.vcf": [
        ("Dr. John Q. Public, III", ["johnny@personal.example.org", "john.public@example.com"],
         ["+1-555-555-5555", "+1-555-123-4567"], "Example Corp. (North Division, Marketing)"),
    ],
    "vobject/vcard40_group.vcf": [("The Doe Family", [], [], "")],
    "vobject/vcard40_location.vcf": [("Empire State Building", [], ["+1-212-736-3100"], "")],
    "vobject/vcard40_multilang.vcf": [("Yamada Taro", [], [], "")],
    "vobject/vcard40_org.vcf": [
        ("ABC Marketing", ["marketing@abc.example.com"], ["+1-555-000-0000"], ABC),
    ],
    "vobject/vcard40_simple.vcf": [("John Doe", [], [], "")],
}  # fmt: skip


def corpus_cards(name: str) -> list[Card]:
    return parse_vcards((CORPUS / name).read_bytes())
