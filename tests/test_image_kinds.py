"""What an image file is, told by its content: read (PNG, JPEG, WebP) or refused by name, whatever it is called."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from networking_app.cli import run
from networking_app.errors import UnreadableImageError
from networking_app.image_kinds import image_kind, is_readable
from networking_app.scanning import read_image
from networking_app.store import Store

SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
       b'<text x="0" y="20">Jane Doe jane@example.org +1 555 0100</text></svg>\n')


def pillow(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "kind"), [
    ("PNG", "PNG"), ("JPEG", "JPEG"), ("WEBP", "WebP"), ("GIF", "GIF"), ("BMP", "BMP image"), ("TIFF", "TIFF image"),
    ("ICO", "icon (ICO)"), ("PDF", "PDF document"),
])
def test_images_are_told_by_their_first_bytes(fmt: str, kind: str) -> None:
    assert image_kind(pillow(fmt)[:512]) == kind
    assert is_readable(kind) == (fmt in ("PNG", "JPEG", "WEBP"))


@pytest.mark.parametrize("head", [
    SVG, b"\xef\xbb\xbf<svg viewBox='0 0 1 1'/>", b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">\n<SVG>',
])
def test_an_svg_is_told_with_or_without_its_xml_declaration(head: bytes) -> None:
    assert image_kind(head) == "SVG drawing"


@pytest.mark.parametrize(("head", "kind"), [
    (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "HEIC photo"),
    (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1", "AVIF image"),
    (b"BMW Group\nJane Doe\njane@bmw.example\n", None),  # text starting like a BMP is text
    (b"<?xml version='1.0'?><note>not a drawing</note>", None),
    (b"BEGIN:VCARD\r\nFN:Jane\r\nEND:VCARD\r\n", None),
])
def test_phone_photos_are_named_and_text_is_not_an_image(head: bytes, kind: str | None) -> None:
    assert image_kind(head) == kind


def scan(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, list[str]]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--data-dir", str(tmp_path / "data"), "scan", str(path)], out, err)
    with Store.open(tmp_path / "data", daily_backup=False) as store:
        saved = [c.full_name for c in store.people.all()]
    return code, err.getvalue().strip(), saved


@pytest.mark.parametrize(("data", "sentence"), [
    (pillow("TIFF"), "This file is a TIFF image, not an image Mutual can read: save it as PNG, JPEG or WebP."),
    (SVG, "This file is an SVG drawing, not an image Mutual can read: save it as PNG, JPEG or WebP."),
    (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(70_000),
     "This file is a HEIC photo, not an image Mutual can read: save it as PNG, JPEG or WebP."),
], ids=["tiff", "svg", "heic"])
def test_scan_refuses_an_image_it_cannot_read_by_name_even_renamed_png(
        tmp_path: Path, data: bytes, sentence: str) -> None:
    code, err, saved = scan(tmp_path, "card.png", data)
    assert code == 1
    assert err == f"{tmp_path / 'card.png'}: {sentence}"
    assert "import" not in err and saved == []


def test_the_apps_scanner_names_an_svg_too() -> None:
    with pytest.raises(UnreadableImageError, match="^This file is an SVG drawing, not an image Mutual can read"):
        read_image(SVG)


def test_a_card_in_plain_text_named_png_is_still_read_by_its_content(tmp_path: Path) -> None:
    code, _, saved = scan(tmp_path, "card.png", b"Jane Doe\njane@example.org\n")
    assert code == 0 and saved == ["Jane Doe"]
