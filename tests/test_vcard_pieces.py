"""A vCard file read in pieces gives exactly what it gives read whole, and holds one piece at a time."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_app.errors import ImportFormatError
from networking_app.models import Card
from networking_app.vcard import iter_vcards, serialize_vcard
from networking_app.vcard import reader as vcard_reader
from tests.support.vcard_corpus import CORPUS

WHOLE = 1 << 62


def outcome(data: str | bytes, piece_chars: int) -> tuple[list[tuple[int, Card]], str | None]:
    """The cards (with their lines) and the refusal, if any, with pieces of ``piece_chars``."""
    saved = vcard_reader.PIECE_CHARS
    vcard_reader.PIECE_CHARS = piece_chars
    cards: list[tuple[int, Card]] = []
    try:
        for found in iter_vcards(data):
            cards.append(found)
    except ImportFormatError as error:
        return cards, str(error)
    finally:
        vcard_reader.PIECE_CHARS = saved
    return cards, None


def pieces(data: str | bytes) -> int:
    saved = vcard_reader.PIECE_CHARS
    vcard_reader.PIECE_CHARS = 1
    try:
        return sum(1 for _ in vcard_reader._pieces(data))
    finally:
        vcard_reader.PIECE_CHARS = saved


def corpus_files() -> Iterator[bytes]:
    for path in sorted(CORPUS.rglob("*.vcf")):
        yield path.read_bytes()


def test_every_corpus_file_and_all_of_them_at_once_read_alike_in_pieces_and_whole() -> None:
    everything = b"\r\n".join(data.rstrip(b"\r\n") for data in corpus_files()) + b"\r\n"
    assert pieces(everything) > 20  # cut between most of its cards
    for data in [*corpus_files(), everything]:
        assert outcome(data, 1) == outcome(data, WHOLE)


FRAGMENTS = st.sampled_from(
    [
        "BEGIN:VCARD", "END:VCARD", "END:VCARD", "BEGIN:VCARD", "VERSION:2.1", "AGENT:", " folded", "\tfolded",
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=", "NOTE;QUOTED-PRINTABLE:line=", "=C3", "=",
        "FN:Ana Lima", "FN:王芳", "FN:ليلى", "N:Παπαδόπουλος;Γιώργος", "EMAIL:a@b.example", "TEL:+1 555",
        "FN;CHARSET=windows-1252:Zo\xeb", "", "begin:vcard", "end:vcard", " BEGIN:VCARD", "END:VCARD ",
    ]
)  # fmt: skip
LINE_ENDS = st.sampled_from(["\r\n", "\n", "\r\r\n"])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40), LINE_ENDS, st.sampled_from(["utf-8", "latin-1", "utf-16", "text"]))
def test_any_file_reads_alike_in_pieces_and_whole(lines: list[str], end: str, encoding: str) -> None:
    text = end.join(lines)
    data: str | bytes = text if encoding == "text" else text.encode(encoding, "replace")
    assert outcome(data, 1) == outcome(data, WHOLE)


def test_a_utf8_file_with_a_fold_inside_a_character_reads_alike_in_pieces() -> None:
    card = serialize_vcard(Card(given="芳", family="王", note="会" * 200)).encode()
    broken = card.replace(b"\xe4\xbc\x9a\xe4", b"\xe4\xbc\x9a\xe4\r\n ", 1)  # a fold inside U+4F1A's bytes
    data = broken + card * 3
    assert pieces(data) == 4
    cards, refusal = outcome(data, 1)
    assert refusal is None and [c.full_name for _, c in cards] == ["王芳"] * 4
    assert (cards, refusal) == outcome(data, WHOLE)


def test_line_numbers_and_refusals_count_the_lines_of_earlier_pieces() -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nNOTE:a long\r\n  folded note\r\nEND:VCARD\r\n"
    data = (card * 3 + "BEGIN:VCARD\r\nFN:Cut off\r\n").encode()
    cards, refusal = outcome(data, 1)
    assert [line for line, _ in cards] == [1, 7, 13]
    assert refusal == "The vCard that starts at line 19 has no END:VCARD; the file looks cut off there."


@pytest.mark.slow
def test_reading_a_large_file_holds_one_piece_not_the_file_decoded() -> None:
    one = serialize_vcard(Card(given="Zoë", family="Lima", emails=["zoe@lima.example"], note="Notes " * 40))
    data = (one * (4_000_000 // len(one))).encode()
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_vcards(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 4_000_000 // len(one)
    assert peak < len(data) // 2, f"{peak / 1e6:.1f} MB held to read a {len(data) / 1e6:.1f} MB file"
