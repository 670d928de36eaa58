"""Make text from a stranger's card safe to show.

A scanned card is written by someone we do not know. A name holding U+202E
(RIGHT-TO-LEFT OVERRIDE) would reorder the rest of the line in the UI, zero-width
and other invisible characters make two different names look the same, and
control characters can break terminals, CSV files and logs. Every field that
comes from outside goes through :func:`clean_text` before it is stored or shown.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"

# Characters removed everywhere: C0 controls (tab and line breaks are handled
# before), DEL and C1 controls, every Unicode "format" (Cf) character of Unicode
# 14 (soft hyphen, bidi embeddings/overrides/isolates and marks, zero-width space,
# word joiner, BOM, interlinear annotation, invisible tag characters), the
# combining grapheme joiner, the Hangul fillers (blank "letters" used to fake
# empty names), lone surrogates (they cannot be written as UTF-8) and the
# noncharacters U+FFFE/U+FFFF.  ZWNJ/ZWJ (U+200C/U+200D) are left for _JOINERS.
_REMOVE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ud800-\udfff\ufeff\ufff9-\ufffb\uffa0\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "]+"
)

# Joiners are needed inside emoji sequences and in Indic, Arabic and Persian
# words, all of which are non-ASCII. The clean rule: one joiner survives only
# between two non-ASCII, non-space characters; runs of joiners, and joiners next
# to ASCII (which could only disguise a Latin name as another) are removed.
_JOINERS = re.compile(
    "[\u200c\u200d]{2,}|(?<![^\x00-\x7f\\s])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f\\s])"
)

_FILLERS = re.compile("[\u034f\u115f\u1160\u3164\uffa0]")
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def clean_text(value: str, *, multiline: bool = False, max_len: int = 1000) -> str:
    """Return ``value`` without control, bidi and invisible format characters.

    Tabs become spaces; line breaks become ``\\n`` when ``multiline`` and a space
    otherwise. The result is NFC, stripped, and at most ``max_len`` characters
    (cut at a code point that starts a character, ending in "…" when cut).
    Cleaning is idempotent: ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    if not value or max_len < 1:
        return ""
    if len(value) > 4 * max_len + 64:  # bound the work on hostile input
        value = value[: 4 * max_len + 64]
    if not _already_clean(value):
        value = _clean_characters(value, multiline)
    value = value.strip()
    return value if len(value) <= max_len else _cut(value, max_len)


def _already_clean(value: str) -> bool:
    """Fast check: printable excludes controls, format characters, surrogates and
    line breaks; only the fillers and the normal form remain to be looked at."""
    if value.isascii():
        return value.isprintable()
    return (
        value.isprintable()
        and not _FILLERS.search(value)
        and unicodedata.is_normalized("NFC", value)
    )


def _clean_characters(value: str, multiline: bool) -> str:
    value = _NEWLINES.sub("\n", value).replace("\t", " ")
    if not multiline:
        value = value.replace("\n", " ")
    value = _REMOVE.sub("", value)
    if value.isascii():
        return value
    value = unicodedata.normalize("NFC", value)
    without_joiners = _JOINERS.sub("", value)
    if without_joiners != value:  # a removed joiner may let two characters compose
        value = _JOINERS.sub("", unicodedata.normalize("NFC", without_joiners))
    return value


def _cut(value: str, max_len: int) -> str:
    """Cut to ``max_len`` characters including the "…", never inside a character."""
    end = max_len - 1
    # Do not leave a base letter without its combining accents.
    while end > 0 and unicodedata.combining(value[end]):
        end -= 1
    head = value[:end].rstrip().rstrip("\u200c\u200d").rstrip()
    return head + ELLIPSIS


def has_control_characters(value: str) -> bool:
    """Whether ``value`` holds a line break, a tab, a control or an invisible format character:
    for what a person typed where one line of visible text belongs (a tag), to refuse rather than clean."""
    return bool(_REMOVE.search(value) or _NEWLINES.search(value) or "\n" in value or "\t" in value)
