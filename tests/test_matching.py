"""Who is who (networking_app.matching): the keys a card is recognised by, and merging.

The store's side of it (a scan of someone known adds a meeting, not a contact) is in
test_store.py; these are the rules underneath.
"""

from __future__ import annotations

import pytest

from networking_app.matching import (
    POSSIBLE,
    SAME,
    FieldChange,
    email_key,
    home_country_of,
    identity_keys,
    judge,
    merge_card,
    merge_into,
    name_org_key,
    names_conflict,
    phone_key,
    phone_number,
    same_phone,
)
from networking_app.models import Card, Contact

AT = "2026-11-25T10:00:00+00:00"


# -- phones ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("international, national", [
    ("+44 20 7946 0001", "020 7946 0001"),  # United Kingdom
    ("+33 1 23 45 67 89", "01 23 45 67 89"),  # France
    ("+49 30 1234567", "030 1234567"),  # Germany
    ("+1 (415) 555-0132", "415.555.0132"),  # United States
    ("+81 3-1234-5678", "03-1234-5678"),  # Japan
    ("+91 98765 43210", "098765 43210"),  # India
    ("+55 11 91234-5678", "(11) 91234-5678"),  # Brazil
    ("0046 70 123 45 67", "070-123 45 67"),  # Sweden, dialled with 00
])
def test_a_phone_number_written_internationally_or_nationally_is_the_same_line(international: str, national: str) -> None:
    assert same_phone(international, national) and same_phone(national, international)
    assert phone_key(international) == phone_key(national) != ""  # the index bucket
    country = phone_number(international).country
    assert same_phone(international, national, home_country=country)  # my own country: the same line
    assert not same_phone(international, national, home_country="999")  # in another country: another line


def test_different_numbers_are_different_lines() -> None:
    assert not same_phone("+44 20 7946 0001", "+44 20 7946 0002")
    assert not same_phone("+1 415 555 0132", "+1 415 555 0133")


def test_the_same_digits_in_two_countries_are_two_lines() -> None:
    assert not same_phone("+44 20 7946 0001", "+49 20 7946 0001")
    assert not same_phone("+1 415 555 0132", "+7 415 555 0132")
    assert phone_number("+44 20 7946 0001").country == "44" and phone_number("+1 415 555 0132").country == "1"
    assert phone_number("+353 1 234 5678").country == "353"  # three digits: codes are prefix-free


def test_an_extension_is_not_part_of_the_line_and_my_country_comes_from_my_card() -> None:
    assert same_phone("+1-418-656-9254 ext. 102", "+1 418 656 9254")
    assert home_country_of(["030 1234567", "+49 171 234567"]) == "49" and home_country_of(["030 1"]) == ""


@pytest.mark.parametrize("short", ["112", "911", "ext. 12", "12345", "123456", "call me", ""])
def test_short_numbers_and_text_without_digits_never_match_anyone(short: str) -> None:
    assert phone_key(short) == "" and phone_number(short) is None


def test_a_seven_digit_local_number_matches_itself() -> None:
    assert same_phone("555 0100", "555-0100") and phone_key("555 0100") == "550100"


# -- emails, names ----------------------------------------------------------------------------------------------
def test_an_email_address_matches_whatever_its_case_and_surrounding_spaces() -> None:
    assert email_key("  Ada@Example.ORG ") == email_key("ada@example.org") == "ada@example.org"
    assert email_key("STRASSE@example.de") == email_key("straße@example.de")  # case-folded, not just lowered


def test_a_name_and_organisation_match_whatever_their_case_accents_and_spacing() -> None:
    key = name_org_key(Card(given="Zoë", family="Ångström", organization="Lund  Uni"))
    assert key == name_org_key(Card(given="zoe", family="ANGSTROM", organization=" lund uni"))
    assert key != name_org_key(Card(given="Zoë", family="Ångström", organization="Other Org"))
    assert key != name_org_key(Card(given="Zoë", family="Ångström"))  # no organisation is not any organisation


def test_a_card_without_a_name_has_no_name_key() -> None:
    assert name_org_key(Card(organization="Stone Labs", emails=["info@stone.example"])) == ""


def test_identity_keys_leave_out_what_cannot_identify_anyone() -> None:
    card = Card(given="Bo", emails=["BO@x.org", "  "], phones=["+44 20 7946 0001", "112"])
    assert identity_keys(card) == ({"bo@x.org"}, {"460001"}, "bo")


# -- the identity rules ---------------------------------------------------------------------------------------
def stored(**fields: object) -> dict[str, object]:
    return Contact(**fields).to_doc()  # type: ignore[arg-type]


def test_the_same_email_whatever_its_case_is_the_same_person() -> None:
    verdict = judge(Card(given="Ada", emails=["ADA@Example.org"]), stored(given="Ada", emails=["ada@example.org"]))
    assert verdict is not None and verdict.kind == SAME and "ada@example.org" in verdict.reason.lower()


def test_the_same_phone_with_its_country_code_is_the_same_person() -> None:
    verdict = judge(Card(given="Wei", family="Zhang", phones=["+86 138 0013 8000"]),
                    stored(given="Wei", family="Zhang", phones=["138 0013 8000"]), home_country="86")
    assert verdict is not None and verdict.kind == SAME


def test_the_same_vcard_uid_is_the_same_person_even_with_nothing_else_in_common() -> None:
    contact = stored(given="Ada", uid="urn:uuid:1234")
    assert judge(Card(given="Ada L.", uid="urn:uuid:1234"), contact).kind == SAME  # type: ignore[union-attr]
    assert judge(Card(uid=str(contact["id"])), contact).kind == SAME  # type: ignore[union-attr]  # our own export


