"""Bytes from outside as text: one rule for vCard, CSV, detection, payloads and the CLI.

The last four tests are cases where the three sniffers that came before disagreed
(vcard.py looked at the first two bytes, csv_format.py at a 400-byte sample with no
NUL allowed at the other parity, detect.py used CSV's): each shows the reading kept.
"""

from __future__ import annotations

import pytest

from networking_app.errors import ImportFormatError
from networking_app.interop import detect
from networking_app.interop.csv_format import parse_csv
from networking_app.payload import parse_payload
from networking_app.text_decoding import decode, decode_text, decode_text_strict, stated_encoding
from networking_app.vcard import parse_vcards

TEXT = "First Name,Email\r\nZoë,zoe@x.example\r\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_byte_order_mark_names_the_encoding_and_is_not_part_of_the_text(encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    assert decode_text(data) == decode_text_strict(data) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_told_by_its_nul_bytes(encoding: str) -> None:
    assert decode(TEXT.encode(encoding)) == (TEXT, encoding)


def test_a_stray_nul_or_binary_data_is_not_taken_for_utf16() -> None:
    stray = b"First Name,Email\nAna,a@x.example\nB\x00b,b@x.example\n"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    utf32 = TEXT.encode("utf-32-le")  # NULs at both parities
    assert [stated_encoding(data) for data in (stray, png, utf32, b"A\x00", b"")] == [None] * 5
    assert decode(stray) == (stray.decode(), "utf-8")


def test_bytes_that_are_not_utf8_are_windows_1252_unless_a_reader_says_otherwise() -> None:
    data = "Seán O’Brien paid 5 €".encode("cp1252")
    assert decode(data) == ("Seán O’Brien paid 5 €", "cp1252")
    assert decode(data, fallback="latin-1").encoding == "latin-1"
    assert decode_text(b"caf\xc3") == "caf\u00c3"  # cut inside a UTF-8 sequence: never raises


def test_strict_decoding_names_the_first_line_that_is_not_text() -> None:
    broken = "line one\nline two\n".encode("utf-16-le") + b"\x00\xd8" + "c\n".encode("utf-16-le")  # lone surrogate
    with pytest.raises(ImportFormatError, match=r"^Line 3 is not UTF-16-LE text\.$") as raised:
        decode_text_strict(broken)
    assert raised.value.line == 3
    with pytest.raises(ImportFormatError, match="^Line 2 is not UTF-8 text although the lines before it are"):
        decode_text_strict("Zoë\n".encode() + b"Jos\xe9\n")
    assert decode_text_strict(b"Jos\xe9\n") == "José\n"


# ------------------------------------------------------------- where the sniffers disagreed


def test_a_utf16_payload_without_bom_that_starts_with_a_cjk_name_is_read() -> None:
    """vcard.py's two-byte sniff saw no NUL beside 山 and read these bytes as UTF-8."""
    data = "山田 太郎\nyamada@example.jp\n+81 3 1234 5678\n".encode("utf-16-le")
    card = parse_payload(data).card
    assert (card.given, card.family, card.emails) == ("山田", "太郎", ["yamada@example.jp"])


def test_a_utf16_csv_without_bom_holding_an_ideographic_space_is_read() -> None:
    """csv_format.py wanted no NUL at all at the other parity; U+3000 puts one there,
    so the file was refused as binary data (vcard.py's two-byte sniff read it)."""
    data = "First Name,Last Name,Email\r\n花子\u3000(Hana),山田,hana@x.example\r\n".encode("utf-16-le")
    [card] = parse_csv(data, "excel.csv")
    assert (card.given, card.family, card.emails) == ("花子\u3000(Hana)", "山田", ["hana@x.example"])


def test_a_utf16_vcard_without_bom_whose_start_is_mostly_cjk_is_told_by_its_content() -> None:
    """detect.py (CSV's sniff) needed a NUL in a quarter of the first 400 bytes; a long
    Japanese note leaves fewer, so a file without an extension could not be told."""
    note = "今日は東京で会いました。" * 20
    text = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田太郎\r\nNOTE:{note}\r\nEND:VCARD\r\n"
    data = text.encode("utf-16-le")
    assert detect(data, "contact").name == "vcf"
    [card] = parse_vcards(data)
    assert (card.full_name, card.note) == ("山田太郎", note)


def test_a_vcard_value_in_its_own_encoding_is_decoded_by_the_same_rule() -> None:
    """A 2.1 quoted-printable value holding UTF-16 with its BOM and no CHARSET was read
    as UTF-8, else cp1252 ("ÿþHana"); it now goes through the one decoder."""
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=FF=FEH=00a=00n=00a=00\r\nEND:VCARD\r\n"
    [card] = parse_vcards(data)
    assert card.full_name == "Hana"
