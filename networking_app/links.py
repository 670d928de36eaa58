"""What a link from a stranger's card really points to, and whether it may be opened.

A card can carry ``javascript:``, ``data:``, ``file:`` or ``intent:`` links, or a
look-alike host (``xn--pypal-4ve.com`` shown as "pаypal.com" with a Cyrillic a).
Mutual never opens a link without a tap, only opens http(s), mailto and tel,
and always shows the real host first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

OPENABLE = {"http", "https"}
MAX_URL = 2048
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{3,40}$")
_HOST_PORT = re.compile(r"^(?:localhost|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+):[0-9]{1,5}(?:[/?#]|$)")


@dataclass(frozen=True)
class LinkInfo:
    """A link as Mutual will present it."""

    text: str  # what the card said
    url: str  # what would be opened ("" when it must not be)
    host: str  # the real host, in Unicode and as the DNS name when they differ
    warning: str  # a plain sentence when something is off, else ""

    @property
    def openable(self) -> bool:
        return bool(self.url)


def inspect_url(text: str) -> LinkInfo:
    """Classify a URL from a card: openable http(s) with its real host, or not openable."""
    raw = text.strip()
    if len(raw) > MAX_URL:
        return LinkInfo(raw[:80] + "…", "", "", "This link is too long to be safe to open.")
    scheme_match = _SCHEME.match(raw)
    if scheme_match and _HOST_PORT.match(raw):
        scheme_match = None  # "example.com:8080/x" is a host and a port, not a scheme
    if not scheme_match:
        if raw.startswith("//") or " " in raw or "." not in raw:
            return LinkInfo(raw, "", "", "This is not a web link.")
        raw = "https://" + raw  # "linkedin.com/in/x" as people write it
    scheme = _SCHEME.match(raw).group(1).lower()  # type: ignore[union-attr]
    if scheme not in OPENABLE:
        return LinkInfo(text.strip(), "", "", f"Mutual never opens {scheme}: links like this one.")
    return _inspect_web(text.strip(), raw)


def _inspect_web(text: str, url: str) -> LinkInfo:
    try:
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return LinkInfo(text, "", "", "This link is malformed.")
    if not hostname:
        return LinkInfo(text, "", "", "This link has no host.")
    if parts.username or parts.password:
        return LinkInfo(text, "", hostname, f"This link hides its real host ({hostname}) behind a user name.")
    ascii_host, unicode_host = _host_forms(hostname)
    if ascii_host is None:
        return LinkInfo(text, "", hostname, "This link's host is not a valid domain name.")
    host = unicode_host if unicode_host == ascii_host else f"{unicode_host} ({ascii_host})"
    warning = _lookalike_warning(unicode_host, ascii_host)
    return LinkInfo(text, url, host, warning)


def _host_forms(hostname: str) -> tuple[str | None, str]:
    """The DNS (punycode) and the Unicode spelling of a host."""
    try:
        ascii_host = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return None, hostname
    try:
        unicode_host = ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        unicode_host = hostname
    return ascii_host.lower(), unicode_host.lower()


def _lookalike_warning(unicode_host: str, ascii_host: str) -> str:
    if unicode_host == ascii_host:
        return ""
    scripts = {_script(c) for c in unicode_host if c.isalpha()}
    if len(scripts) > 1:
        return (
            f"This address mixes alphabets ({', '.join(sorted(scripts))}) and may imitate another site: "
            f"its real name is {ascii_host}."
        )
    if scripts != {"Latin"}:
        return f"This address is written in another alphabet; check that you expected {unicode_host}."
    return ""


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ")[0].title() if name else "Unknown"


def mailto(email: str) -> str:
    """A mailto: URL for a plausible address, else ""."""
    address = email.strip()
    return f"mailto:{address}" if _EMAIL.match(address) else ""


def tel(phone: str) -> str:
    """A tel: URL for a plausible phone number, else ""."""
    number = phone.strip()
    if not _PHONE.match(number):
        return ""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def card_problem(name: str, emails: list[str], phones: list[str], urls: list[str], *,
                 require_reach: bool = False) -> str:
    """A sentence about the first value of my own card that others could not use, else "".

    My card goes into other people's phones: its name must exist, its addresses must be
    addresses, and its links must be web links their phones will open. ``require_reach`` (the
    app's card form) also asks for one way to reach me: a QR code of a name alone reaches no one.
    """
    if not name.strip():
        return "Your card needs a name."
    if require_reach and not (emails or phones or urls):
        return "Add at least one way to reach you: an email, a phone number or a link."
    for email in emails:
        if not _EMAIL.match(email):
            return f"“{email}” is not an email address (it needs an @, like name@example.org)."
    for phone in phones:
        if not _PHONE.match(phone) or not any(ch.isdigit() for ch in phone):
            return f"“{phone}” is not a phone number (digits, spaces and + ( ) - only)."
    for url in urls:
        info = inspect_url(url)
        if not info.openable:
            return f"“{url}” cannot be a link on your card: {info.warning[:1].lower()}{info.warning[1:]}"
    return ""
