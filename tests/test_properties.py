"""Properties of hostile input, beyond "never raises" (tests/test_payload.py, test_vcard.py and
test_qr_decode.py have those): what a parsed card may contain, which images are refused unread,
and how pathological inputs end (with ``--timing``, within their time bounds). What a link may open is in test_links.py, what a
backup may yield in test_backups.py.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from networking_app.backups import decode_backup
from networking_app.card_fields import clean_card
from networking_app.errors import (
    ImageTooLargeError,
    MutualError,
    NotACardError,
    PayloadTooLargeError,
    UnreadableImageError,
)
from networking_app.links import inspect_url
from networking_app.models import Card
from networking_app.payload import MAX_PAYLOAD_BYTES, parse_payload
from networking_app.qr_decode import MAX_PIXELS, load_grayscale
from networking_app.store import Store
from networking_app.text_safety import clean_text
from networking_app.vcard import encode_qr_vcard, parse_vcards
from tests.support.hostile_strategies import hostile_payloads, hostile_vcards

# Pillow warns about images over 89 MP before Mutual refuses them: expected here.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

NOT_WEB = re.compile(r"\s*(javascript|vbscript|data|file|intent|blob|ftp|mailto|tel)\s*:", re.I)


def shown_safely(text: str) -> bool:
    return text == clean_text(text, multiline=True, max_len=100_000)


# -- what a scanned card may contain ---------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_payloads())
def test_a_scanned_card_holds_only_clean_text_and_web_links(payload: str) -> None:
    try:
        card = parse_payload(payload).card
    except (NotACardError, PayloadTooLargeError) as error:
        assert shown_safely(str(error)) or "\n" not in str(error)
        return
    assert clean_card(card) == card
    for value in (card.full_name, card.display_name, card.title, card.organization, *card.emails, *card.phones):
        assert shown_safely(value) and "\n" not in value
    for url in card.urls:
        assert not NOT_WEB.match(url), url
        info = inspect_url(url)
        assert not info.openable or info.url.lower().startswith(("http://", "https://"))


@settings(max_examples=200, deadline=None)
@given(hostile_payloads())
def test_a_scanned_card_passes_on_unchanged_through_my_own_qr_code(payload: str) -> None:
    """What Mutual read from a stranger, shared again as a QR vCard, reads back as the same card."""
    try:
        card = parse_payload(payload).card
    except MutualError:
        return
    assume(len(encode_qr_vcard(card).encode()) <= MAX_PAYLOAD_BYTES)
    again = parse_payload(encode_qr_vcard(card)).card
    # A name read from FN alone comes back in N (phones build names from N): same name, other field.
    assert (again.full_name, again.display_name) == (card.full_name, card.display_name)
    name_fields = ("given", "family", "formatted")
    assert {k: v for k, v in again.card_fields().items() if k not in name_fields} == \
        {k: v for k, v in card.card_fields().items() if k not in name_fields}


@settings(max_examples=150, deadline=None)
@given(st.lists(hostile_vcards(), min_size=1, max_size=5))
def test_every_card_of_a_hostile_file_is_read_clean(cards: list[str]) -> None:
    for card in parse_vcards("".join(cards).encode("utf-8", "surrogatepass")):
        assert clean_card(card) == card
        assert all(not url.lower().startswith(("javascript", "data", "file", "intent", "vbscript", "blob"))
                   for url in card.urls)


# -- which images are refused unread ------------------------------------------------------------------------------
def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * (1 + min(width, 4096)))) + chunk(b"IEND", b""))


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.tuples(st.integers(1, 2_000), st.integers(1, 2_000)),
                 st.tuples(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1)).filter(lambda s: s[0] * s[1] > MAX_PIXELS)))
def test_an_image_over_the_pixel_limit_is_refused_from_its_header_alone(size: tuple[int, int]) -> None:
    try:
        load_grayscale(png_claiming(*size))
        refused_as_too_large = False
    except ImageTooLargeError:
        refused_as_too_large = True
    except UnreadableImageError:  # one row of pixels for a taller image: truncated
        refused_as_too_large = False
    assert refused_as_too_large == (size[0] * size[1] > MAX_PIXELS)


@pytest.mark.timing
@settings(max_examples=80, deadline=None)
@given(st.tuples(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1)).filter(lambda s: s[0] * s[1] > MAX_PIXELS))
def test_an_image_over_the_pixel_limit_is_refused_within_half_a_second(size: tuple[int, int]) -> None:
    started = time.perf_counter()
    with pytest.raises(ImageTooLargeError):
        load_grayscale(png_claiming(*size))
    assert time.perf_counter() - started < 0.5


# -- the CSV importer: all of a file, or nothing ------------------------------------------------------------------
@pytest.fixture(scope="module")
def import_store() -> Iterator[Store]:
    folder = Path(tempfile.mkdtemp(prefix="mutual-props-"))
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")
        yield store
    shutil.rmtree(folder, ignore_errors=True)


CSV_HEADERS = ["First Name,Last Name,E-mail 1 - Value,Notes\r\n", "Name;E-mail;Phone\n",
               "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n", ""]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CSV_HEADERS), st.one_of(st.binary(max_size=300),
                                               st.text(st.sampled_from(list(',;"\r\n\x00\'=@+ab@.\u202e')), max_size=300)
                                               .map(lambda t: t.encode("utf-8"))))
def test_a_csv_import_takes_all_of_a_file_or_nothing(import_store: Store, header: str, body: bytes) -> None:
    from networking_app import interop

    before = import_store.counts()
    try:
        summary = interop.import_bytes(import_store, header.encode() + body, "contacts.csv", format_name="csv")
    except MutualError as error:
        assert str(error).startswith("Nothing was imported from contacts.csv") and str(error).endswith(".")
        assert import_store.counts() == before
        return
    assert import_store.counts()["contacts"] == before["contacts"] + summary.added
    for contact in import_store.people.all():
        assert clean_card(contact) == Card(**contact.card_fields())


# -- pathological inputs: a result or a sentence, within a time bound (--timing) ---------------------------------
MB = 1 << 20


def _csv_import(data: bytes) -> object:
    from networking_app import interop

    folder = Path(tempfile.mkdtemp(prefix="mutual-slow-"))
    try:
        with Store.open(folder, daily_backup=False) as store:
            return interop.import_bytes(store, data, "contacts.csv", format_name="csv")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PATHOLOGICAL: dict[str, tuple[Callable[[bytes], object], Callable[[], bytes]]] = {
    "vcard: 4 MB single line": (parse_vcards, lambda: b"BEGIN:VCARD\nFN:x\nNOTE:" + b"n" * (4 * MB) + b"\nEND:VCARD\n"),
    "vcard: 4 MB of semicolons without a colon": (parse_vcards, lambda: b"BEGIN:VCARD\nN" + b";" * (4 * MB) + b"\nEND:VCARD\n"),
    "vcard: 4 MB of parameters with an open quote": (parse_vcards, lambda: b"BEGIN:VCARD\nN;X=\"" + b"a;" * (2 * MB) + b"\nEND:VCARD\n"),
    "vcard: 1 MB of folded continuations": (parse_vcards, lambda: b"BEGIN:VCARD\nNOTE:a" + b"\n b" * (MB // 3) + b"\nEND:VCARD\n"),
    "vcard: 200,000 lines of quoted-printable soft breaks": (parse_vcards, lambda: b"BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:=\n" + b"=\n" * 200_000 + b"END:VCARD\n"),
    "vcard: AGENT cards nested 10,000 deep": (parse_vcards, lambda: b"BEGIN:VCARD\n" + b"AGENT:\nBEGIN:VCARD\n" * 10_000 + b"END:VCARD\n" * 10_001),
    "vcard: 10,000 emails": (parse_vcards, lambda: b"BEGIN:VCARD\nFN:x\n" + b"EMAIL:a@b.example\n" * 10_000 + b"END:VCARD\n"),
    "vcard: 10,000 cards with 100-byte emails": (parse_vcards, lambda: (b"BEGIN:VCARD\nFN:x\nEMAIL:" + b"a" * 100 + b"\nEND:VCARD\n") * 10_000),
    "payload: 4,096 bytes of digits and separators": (parse_payload, lambda: (b"1 -(" * 1024)),
    "payload: 4,096 bytes of would-be email": (parse_payload, lambda: (b"a." * 2047 + b"@x")),
    "payload: 4,096 bytes of spaces before a colon": (parse_payload, lambda: b" " * 4000 + b"x: y a@b.example"),
    "payload: 4,096 bytes of MeCard separators": (parse_payload, lambda: b"MECARD:" + b"\\;" * 2040),
    "payload: 4,096 bytes of URL": (parse_payload, lambda: b"https://" + b"a." * 2040),
    "backup: 20 MB of nested arrays": (decode_backup, lambda: b"[" * (10 * MB) + b"]" * (10 * MB)),
    "backup: 20 MB string": (decode_backup, lambda: b'{"format":"' + b"a" * (20 * MB) + b'"}'),
    "csv: 4 MB of quotes": (_csv_import, lambda: b"First Name,E-mail 1 - Value\n" + b'"' * (4 * MB)),
    "csv: 4 MB of delimiters": (_csv_import, lambda: b"First Name,E-mail 1 - Value\n" + b",;\t" * (4 * MB // 3)),
    "csv: 10,000 people imported": (_csv_import, lambda: b"First Name,E-mail 1 - Value\n" + b"".join(b"P%d,p%d@x.example\n" % (i, i) for i in range(10_000))),
    "image: 25 MB of zeros": (load_grayscale, lambda: b"\x89PNG\r\n\x1a\n" + bytes(25 * MB - 8)),
    "clean_text: 4 MB of bidi overrides": (lambda data: clean_text(data.decode()), lambda: "\u202e".encode() * (4 * MB // 3)),
    "links: a 2,048-character host": (lambda data: inspect_url(data.decode()), lambda: b"https://" + b"a." * 1020 + b"com"),
}
SLOW_OK = {"csv: 10,000 people imported": 6.0}  # store writes, not parsing: ~0.17 ms a person (docs/RELIABILITY.md)
FAST = {"vcard: 4 MB of semicolons without a colon": 1.0}  # 0.2 s since the parameters match possessively (1.4 s before)


def end_of(name: str) -> float:
    """Seconds ``name``'s input takes to end in a result or a sentence (anything else fails)."""
    parse, make = PATHOLOGICAL[name]
    data = make()
    started = time.perf_counter()
    try:
        parse(data)
    except MutualError as error:
        assert str(error).strip().endswith((".", ")"))
    return time.perf_counter() - started


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_end_in_a_result_or_a_sentence(name: str) -> None:
    end_of(name)


@pytest.mark.timing
@pytest.mark.slow
def test_pathological_inputs_end_within_their_time_bounds() -> None:
    seconds = {name: end_of(name) for name in PATHOLOGICAL}
    over = {name: f"{s:.2f} s" for name, s in seconds.items() if s >= FAST.get(name, SLOW_OK.get(name, 2.0))}
    assert not over, over


# -- the fuzzers themselves still run -----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris has wheels for Linux only")
def test_every_fuzz_harness_runs_its_seeds_and_a_few_hundred_mutations_without_a_crash(tmp_path: Path) -> None:
    """The harnesses of fuzz/ (run for minutes by fuzz/run.py) must not rot: 300 inputs each here."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, str(root / "fuzz" / "run.py"), "--runs", "300", "--crashes",
                          str(tmp_path / "crashes"), "--json", str(tmp_path / "figures.json")],
                         cwd=root, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["crashes"] == 0 and all(r["inputs_tried"] >= 300 for r in figures["results"]), figures
