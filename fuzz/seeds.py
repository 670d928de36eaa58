"""Seed inputs for each harness, built in memory (no binary files in the repository).

fuzz/run.py writes them into a fresh corpus folder for each run, with the hostile corpus's
files (tests/hostile/cases) and the shared vCard corpus when they are there.
"""

from __future__ import annotations

import io
from pathlib import Path

import common

from networking_app.backups import encode_backup
from networking_app.models import Card
from networking_app.qr_image import qr_png
from networking_app.vcard import encode_qr_vcard, serialize_vcards

ROOT = Path(common.ROOT)
CARD = Card(given="Ana", family="Lima", title="CTO", organization="Lima Labs", emails=["ana@lima.example"],
            phones=["+46 70 123 45 67"], urls=["https://lima.example"], offers="Python mentoring",
            seeking="a co-founder", note="Met at PyCon")

PAYLOADS = [
    encode_qr_vcard(CARD),
    "MECARD:N:Doe,Jo;TEL:+1 555 0100;EMAIL:jo@example.org;URL:http://jo.example;NOTE:Offers: x;;",
    "BIZCARD:N:Jo;X:Doe;T:CTO;C:Acme;B:+1 555 0100;E:jo@example.org;;",
    "WIFI:S:CafeNet;T:WPA;P:hunter2;;",
    "otpauth://totp/Acme:jo?secret=JBSWY3DPEHPK3PXP&issuer=Acme",
    "https://www.linkedin.com/in/jane-doe-1a2b3c",
    "Jane Doe\nCTO at Acme\njane@acme.example\n+44 20 7946 0000\nhttps://acme.example",
    "mailto:jo@example.org?subject=hi",
    "tel:+15550100",
    "BCD\n002\n1\nSCT\nBIC\nName\nDE89370400440532013000\nEUR12.3\n",
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Talk\nEND:VEVENT\nEND:VCALENDAR",
    "javascript:alert(1)",
    "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:D=C3=B6e;J=\n=C3=B6\nEND:VCARD",
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\u202eevil\r\nEMAIL;PREF=1:a@b.example\r\nTEL;VALUE=uri:tel:+1-555;ext=1\r\nEND:VCARD\r\n",
]

VCARDS = [
    serialize_vcards([CARD, Card(given="Jo", emails=["jo@example.org"])]),
    "BEGIN:VCARD\nVERSION:2.1\nN:Agent;Smith\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:Inner\nEND:VCARD\nEND:VCARD\n",
    "BEGIN:VCARD\nVERSION:3.0\nitem1.EMAIL;type=INTERNET;type=pref:x@y.example\nitem1.X-ABLabel:w\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:AAAA\n BBBB\nORG:A;B;C\nEND:VCARD\n",
    "BEGIN:VCARD\nVERSION:4.0\nFN;ALTID=1;LANGUAGE=ja:山田\nFN;ALTID=1;LANGUAGE=en:Yamada\nKIND:org\nEND:VCARD\n",
]

CSVS = [
    "First Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Value,Notes,Labels\r\n"
    "Ana,Lima,Lima Labs,* Work,ana@lima.example ::: a2@lima.example,+46 70,\"Offers: x\nSeeking: y\",* myContacts ::: vip\r\n",
    "Notes:\n\"When exporting...\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Jo,Doe,https://www.linkedin.com/in/jo,jo@example.org,Acme,CTO,25 Nov 2026\n",
    "Name;E-mail;Telefon\nJo Doe;jo@example.org;'=1+1\n",
]

ICS = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Follow up\r\nDTSTART;VALUE=DATE:20261201\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"]


def images() -> list[bytes]:
    from PIL import Image

    png = qr_png("MECARD:N:Doe,Jo;EMAIL:jo@example.org;;", box_size=2)
    found = [png]
    image = Image.open(io.BytesIO(png)).convert("L")
    for fmt in ("JPEG", "WEBP"):
        out = io.BytesIO()
        image.save(out, fmt)
        found.append(out.getvalue())
    tiny = io.BytesIO()
    Image.new("RGBA", (3, 2), (0, 0, 0, 0)).save(tiny, "PNG")
    found.append(tiny.getvalue())
    return found


def backups() -> list[bytes]:
    tables = {"meta": {"1": {"schema": 1, "current_event_id": ""}},
              "contacts": {"1": {"id": "a", "given": "Ana", "emails": ["ana@lima.example"]}}}
    return [encode_backup(tables), encode_backup({"meta": {}})]


def for_target(target: str) -> list[bytes]:
    text = lambda items: [s.encode("utf-8") for s in items]  # noqa: E731
    if target == "payload":
        return text(PAYLOADS) + [b"\x00" + s.encode("utf-8") for s in PAYLOADS[:4]]
    if target in ("vcard", "import_vcf"):
        return text(VCARDS)
    if target == "image":
        return images()
    if target == "backup":
        return backups()
    if target == "import_csv":
        return text(CSVS)
    if target == "import_any":  # the first byte picks the file name the importer is told
        return [bytes([i]) + data for i, group in enumerate((text(VCARDS), text(CSVS), text(ICS), backups()))
                for data in group]
    raise ValueError(target)


DICTIONARY = [
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:", "N:", "ORG:", "TITLE:",
    "EMAIL;TYPE=INTERNET:", "TEL;TYPE=CELL:", "URL:", "NOTE:", "AGENT:", "KIND:org", "ALTID=1", "PREF=1",
    ";ENCODING=QUOTED-PRINTABLE", ";CHARSET=UTF-8", ";CHARSET=zlib", ";ENCODING=b", "=\r\n", "\r\n ", "item1.",
    "X-MUTUAL-OFFERS:", "X-MUTUAL-SEEKING:", "X-SOCIALPROFILE:", "Offers: ", "Seeking: ", "MECARD:", "BIZCARD:",
    "WIFI:S:", "otpauth://", "http://", "https://", "www.", "mailto:", "tel:", "javascript:", "xn--", "\\n", "\\;",
    "\u202e", "\u2066", "\u200d", "\ufeff", "First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value",
    "Labels", "Notes", ":::", "Connected On", "BEGIN:VCALENDAR", "BEGIN:VEVENT", "\"format\":\"mutual-backup\"",
    "\"tables\":", "\"sha256\":", "\"counts\":", "\"schema\":", "IHDR", "IDAT", "IEND", "\x89PNG\r\n\x1a\n", "RIFF",
    "WEBPVP8", "\xff\xd8\xff",
]


def dictionary_text() -> str:
    """libFuzzer's -dict format: one quoted token a line, bytes escaped as \\xNN."""
    lines = []
    for token in DICTIONARY:
        data = token.encode("utf-8") if not token.startswith(("\x89", "\xff")) else token.encode("latin-1")
        lines.append('"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}" for b in data) + '"')
    return "\n".join(lines) + "\n"
