"""Who is who (networking_app.matching): the keys a card is recognised by, and merging.

The store's side of it (a scan of someone known adds a meeting, not a contact) is in
test_store.py; these are the rules underneath.
"""

from __future__ import annotations

import pytest

from networking_app.matching import (
    FieldChange,
    email_key,
    identity_keys,
    merge_card,
    merge_into,
    name_org_key,
    phone_key,
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
def test_a_phone_number_written_internationally_or_nationally_has_one_key(international: str, national: str) -> None:
    assert phone_key(international) == phone_key(national) != ""
    assert phone_key(international).isdigit() and len(phone_key(international)) == 9


def test_different_numbers_have_different_keys() -> None:
    assert phone_key("+44 20 7946 0001") != phone_key("+44 20 7946 0002")
    assert phone_key("+1 415 555 0132") != phone_key("+1 415 555 0133")


@pytest.mark.parametrize("short", ["112", "911", "ext. 12", "12345", "123456", "call me", ""])
def test_short_numbers_and_text_without_digits_never_match_anyone(short: str) -> None:
    assert phone_key(short) == ""


def test_a_seven_digit_local_number_is_its_own_key() -> None:
    assert phone_key("555 0100") == phone_key("555-0100") == "5550100"


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
    assert identity_keys(card) == ({"bo@x.org"}, {"079460001"}, "bo\x1f")


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