def test_the_same_name_without_a_strong_key_is_only_possibly_the_same_person() -> None:
    verdict = judge(Card(given="John", family="Smith", emails=["john@beta.example"]),
                    stored(given="John", family="Smith", emails=["john@alpha.example"]))
    assert verdict is not None and verdict.kind == POSSIBLE and "same name" in verdict.reason
    two_weis = judge(Card(given="Wei", family="Zhang", phones=["+86 138 0013 8000"]),
                     stored(given="Wei", family="Zhang", phones=["+86 139 1111 2222"]))
    assert two_weis is not None and two_weis.kind == POSSIBLE


def test_a_strong_key_under_clearly_different_names_is_only_a_possible_duplicate() -> None:
    office = judge(Card(given="Bernd", family="Maier", phones=["+49 30 1234567"]),
                   stored(given="Anna", family="Schmidt", phones=["030 1234567"]))
    assert office is not None and office.kind == POSSIBLE and "another name" in office.reason
    inbox = judge(Card(given="Dora", emails=["info@acme.example"]), stored(given="Carl", emails=["info@acme.example"]))
    assert inbox is not None and inbox.kind == POSSIBLE


def test_the_same_phone_with_different_emails_is_never_joined_without_asking() -> None:
    verdict = judge(Card(given="Ada", phones=["+44 20 7946 0001"], emails=["ada@work.example"]),
                    stored(given="Ada", phones=["+44 20 7946 0001"], emails=["ada@home.example"]))
    assert verdict is not None and verdict.kind == POSSIBLE and "different email" in verdict.reason


def test_a_link_is_never_an_identity() -> None:
    url = "https://www.linkedin.com/in/maria-lopez"
    assert judge(Card(urls=[url]), stored(given="Maria", family="Lopez", urls=[url])) is None


@pytest.mark.parametrize("a, b, conflict", [
    ("John Smith", "J. Smith", False), ("Maria Garcia", "María García López", False), ("Ana", "ana", False),
    ("Anna Schmidt", "Bernd Maier", True), ("Wei Zhang", "Zhang Wei", False), ("", "Bernd", False),
])
def test_names_conflict_only_when_neither_could_be_the_other(a: str, b: str, conflict: bool) -> None:
    assert names_conflict(a, b) is conflict


# -- merging a card into a contact --------------------------------------------------------------------------------
def ada(**fields: object) -> Contact:
    values: dict[str, object] = dict(given="Ada", family="Lovelace", title="Analyst", emails=["ada@example.org"],
                                     phones=["+44 20 7946 0001"])
    values.update(fields)
    return Contact(**values)  # type: ignore[arg-type]


def test_a_new_card_adds_new_values_and_keeps_the_replaced_ones_in_history() -> None:
    contact = ada()
    changes = merge_card(contact, Card(given="Ada", family="Lovelace", title="Chief Analyst", organization="Engines",
                                       emails=["ADA@example.org", "ada@work.example"],
                                       phones=["020 7946 0001", "+44 7700 900123"]), at=AT)
    assert contact.emails == ["ada@example.org", "ada@work.example"]  # the same address in capitals is not new
    assert contact.phones == ["+44 20 7946 0001", "+44 7700 900123"]  # nor the same number written nationally
    assert (contact.title, contact.organization) == ("Chief Analyst", "Engines")
    assert contact.history == [{"field": "title", "value": "Analyst", "replaced_at": AT}]
    assert changes == [FieldChange("emails", "", "ada@work.example"), FieldChange("phones", "", "+44 7700 900123"),
                       FieldChange("title", "Analyst", "Chief Analyst"), FieldChange("organization", "", "Engines")]


def test_empty_fields_and_the_same_value_in_another_case_change_nothing() -> None:
    contact = ada(offers="maths tutoring")
    assert merge_card(contact, Card(given="ADA", family="lovelace", title="analyst", emails=["ada@example.org"]), at=AT) == []
    assert (contact.given, contact.title, contact.offers, contact.history) == ("Ada", "Analyst", "maths tutoring", [])


def test_a_change_describes_itself_in_a_sentence() -> None:
    assert FieldChange("organization", "", "Engines").describe() == "organization added: Engines"
    assert FieldChange("title", "Analyst", "Chief Analyst").describe() == \
        "title changed from “Analyst” to “Chief Analyst” (the old value is kept in history)"


# -- merging two contacts ------------------------------------------------------------------------------------------
def test_merging_two_contacts_keeps_the_chosen_one_and_loses_nothing_of_the_other() -> None:
    keep = ada(tags=["Investor"], history=[{"field": "title", "value": "Intern", "replaced_at": AT}])
    other = Contact(given="Ada", family="King", title="Countess", organization="Engines", emails=["ada@work.example"],
                    phones=["020 7946 0001"], tags=["investor", "London"],
                    history=[{"field": "given", "value": "Augusta", "replaced_at": AT}])
    merge_into(keep, other, at=AT)
    assert (keep.family, keep.title, keep.organization) == ("Lovelace", "Analyst", "Engines")  # kept wins; blanks filled
    assert keep.emails == ["ada@example.org", "ada@work.example"] and keep.phones == ["+44 20 7946 0001"]
    assert keep.tags == ["Investor", "London"]  # tags match folded
    assert keep.history == [
        {"field": "title", "value": "Intern", "replaced_at": AT},
        {"field": "family", "value": "King", "replaced_at": AT, "merged_from": other.id},
        {"field": "title", "value": "Countess", "replaced_at": AT, "merged_from": other.id},
        {"field": "given", "value": "Augusta", "replaced_at": AT},
    ]
