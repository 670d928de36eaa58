"""What a file is, told by its content; its extension only breaks a tie.

A vCard starts with BEGIN:VCARD, a calendar with BEGIN:VCALENDAR, a Mutual backup
is a JSON object naming ``"format": "mutual-backup"``, a contacts CSV has a header
row naming a name or email column (LinkedIn's "Notes:" lines before it are skipped).
Only the first 64 KB are looked at.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from ..errors import ImportFormatError
from ..text_decoding import decode_text
from ..vcard import count_vcards
from .csv_format import find_header

HEAD_BYTES = 64 * 1024
_BACKUP = re.compile(r'"format"\s*:\s*"mutual-backup"')
_CALENDAR_LINE = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCALENDAR[ \t]*\r?$", re.I | re.M)


def head_text(data: bytes) -> str:
    """The start of a file as text, for looking at (not for importing): never raises."""
    return decode_text(data[:HEAD_BYTES])


def detect(data: bytes, filename: str = "", extensions: dict[str, tuple[str, ...]] | None = None) -> str:
    """The name of the format of ``data`` ("vcf", "csv", "ics", "json"), or a refusal.

    ``extensions`` maps format names to their extensions (the registry's), for the tie-break.
    """
    source = PurePath(filename).name or "this file"
    text = head_text(data)
    start = text.lstrip("\ufeff \t\r\n")
    if not start:
        raise ImportFormatError(f"Nothing was imported from {source}: it is empty.", line=1)
    first = start.split("\n", 1)[0]
    if count_vcards(first):
        return "vcf"
    if _CALENDAR_LINE.match(first):
        return "ics"
    if start[0] in "{[" and (_BACKUP.search(text) or start[0] == "{"):
        return "json"
    if find_header(text) is not None:
        return "csv"
    if count_vcards(text):  # a vCard file with something before its first card
        return "vcf"
    if _CALENDAR_LINE.search(text):
        return "ics"
    suffix = PurePath(filename).suffix.lower()
    for name, known in (extensions or {}).items():
        if suffix and suffix in known:
            return name  # that format's own reader says what is wrong, with the line
    raise ImportFormatError(
        f"Nothing was imported from {source}: Mutual cannot tell what it holds; it reads vCard "
        "files (.vcf), contacts CSV files from Google or LinkedIn (.csv) and Mutual backups (.json)."
    )
