"""Offers and seeking as people write them: every phrasing, six languages, NOTE lines and X- properties;
what Mutual writes on its own card and that older forms read back; and the other "nothing lost,
no junk kept" rules of reading a card (unfolding, addresses, placeholders, links, plain text)."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from networking_app.card_fields import note_with_offers_seeking, split_offers_seeking
from networking_app.errors import NotACardError
from networking_app.models import Card
from networking_app.offers_seeking import label_of, x_property_kind
from networking_app.payload import parse_payload
from networking_app.vcard import encode_qr_vcard, fit_card_for_qr, parse_vcards, serialize_vcard
from tests.test_cli import Cli


def vcard(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VCARD\r\n"


# -- every English phrasing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("line, kind, value", [
    ("Can help with: payments APIs", "offers", "payments APIs"),
    ("I can help with payments APIs", "offers", "payments APIs"),
    ("Happy to help with: hiring your first engineer", "offers", "hiring your first engineer"),
    ("Offering: design reviews", "offers", "design reviews"),
    ("Offers: design reviews", "offers", "design reviews"),
    ("Ask me about Rust and embedded", "offers", "Rust and embedded"),
    ("Looking for: UX researchers in Berlin", "seeking", "UX researchers in Berlin"),
    ("I'm looking for a technical co-founder", "seeking", "a technical co-founder"),
    ("I’m looking for a technical co-founder", "seeking", "a technical co-founder"),  # a typographic apostrophe
    ("Seeking: seed investors", "seeking", "seed investors"),
    ("Needs: a lawyer who knows GDPR", "seeking", "a lawyer who knows GDPR"),
    ("I need beta testers", "seeking", "beta testers"),
    ("LOOKING FOR — pilot customers", "seeking", "pilot customers"),
    ("• Looking for pilot customers", "seeking", "pilot customers"),
    ("🤝 Can help with intros to VCs", "offers", "intros to VCs"),
    ("👉 looking for: a mentor", "seeking", "a mentor"),
    ("- I can help with: Python", "offers", "Python"),
    ("1. Looking for a flat", "seeking", "a flat"),
])
def test_english_phrasings_with_bullets_emoji_and_a_leading_i(line: str, kind: str, value: str) -> None:
    assert label_of(line) == (kind, value)


@pytest.mark.parametrize("line", [
    "Looking forward to the next meetup", "Needs a follow-up call on Tuesday", "Offer expires Friday",
    "Seeking-alpha subscriber", "Met at PyCon", "Ich habe ihn auf der Messe getroffen",
])
def test_ordinary_note_lines_stay_note(line: str) -> None:
    assert label_of(line) is None
    assert split_offers_seeking(line) == ("", "", line)


# -- cards as people write them, language by language ------------------------------------------------------------
NATURAL_CARDS = {
    "German": (
        vcard("N:Schneider;Katrin;;;", "ORG:Solarwerk GmbH",
              "NOTE:Biete: Workshops zu Photovoltaik und Förderanträgen\\nSuche Mitgründer:in mit "
              "Vertriebserfahrung\\nTreffen gern auf einen Kaffee in Leipzig"),
        "Workshops zu Photovoltaik und Förderanträgen", "Mitgründer:in mit Vertriebserfahrung",
        "Treffen gern auf einen Kaffee in Leipzig",
    ),
    "German, spelled out": (
        vcard("FN:Jörg Bäcker", "NOTE:Ich kann helfen bei: Steuerfragen für Freiberufler\\n"
              "Ich bin auf der Suche nach einem Büro in Köln"),
        "Steuerfragen für Freiberufler", "einem Büro in Köln", "",
    ),
    "French": (
        vcard("FN:Élodie Martin", "NOTE:Je propose : du mentorat en design produit\\n"
              "Je cherche un associé technique pour une appli de covoiturage\\nRencontrée à VivaTech"),
        "du mentorat en design produit", "un associé technique pour une appli de covoiturage",
        "Rencontrée à VivaTech",
    ),
    "French, need": (
        vcard("FN:Hugo Bernard", "NOTE:J'ai besoin d'un avocat spécialisé en droit du travail\\n"
              "Je peux vous aider avec la levée de fonds"),
        "la levée de fonds", "un avocat spécialisé en droit du travail", "",
    ),
    "Spanish": (
        vcard("FN:Lucía Fernández", "ORG:Pagos Rápidos SL",
              "NOTE:Ofrezco: asesoría en pagos y fintech\\nBusco cofundador técnico (backend)\\n¡Hablemos!"),
        "asesoría en pagos y fintech", "cofundador técnico (backend)", "¡Hablemos!",
    ),
    "Spanish, long form": (
        vcard("FN:Andrés Gómez", "NOTE:▪️ Puedo ayudar con contratación de ingenieros\\n"
              "▪️ Estoy buscando inversión semilla"),
        "contratación de ingenieros", "inversión semilla", "",
    ),
    "Portuguese": (
        vcard("FN:João Silva", "NOTE:Ofereço: mentoria em vendas B2B\\nProcuro investidores-anjo em Lisboa"),
        "mentoria em vendas B2B", "investidores-anjo em Lisboa", "",
    ),
    "Brazilian Portuguese": (
        vcard("FN:Ana Souza", "NOTE:Posso ajudar com UX writing\\nEstou procurando estágio em produto\\n"
              "Conheci no RD Summit"),
        "UX writing", "estágio em produto", "Conheci no RD Summit",
    ),
    "Italian": (
        vcard("FN:Giulia Rossi", "NOTE:Offro consulenza su e-commerce\\nCerco un socio con esperienza in logistica"),
        "consulenza su e-commerce", "un socio con esperienza in logistica", "",
    ),
    "Italian, need": (
        vcard("FN:Marco Bianchi", "NOTE:Sono alla ricerca di un designer\\nPosso aiutare con i bandi europei"),
        "i bandi europei", "un designer", "",
    ),
    "English, one line": (
        vcard("FN:Sam Lee", "NOTE:Can help with payments APIs. Looking for UX researchers in Berlin."),
        "payments APIs.", "UX researchers in Berlin.", "",
    ),
    "English, a heading and bullets": (
        vcard("FN:Priya Nair", "NOTE:Looking for:\\n- a CTO\\n- pilot customers in retail\\n\\nLoves chess"),
        "", "a CTO; pilot customers in retail", "Loves chess",
    ),
}


@pytest.mark.parametrize("name", sorted(NATURAL_CARDS))
def test_a_card_written_the_way_its_people_write_gives_offers_seeking_and_the_rest_of_note(name: str) -> None:
    text, offers, seeking, note = NATURAL_CARDS[name]
    [card] = parse_vcards(text)
    assert (card.offers, card.seeking, card.note) == (offers, seeking, note)


@pytest.mark.parametrize("property_line, kind", [
    ("X-LOOKING-FOR:a CTO", "seeking"), ("X-CAN-HELP-WITH:a CTO", "offers"), ("X-SEEKING:a CTO", "seeking"),
    ("X-SUCHE:a CTO", "seeking"), ("X-BIETE:a CTO", "offers"), ("X-ACME-OFFERS:a CTO", "offers"),
])
def test_x_properties_other_apps_write_are_read(property_line: str, kind: str) -> None:
    [card] = parse_vcards(vcard("FN:A", property_line, "NOTE:Met at PyCon"))
    assert getattr(card, kind) == "a CTO" and card.note == "Met at PyCon"
    assert x_property_kind("X-ABLABEL") is None and x_property_kind("X-SOCIALPROFILE") is None


def test_a_card_with_both_x_mutual_and_a_note_line_keeps_the_x_value() -> None:
    [card] = parse_vcards(vcard("FN:A", "X-MUTUAL-SEEKING:exact", "NOTE:Looking for: edited by another app"))
    assert (card.seeking, card.note) == ("exact", "")


# -- what Mutual writes, and older forms read back --------------------------------------------------------------
def test_mutual_writes_can_help_with_and_looking_for_which_a_stock_parser_reads_naturally() -> None:
    card = Card(given="Ana", family="Lima", emails=["ana@lima.example"], offers="Python mentoring",
                seeking="a co-founder", note="Say hi")
    payload = fit_card_for_qr(card).text
    assert len(payload.encode()) <= 287
    assert vobject.readOne(payload).note.value == "Can help with: Python mentoring\nLooking for: a co-founder\nSay hi"
    assert parse_payload(payload).card == card
    assert parse_vcards(serialize_vcard(card)) == [card]


@pytest.mark.parametrize("older", [
    "Offers: Python mentoring\\nSeeking: a co-founder",  # Mutual before December 2026
    "Can help with: Python mentoring\\nLooking for: a co-founder",
])
def test_every_older_form_reads_back(older: str) -> None:
    [card] = parse_vcards(vcard("FN:Ana Lima", f"NOTE:{older}"))
    assert (card.offers, card.seeking, card.note) == ("Python mentoring", "a co-founder", "")
    [exact] = parse_vcards(vcard("FN:Ana Lima", "X-MUTUAL-OFFERS:Python mentoring", "X-MUTUAL-SEEKING:",
                                 "NOTE:Seeking: a line of the card's own"))
    assert (exact.offers, exact.seeking, exact.note) == ("Python mentoring", "", "Seeking: a line of the card's own")


def test_the_written_note_round_trips() -> None:
    card = Card(offers="intros", seeking="a mentor", note="Met at PyCon")
    assert split_offers_seeking(note_with_offers_seeking(card)) == ("intros", "a mentor", "Met at PyCon")
    assert "NOTE:Can help with: intros\\nLooking for: a mentor\\nMet at PyCon" in encode_qr_vcard(card)


# -- intros find people from natural phrasings ------------------------------------------------------------------
def test_intros_pair_people_whose_cards_use_natural_phrasings(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data")
    for text in (
        vcard("FN:Katrin Schneider", "EMAIL:katrin@solarwerk.example", "NOTE:Suche: payments APIs consultant"),
        vcard("FN:Sam Lee", "EMAIL:sam@pay.example", "NOTE:🤝 I can help with payments APIs and fraud"),
        vcard("FN:Giulia Rossi", "EMAIL:giulia@shop.example", "NOTE:Cerco: a logistics partner"),
    ):
        assert cli("scan", "-", stdin=text)[0] == 0
    [suggestion, *_] = cli.json("intros")  # type: ignore[misc]
    assert (suggestion["seeker"], suggestion["helper"]) == ("Katrin Schneider", "Sam Lee")
    assert "payments" in suggestion["reasons"]


# -- nothing lost, no junk kept ---------------------------------------------------------------------------------
@pytest.mark.parametrize("folded", [
    "EMAIL;TYPE=INTERNET\r\n ,PREF:a@b.example",  # inside the parameters
    "EMAIL;TYPE=INTERNET\r\n\t,PREF:a@b.example",  # a TAB continuation
    "EM\r\n AIL:a@b.example",  # inside the name
])
def test_a_line_folded_anywhere_keeps_its_property(folded: str) -> None:
    [card] = parse_vcards(vcard("FN:A", folded, "TEL;TYPE=VOICE,M\r\n SG,WORK:+65 6123 4567"))
    assert card.emails == ["a@b.example"] and card.phones == ["+65 6123 4567"]


def test_a_fold_inside_a_utf8_sequence_is_unfolded_before_decoding() -> None:
    data = vcard("FN:Zoë Ångström", "NOTE:Looking for: Müller").encode()
    cut = data.index("ë".encode()) + 1  # between the two bytes of "ë"
    [card] = parse_vcards(data[:cut] + b"\r\n " + data[cut:])
    assert card.full_name == "Zoë Ångström" and card.seeking == "Müller"


def test_line_numbers_still_count_folded_lines() -> None:
    from networking_app.errors import ImportFormatError

    text = vcard("FN:A", "NOTE:a\r\n  long\r\n  note") + "BEGIN:VCARD\r\nFN:B\r\n"
    with pytest.raises(ImportFormatError, match="starts at line 8"):
        parse_vcards(text)


def test_an_email_is_an_address_only_and_its_display_name_names_a_card_without_one() -> None:
    [card] = parse_vcards(vcard('EMAIL:"Omega" <omega@example.com>', "EMAIL:see website", "EMAIL;INTERNET:null",
                                "EMAIL:x@x"))
    assert (card.full_name, card.emails) == ("Omega", ["omega@example.com"])
    [named] = parse_vcards(vcard("FN:Omega Team", 'EMAIL:"Omega" <omega@example.com>'))
    assert named.full_name == "Omega Team"


@pytest.mark.parametrize("placeholder", ["null", "NULL", "none", "n/a", "-", "x@x", "N/A"])
def test_placeholders_are_dropped(placeholder: str) -> None:
    [card] = parse_vcards(vcard("FN:Ana", f"EMAIL:{placeholder}", f"TEL:{placeholder}", f"TITLE:{placeholder}"))
    assert (card.emails, card.phones) == ([], [])
    assert card.title == ("" if placeholder.lower() in ("null", "none", "n/a", "-") else placeholder)


def test_links_without_a_scheme_get_https_under_the_link_rules() -> None:
    assert parse_payload("www.example.org/path").card.urls == ["https://www.example.org/path"]
    assert parse_payload("MECARD:N:Doe,J;URL:example.com;;").card.urls == ["https://example.com"]
    [card] = parse_vcards(vcard("FN:A", "URL:example.com/me", "URL:javascript:alert(1)", "URL:not a link"))
    assert card.urls == ["https://example.com/me"]


@pytest.mark.parametrize("text", [
    "N023X-3431800-V034PG03X-7781",  # a serial number: digit runs cut out of a token
    "(01)09504000059101(17)250101(10)ABC123",  # a GS1 product code
    "01234567",  # a bare digit string
    "V1.3.2 build 20261125 rev 4471",
])
def test_codes_that_are_not_cards_are_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(NotACardError, match="plain text without a name, an email address or a phone number"):
        parse_payload(text)


@pytest.mark.parametrize("text, name, phones", [
    ("Tom from the bar, 0171 234567", "Tom", ["0171 234567"]),
    ("Dan Burzynski <dan@example.org>", "Dan Burzynski", []),
    ("tel:01234567", "", ["01234567"]),  # written as a phone: a tel: URI
    ("call me: +4930123456", "", ["+4930123456"]),  # a + country code
    ("Mobile: 01711234567", "", ["01711234567"]),  # labelled
    ("Jane Doe", "Jane Doe", []),  # a name alone
])
def test_plain_text_becomes_a_contact_with_a_name_or_a_whole_email_or_phone(text: str, name: str,
                                                                           phones: list[str]) -> None:
    card = parse_payload(text).card
    assert (card.full_name, card.phones) == (name, phones)
