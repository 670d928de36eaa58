"""parse_payload: what a scanned code or pasted text is, and the card in it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_app.errors import NotACardError, PayloadTooLargeError
from networking_app.models import Card
from networking_app.payload import MAX_PAYLOAD_BYTES, ParsedPayload, parse_payload
from networking_app.vcard import encode_qr_vcard, fit_card_for_qr


def fields(parsed: ParsedPayload) -> dict[str, object]:
    return {k: v for k, v in parsed.card.card_fields().items() if v}


# ------------------------------------------------------------------------ cards


def test_our_own_qr_vcard_reads_back_with_offers_and_seeking() -> None:
    card = Card(given="Jane", family="Doe", emails=["jane@example.com"], offers="intros",
                seeking="a mentor", organization="Acme")  # fmt: skip
    parsed = parse_payload(fit_card_for_qr(card).text)
    assert (parsed.kind, parsed.summary) == ("vcard", "a vCard 3.0 card")
    assert parsed.card == card


def test_a_vcard_file_with_several_cards_gives_the_first() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:4.0\nFN:First One\nEMAIL:one@x.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Second\nEND:VCARD\n"
    )
    parsed = parse_payload(text)
    assert parsed.card.full_name == "First One"
    assert parsed.summary == "a vCard 4.0 card (the first of 2)"


def test_a_vcard_without_end_line_is_still_read() -> None:
    parsed = parse_payload("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\nTEL;CELL:+1 555 0100")
    assert fields(parsed) == {"given": "Jane", "family": "Doe", "phones": ["+1 555 0100"]}
    assert parsed.summary == "a vCard 2.1 card"


def test_vcard_bytes_with_bom_are_read() -> None:
    parsed = parse_payload("\ufeffBEGIN:VCARD\nFN:Zoë\nEND:VCARD\n".encode())
    assert parsed.card.full_name == "Zoë"


def test_an_empty_vcard_is_refused() -> None:
    with pytest.raises(NotACardError, match="vCard.*no name or contact details"):
        parse_payload("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n")


def test_a_damaged_vcard_is_refused() -> None:
    with pytest.raises(NotACardError, match="like a vCard but is damaged") as error:
        parse_payload("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n")
    assert error.value.kind == "vcard"


def test_mecard_with_escapes() -> None:
    parsed = parse_payload(
        r"MECARD:N:Doe,John;TEL:+15551234567;EMAIL:john@example.com;"
        r"URL:http\://example.com/a\;b;ORG:Acme\, Inc.;NOTE:Offers\: intros;;"
    )
    assert (parsed.kind, parsed.summary) == ("mecard", "a MeCard contact")
    assert fields(parsed) == {
        "given": "John",
        "family": "Doe",
        "organization": "Acme, Inc.",
        "emails": ["john@example.com"],
        "phones": ["+15551234567"],
        "urls": ["http://example.com/a;b"],
        "offers": "intros",
    }


def test_mecard_with_a_name_without_comma_keeps_it_whole() -> None:
    parsed = parse_payload("MECARD:N:山田 太郎;TEL:03-1234-5678;;")
    assert parsed.card.full_name == "山田 太郎"


def test_bizcard() -> None:
    parsed = parse_payload("BIZCARD:N:John;X:Doe;T:CTO;C:Acme;B:+1 555 0100;E:john@acme.com;;")
    assert (parsed.kind, parsed.summary) == ("bizcard", "a BIZCARD contact")
    assert fields(parsed) == {
        "given": "John",
        "family": "Doe",
        "title": "CTO",
        "organization": "Acme",
        "emails": ["john@acme.com"],
        "phones": ["+1 555 0100"],
    }


# ------------------------------------------------------------------ single items


def test_mailto_gives_a_card_with_that_email() -> None:
    parsed = parse_payload("mailto:jane%40example.com?subject=Hello")
    assert (parsed.kind, fields(parsed)) == ("email", {"emails": ["jane@example.com"]})


def test_matmsg_gives_the_recipient_email() -> None:
    parsed = parse_payload("MATMSG:TO:jane@example.com;SUB:Hi;BODY:Nice to meet you;;")
    assert (parsed.kind, fields(parsed)) == ("email", {"emails": ["jane@example.com"]})


@pytest.mark.parametrize(
    "payload",
    ["tel:+1-555-0100", "TEL:+1-555-0100", "SMSTO:+1-555-0100:Hi there", "sms:+1-555-0100?body=x"],
)
def test_tel_and_sms_give_a_card_with_that_phone(payload: str) -> None:
    parsed = parse_payload(payload)
    assert (parsed.kind, fields(parsed)) == ("phone", {"phones": ["+1-555-0100"]})


def test_tel_without_digits_is_refused() -> None:
    with pytest.raises(NotACardError, match="no name or contact details"):
        parse_payload("tel:")


def test_linkedin_profile_link_guesses_the_name_from_a_clean_slug() -> None:
    parsed = parse_payload("https://www.linkedin.com/in/jane-doe-1a2b3c/")
    assert parsed.kind == "url"
    assert parsed.summary == "a LinkedIn profile link"
    # The name is only suggested (the review sheet offers it): a slug is never an identity.
    assert fields(parsed) == {"urls": ["https://www.linkedin.com/in/jane-doe-1a2b3c/"]}
    assert parsed.suggested_name == "Jane Doe"
    assert parsed.named().full_name == "Jane Doe" and parsed.named("Jane D.").full_name == "Jane D."


@pytest.mark.parametrize(
    "url",
    [
        "https://linkedin.com/in/jdoe",
        "https://www.linkedin.com/in/jane-d0e/",
        "https://www.linkedin.com/company/acme",
    ],
)
def test_linkedin_link_without_a_clean_slug_has_no_name(url: str) -> None:
    assert fields(parse_payload(url)) == {"urls": [url]}


def test_a_hosted_card_link_is_a_card_holding_that_url() -> None:
    parsed = parse_payload("https://cards.example.com/u/jane")
    assert (parsed.kind, parsed.summary) == ("url", "a link to cards.example.com")
    assert fields(parsed) == {"urls": ["https://cards.example.com/u/jane"]}


# -------------------------------------------------------------------- plain text


def test_plain_text_yields_name_contacts_and_note() -> None:
    parsed = parse_payload(
        "Jane Doe\nHead of Partnerships\nEmail: jane@example.com\nMobile: +44 20 7946 0958\n"
        "https://jane.example.com\nOffers: intros to investors\nMet at PyCon 2026-05-01"
    )
    assert parsed.kind == "text"
    assert fields(parsed) == {
        "given": "Jane",
        "family": "Doe",
        "emails": ["jane@example.com"],
        "phones": ["+44 20 7946 0958"],
        "urls": ["https://jane.example.com"],
        "offers": "intros to investors",
        "note": "Head of Partnerships\nMet at PyCon 2026-05-01",
    }


def test_labelled_plain_text_fills_company_and_title() -> None:
    parsed = parse_payload("Name: Ana Silva\nCompany: Globex\nTitle: CTO\nTel: 555-123-4567")
    assert fields(parsed) == {
        "given": "Ana",
        "family": "Silva",
        "organization": "Globex",
        "title": "CTO",
        "phones": ["555-123-4567"],
    }


def test_short_numbers_and_dates_are_not_phones() -> None:
    with pytest.raises(NotACardError, match="plain text"):
        parse_payload("Room 12345\nSee you on 2026-05-01")


@pytest.mark.parametrize(
    "text", ["hello world", "Looking for investors", "www.example.com is cool"]
)
def test_text_without_a_person_is_refused(text: str) -> None:
    with pytest.raises(
        NotACardError, match="plain text without a name, an email address or a phone number"
    ) as error:
        parse_payload(text)
    assert error.value.kind == "text"


# ---------------------------------------------------------------------- refusals


def refused(payload: str | bytes) -> NotACardError:
    with pytest.raises(NotACardError) as error:
        parse_payload(payload)
    assert "nothing was saved" in str(error.value)
    return error.value


def test_wifi_is_refused_naming_the_network_but_never_the_password() -> None:
    error = refused("WIFI:T:WPA;S:CafeNet;P:hunter2secret;;")
    assert str(error) == (
        "This code is Wi-Fi login details (network “CafeNet”), not a business card; "
        "nothing was saved."
    )
    assert error.kind == "wifi"


def test_wifi_network_names_are_cleaned_before_being_shown() -> None:
    error = refused("WIFI:S:Evil\u202eteN;T:WPA;P:x;;")
    assert "\u202e" not in str(error) and "EvilteN" in str(error)


@pytest.mark.parametrize(
    "payload",
    ["otpauth://totp/Example:jane@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
     "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"],
)  # fmt: skip
def test_otp_secrets_are_refused_without_echoing_anything(payload: str) -> None:
    error = refused(payload)
    assert error.kind == "otp"
    assert "one-time-password" in str(error)
    assert "JBSWY3DP" not in str(error) and "Example" not in str(error) and "CjEK" not in str(error)


@pytest.mark.parametrize(
    ("payload", "mention"),
    [
        ("bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=0.1", "bitcoin:"),
        ("ethereum:0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359@1?value=1e18", "ethereum:"),
        ("lightning:lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyq", "lightning:"),
        ("litecoin:LQ3B36Yv2rBTxdgAdYpU2UcEZsaNwXeATk", "litecoin:"),
        ("upi://pay?pa=jane@upi&pn=Jane&am=10", "upi:"),
        ("BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross\nBE72000000001616\nEUR1\n", "SEPA"),
        ("SPC\r\n0200\r\n1\r\nCH4431999123000889012\r\n", "Swiss QR-bill"),
        ("SPD*1.0*ACC:CZ2806000000000168540115*AM:450.00*CC:CZK", "Czech"),
        ("00020101021126360014BR.GOV.BCB.PIX0114+55619999999995204000053039865405"
         "10.005802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D", "EMVCo"),
    ],
)  # fmt: skip
def test_payment_requests_are_refused(payload: str, mention: str) -> None:
    error = refused(payload)
    assert error.kind == "payment"
    assert "payment" in str(error) and mention in str(error)


@pytest.mark.parametrize(
    "payload",
    ["BEGIN:VEVENT\nSUMMARY:Team lunch\nDTSTART:20260501T120000Z\nEND:VEVENT",
     "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:Team lunch\nEND:VEVENT\nEND:VCALENDAR"],
)  # fmt: skip
def test_calendar_events_are_refused_with_their_title(payload: str) -> None:
    error = refused(payload)
    assert error.kind == "event"
    assert "calendar event (“Team lunch”)" in str(error)


def test_geo_locations_are_refused() -> None:
    error = refused("geo:52.3731,4.8922?q=Amsterdam")
    assert (error.kind, "map location" in str(error)) == ("location", True)


@pytest.mark.parametrize(
    ("payload", "scheme"),
    [
        ("javascript:alert(document.cookie)", "javascript:"),
        ("JavaScript: alert(1)", "javascript:"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data:"),
        ("file:///etc/passwd", "file:"),
        ("intent://scan/#Intent;scheme=zxing;package=com.google.zxing;end", "intent:"),
        ("ftp://files.example.com/card.vcf", "ftp:"),
        ("market://details?id=com.example", "market:"),
    ],
)  # fmt: skip
def test_links_that_are_not_web_links_are_never_opened(payload: str, scheme: str) -> None:
    error = refused(payload)
    assert error.kind == "link"
    assert f"holds a {scheme} link, which Mutual never opens" in str(error)


@pytest.mark.parametrize("payload", ["", "   \n\t ", "\ufeff", b""])
def test_empty_payloads_are_refused(payload: str | bytes) -> None:
    error = refused(payload)
    assert (error.kind, str(error)) == ("empty", "This code is empty; nothing was saved.")


def test_payloads_over_4096_bytes_are_refused_before_parsing() -> None:
    with pytest.raises(PayloadTooLargeError, match="4,097 bytes.*at most 4,096"):
        parse_payload("BEGIN:VCARD\n" + "x" * (MAX_PAYLOAD_BYTES - 12 + 1))
    with pytest.raises(PayloadTooLargeError):
        parse_payload("é" * 2049)  # 4,098 bytes in UTF-8
    with pytest.raises(PayloadTooLargeError):
        parse_payload(b"\x00" * (MAX_PAYLOAD_BYTES + 1))
    assert parse_payload("mailto:a@b.org" + " " * (MAX_PAYLOAD_BYTES - 14)).kind == "email"


def test_every_field_of_a_scanned_card_is_cleaned() -> None:
    parsed = parse_payload("MECARD:N:Doe\u202e,Jane\u200b\x07;EMAIL:j@x.org;NOTE:a\x1b[2Jb;;")
    assert (parsed.card.family, parsed.card.given, parsed.card.note) == ("Doe", "Jane", "a[2Jb")


def test_a_qr_vcard_round_trips_through_parse_payload() -> None:
    card = Card(given="Zoë", family="Ångström", emails=["zoe@example.com"], phones=["+46 70 1"])
    assert parse_payload(encode_qr_vcard(card)).card == card


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.binary(),
        st.tuples(
            st.sampled_from(
                ["BEGIN:VCARD\n", "MECARD:", "BIZCARD:", "WIFI:", "mailto:", "tel:", "SMSTO:",
                 "MATMSG:", "MEBKM:", "https://", "https://www.linkedin.com/in/", "otpauth://",
                 "bitcoin:", "BCD\n001\n", "geo:", "javascript:", "www.", "BEGIN:VEVENT\n", ""]
            ),
            st.text(),
        ).map("".join),
    )
)  # fmt: skip
def test_parse_payload_never_raises_anything_but_our_errors(payload: str | bytes) -> None:
    try:
        parsed = parse_payload(payload)
    except (NotACardError, PayloadTooLargeError) as error:
        assert str(error).endswith(".")
        return
    assert parsed.kind in {"vcard", "mecard", "bizcard", "url", "email", "phone", "text"}
    assert not parsed.card.is_empty()
