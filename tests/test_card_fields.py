"""The rules of a card's fields are the same whichever format the card arrives in."""

from __future__ import annotations

from networking_app.card_fields import (
    email_value,
    formatted_name,
    note_with_offers_seeking,
    phone_value,
    split_offers_seeking,
    web_address,
)
from networking_app.interop.csv_format import parse_csv
from networking_app.models import Card
from networking_app.payload import parse_payload
from networking_app.vcard import parse_vcards

NOTE = "Offers: intros to climate investors\nSeeking: a co-founder\nMet at PyCon"


def test_a_vcard_a_csv_row_and_a_mecard_give_the_same_card() -> None:
    vcard = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nEMAIL:mailto:Jane@X.example\r\n"
        "URL:javascript:alert(1)\r\nURL:www.x.example\r\n"
        "NOTE:Offers: intros to climate investors\\nSeeking: a co-founder\\nMet at PyCon\r\nEND:VCARD\r\n"
    )
    csv = (
        'First Name,Last Name,E-mail 1 - Value,Website 1 - Value,Website 2 - Value,Notes\r\n'
        f'Jane,Doe,mailto:Jane@X.example,javascript:alert(1),www.x.example,"{NOTE}"\r\n'
    )
    mecard = (
        "MECARD:N:Doe,Jane;EMAIL:mailto:Jane@X.example;URL:javascript\\:alert(1);URL:www.x.example;"
        "NOTE:Offers\\: intros to climate investors\nSeeking\\: a co-founder\nMet at PyCon;;"
    )
    [from_vcard] = parse_vcards(vcard)
    [from_csv] = parse_csv(csv.encode(), "jane.csv")
    from_mecard = parse_payload(mecard).card
    expected = Card(given="Jane", family="Doe", emails=["Jane@X.example"], urls=["https://www.x.example"],
                    offers="intros to climate investors", seeking="a co-founder", note="Met at PyCon")
    assert from_vcard == from_csv == from_mecard == expected


def test_offers_and_seeking_lines_written_into_a_note_are_read_back_out_of_it() -> None:
    card = Card(offers="intros", seeking="a mentor", note="Seeking: a line of the card's own")
    note = note_with_offers_seeking(card, extra_note="my notes")
    assert note == "Can help with: intros\nLooking for: a mentor\nSeeking: a line of the card's own\nmy notes"
    assert split_offers_seeking(note) == ("intros", "a mentor", "Seeking: a line of the card's own\nmy notes")
    # an empty X-MUTUAL value says the card had none: the labelled line is the card's own note
    assert split_offers_seeking("Offers: x", x_offers="") == ("", "", "Offers: x")


def test_field_values_from_uris_become_plain_values() -> None:
    assert email_value("  MAILTO: a@x.example ") == "a@x.example"
    assert phone_value("tel:+1-418-656-9254;ext=102") == "+1-418-656-9254 ext. 102"
    assert phone_value("+1 555 0100") == "+1 555 0100"
    assert [web_address(u) for u in ("https://x.example", "x.example:8080/a", "javascript:1+alert(1)")] == [
        "https://x.example", "https://x.example:8080/a", ""]


def test_a_formatted_name_is_kept_only_when_it_says_more() -> None:
    assert formatted_name("Jane Doe", "Jane", "Doe") == ""
    assert formatted_name("Dr. Jane Doe", "Jane", "Doe") == "Dr. Jane Doe"
    assert formatted_name("Acme", "", "", others=("Acme",)) == ""
