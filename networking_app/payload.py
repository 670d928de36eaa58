"""Decide what a scanned QR code or pasted text is, and read a card out of it.

A QR code can hold anything: a vCard, a MeCard, a link, or a Wi-Fi password, a
2FA secret or a payment request. Mutual only ever saves business cards; every
other kind is refused with a sentence saying what the code is (never echoing
secrets), and links with schemes other than http(s) are never opened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .card_fields import clean_card, email_display_name, email_value, split_offers_seeking, web_address
from .errors import ImportFormatError, NotACardError, PayloadTooLargeError
from .models import Card
from .text_decoding import decode_text, with_lf_line_ends
from .text_safety import clean_text
from .vcard import iter_vcards

MAX_PAYLOAD_BYTES = 4096
KINDS = frozenset({"vcard", "mecard", "bizcard", "url", "email", "phone", "text"})

NOTHING_SAVED = "nothing was saved"


@dataclass(frozen=True)
class ParsedPayload:
    """A card read from a payload, what kind of payload it was, and a short sentence."""

    card: Card
    kind: str  # one of KINDS
    summary: str  # e.g. "a vCard 3.0 card"
    suggested_name: str = ""  # e.g. from a LinkedIn address: offered to the person, never an identity
    cards: int = 1  # how many cards the payload held (a pasted file of several): the first is read

    def named(self, name: str | None = None) -> Card:
        """The card with ``name`` (else the suggested one) when it has none of its own."""
        name = (self.suggested_name if name is None else name).strip()
        if self.card.full_name or not name:
            return self.card
        card = Card(**self.card.card_fields())
        card.formatted = name
        return clean_card(card)


def parse_payload(text: str | bytes) -> ParsedPayload:
    """Read a business card out of a QR payload or pasted text.

    Raises :class:`PayloadTooLargeError` above :data:`MAX_PAYLOAD_BYTES` (before
    any parsing) and :class:`NotACardError` for anything that is not a card.
    """
    text = _as_text(text)
    body = text.strip().lstrip("\ufeff").strip()
    if not body:
        raise NotACardError(f"This code is empty; {NOTHING_SAVED}.", kind="empty")
    upper = body[:32].upper()
    for prefix, reader in _PREFIX_READERS:
        if upper.startswith(prefix):
            return _checked(reader(body))
    _refuse_other_kinds(body, upper)
    return _checked(_read_text(body))


def _as_text(data: str | bytes) -> str:
    if isinstance(data, str):
        size = len(data.encode("utf-8", "surrogatepass"))
    else:
        data = bytes(data)
        size = len(data)
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadTooLargeError(
            f"This code holds {size:,} bytes of text; Mutual reads at most "
            f"{MAX_PAYLOAD_BYTES:,}, so {NOTHING_SAVED}."
        )
    return data if isinstance(data, str) else with_lf_line_ends(decode_text(data))


def _checked(parsed: ParsedPayload) -> ParsedPayload:
    card = clean_card(parsed.card)
    if card.is_empty():
        raise NotACardError(
            f"This code looks like {parsed.summary} but holds no name or contact "
            f"details; {NOTHING_SAVED}.",
            kind=parsed.kind,
        )
    return ParsedPayload(card, parsed.kind, parsed.summary, parsed.suggested_name, parsed.cards)


# ----------------------------------------------------------------- card formats


def _read_vcard(body: str) -> ParsedPayload:
    if "END:VCARD" not in body.upper():
        body += "\r\nEND:VCARD\r\n"  # some generators leave it out of QR codes
    try:
        cards = [card for _, card in iter_vcards(body)]
    except ImportFormatError:
        raise NotACardError(
            f"This code starts like a vCard but is damaged; {NOTHING_SAVED}.", kind="vcard"
        ) from None
    version = _VCARD_VERSION.search(body)
    summary = f"a vCard {version.group(1)} card" if version else "a vCard card"
    if len(cards) > 1:
        summary += f" (the first of {len(cards)})"
    return ParsedPayload(cards[0], "vcard", summary, cards=len(cards))


_VCARD_VERSION = re.compile(r"^VERSION:[ \t]*([0-9.]{1,5})[ \t]*\r?$", re.I | re.M)
_FIELD_SPLIT = re.compile(r"(?<!\\);")  # after "\\\\" was protected
_MECARD_UNESCAPE = re.compile(r"\\([\\;:,\"])")


def _fields(body: str) -> list[tuple[str, str]]:
    """``KEY:value;`` fields of a MeCard-style payload, escapes undone."""
    protected = body.replace("\\\\", "\x00")
    fields = []
    for raw in _FIELD_SPLIT.split(protected, 200)[:200]:
        key, colon, value = raw.replace("\x00", "\\\\").partition(":")
        if colon:
            fields.append((key.strip().upper(), _MECARD_UNESCAPE.sub(r"\1", value)))
    return fields


def _read_mecard(body: str) -> ParsedPayload:
    card = Card()
    notes = []
    for key, value in _fields(body[len("MECARD:") :]):
        if key == "N" and not (card.family or card.formatted):
            family, comma, given = value.partition(",")
            if comma:
                card.family, card.given = family.strip(), given.strip()
            else:
                card.formatted = value
        elif key in ("TEL", "TEL-AV"):
            card.phones.append(value)
        elif key == "EMAIL":
            card.emails.append(email_value(value))
        elif key == "URL":
            card.urls.append(web_address(value))
        elif key == "ORG" and not card.organization:
            card.organization = value
        elif key == "TITLE" and not card.title:
            card.title = value
        elif key == "NOTE":
            notes.append(value)
    card.offers, card.seeking, card.note = split_offers_seeking("\n".join(notes))
    return ParsedPayload(card, "mecard", "a MeCard contact")


_BIZCARD_FIELDS = {"N": "given", "X": "family", "T": "title", "C": "organization"}


def _read_bizcard(body: str) -> ParsedPayload:
    card = Card()
    for key, value in _fields(body[len("BIZCARD:") :]):
        if key in _BIZCARD_FIELDS and not getattr(card, _BIZCARD_FIELDS[key]):
            setattr(card, _BIZCARD_FIELDS[key], value)
        elif key in ("B", "M"):  # business and mobile phone; F (fax) is left out
            card.phones.append(value)
        elif key == "E":
            card.emails.append(email_value(value))
    return ParsedPayload(card, "bizcard", "a BIZCARD contact")


def _read_mailto(body: str) -> ParsedPayload:
    addresses = unquote(body[len("mailto:") :].split("?", 1)[0]).split(",")
    emails = [email_value(a) for a in addresses]
    name = next((n for n in map(email_display_name, addresses) if n), "")
    return ParsedPayload(Card(formatted=name, emails=emails), "email", "an email address")


def _read_matmsg(body: str) -> ParsedPayload:
    emails = [email_value(v) for k, v in _fields(body[len("MATMSG:") :]) if k == "TO" and "@" in v]
    return ParsedPayload(Card(emails=emails[:1]), "email", "an email message addressed to someone")


def _read_tel(body: str) -> ParsedPayload:
    number = unquote(body.split(":", 1)[1]).split(";", 1)[0]
    return ParsedPayload(Card(phones=_phone_list(number)), "phone", "a phone number")


def _read_sms(body: str) -> ParsedPayload:
    number = re.split(r"[:?]", unquote(body.split(":", 1)[1]), maxsplit=1)[0]
    return ParsedPayload(
        Card(phones=_phone_list(number)), "phone", "a text-message code for a phone number"
    )


def _phone_list(number: str) -> list[str]:
    return [number.strip()] if any(c.isdigit() for c in number) else []


def _read_bookmark(body: str) -> ParsedPayload:
    url = next((v for k, v in _fields(body[len("MEBKM:") :]) if k == "URL"), "")
    if not _is_web_link(url):
        _refuse_other_kinds(url, url[:32].upper())
    return _read_url(url)


def _read_url(body: str) -> ParsedPayload:
    if any(c.isspace() for c in body):
        return _read_text(body)
    url = web_address(clean_text(body, max_len=2048))
    host = _host(url)
    given, family = _linkedin_name(url, host)
    if given:
        summary = "a LinkedIn profile link"
    else:
        summary = f"a link to {host}" if host else "a web link"
    # A name read from an address is only offered: the same slug is not the same person.
    return ParsedPayload(Card(urls=[url]), "url", summary, suggested_name=f"{given} {family}".strip())


def _host(url: str) -> str:
    try:
        host = urlsplit(url if _is_web_link(url) else f"http://{url}").hostname or ""
    except ValueError:
        return ""
    return clean_text(host.removeprefix("www."), max_len=100)


_LINKEDIN_PATH = re.compile(r"/in/([a-z]+(?:-[a-z]+){1,3})(?:-[a-z0-9]*[0-9][a-z0-9]*)?/?", re.I)


def _linkedin_name(url: str, host: str) -> tuple[str, str]:
    """Guess the name from a clean profile slug such as ``jane-doe`` or ``jane-doe-1a2b3c``."""
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return "", ""
    try:
        path = urlsplit(url).path
    except ValueError:
        return "", ""
    match = _LINKEDIN_PATH.fullmatch(path)
    if not match:
        return "", ""
    *given, family = [part.capitalize() for part in match.group(1).split("-")]
    return " ".join(given), family


def _is_web_link(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


# ------------------------------------------------------------------- plain text

_EMAIL = re.compile(r"[\w.%+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]{1,2000}", re.I)
_PHONE = re.compile(r"\+?\(?[0-9](?:[ \t().\-/]{0,3}[0-9]){6,19}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_LABELLED = re.compile(r"\s*([A-Za-z][A-Za-z\- ]{0,20}?)\s*:\s*(.*)")
_NAME_LINE = re.compile(r"[^\W\d_](?:[^\W\d]|[.'’\-])*(?:[ \t]+[^\W\d_](?:[^\W\d]|[.'’\-])*){0,4}")
_LABEL_FIELDS = {
    "name": "name", "full name": "name",
    "company": "organization", "organization": "organization",
    "organisation": "organization", "org": "organization",
    "title": "title", "job title": "title", "position": "title", "role": "title",
}  # fmt: skip
_CONTACT_LABELS = frozenset(
    "email e-mail mail phone tel telephone mobile cell mob web website url site".split()
)


def _read_text(body: str) -> ParsedPayload:
    """Pull emails, phones and links out of free text; a short line (or the words a line starts
    with, "Tom from the bar") is the name. Refused without a name or a whole email or phone."""
    # Cleaned first: a bidi override or a zero-width space inside a name or an address
    # would otherwise hide it from the patterns below (and only its note would be kept).
    body = clean_text(body, multiline=True, max_len=MAX_PAYLOAD_BYTES)
    card = Card()
    body = _ANGLE_EMAIL.sub(lambda match: _take_named_email(match, card), body)
    card.emails += _unique(_EMAIL.findall(body))
    card.urls = _unique(u.rstrip(".,;:)]}'\"") for u in _URL.findall(body))
    rest = _URL.sub(" ", _EMAIL.sub(" ", body))
    phones: list[str] = []
    rest = _PHONE.sub(lambda match: _take_phone(match, phones), rest)
    card.phones = _unique(phones)
    lines = rest.splitlines()[:200]
    _fill_from_lines(card, lines)
    only_a_name = card.full_name and len([line for line in lines if line.strip()]) == 1
    if not (card.emails or card.phones or (card.full_name and card.urls) or only_a_name):
        raise NotACardError(
            "This code is plain text without a name, an email address or a phone number, so it "
            f"is not a business card; {NOTHING_SAVED}.",
            kind="text",
        )
    return ParsedPayload(card, "text", "plain text with contact details")


_ANGLE_EMAIL = re.compile(r"(?:\"([^\"\n<>]{1,120})\"|([^\n<>\",;]{1,120}?))?[ \t]*<[ \t]*(?:mailto:)?([^<>\s]{3,320})[ \t]*>")
_GLUE = frozenset("-_/.")
_PHONE_LABEL = re.compile(
    r"(?:tel|tél|tele|phone|telephone|téléphone|telefon|telefone|telefono|teléfono|mobile|mobil|móvil|movil"
    r"|cell|cellulare|celular|handy|mob|fon|portable|whatsapp|t|m|p|ph)\.?[ \t]*[:.]?[ \t]*\Z",
    re.I,
)
_DIGIT_RUN = re.compile(r"[0-9]{11,}")


def _take_named_email(match: re.Match[str], card: Card) -> str:
    """``Dan Burzynski <dan@example.org>``: the address, and the name when the text has none yet."""
    address = email_value(match.group(3))
    if not address:
        return match.group()
    card.emails.append(address)
    name = (match.group(1) or match.group(2) or "").strip().strip("'")
    if name and not card.full_name and _looks_like_name(name, card):
        card.formatted = name
    return " "


def _take_phone(match: re.Match[str], phones: list[str]) -> str:
    """Collect a phone number written as one and blank it out of the text; dates, digits cut out
    of a longer token (a serial number) and bare digit strings (a product code) stay text."""
    found, text = match.group().strip(), match.string
    if _DATE.fullmatch(found) or not _whole_token(text, match.start(), match.end()):
        return match.group()
    line_start = text.rfind("\n", 0, match.start()) + 1
    labelled = bool(_PHONE_LABEL.search(text[max(line_start, match.start() - 24):match.start()]))
    grouped = not found.isdigit() and not _DIGIT_RUN.search(found)
    if not (found.startswith("+") or labelled or grouped):
        return match.group()
    phones.append(found)
    return " "


def _whole_token(text: str, start: int, end: int) -> bool:
    """Nothing but spaces or punctuation around ``text[start:end]``: not digits cut out of "N023X-3431800-V034"."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    for char, neighbour in ((before, text[start - 2] if start > 1 else " "), (after, text[end + 1] if end + 1 < len(text) else " ")):
        if char.isalnum() or (char in _GLUE and neighbour.isalnum()):
            return False
    return True


_NAME_AT_START = re.compile(
    r"([^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,3}?)[ \t]*(?:[,;(:]|[ \t][-–—|·][ \t]"
    r"|[ \t]+(?:from|at|of|via|von|vom|aus|bei|de|du|des|da|do|del|di|dalla)[ \t])"
)


def _fill_from_lines(card: Card, lines: list[str]) -> None:
    notes: list[str] = []
    for line in lines:
        line = line.strip(" \t,;·|")
        label_match = _LABELLED.fullmatch(line)
        label = label_match.group(1).lower() if label_match else ""
        value = label_match.group(2).strip() if label_match else line.strip()
        if label in _CONTACT_LABELS and not value:
            continue  # "Email:" whose address was pulled out
        target = _LABEL_FIELDS.get(label, "")
        if target == "name" or (not target and not label and _looks_like_name(value, card)):
            _set_name(card, value)
        elif target and not getattr(card, target):
            setattr(card, target, value)
        elif line.strip():
            notes.append(line.strip())
    if not card.full_name:  # "Tom from the bar": the name is the words the note starts with
        for note in notes:
            start = _NAME_AT_START.match(note)
            if start and _looks_like_name(start.group(1), card):
                _set_name(card, start.group(1))
                break
    card.offers, card.seeking, card.note = split_offers_seeking("\n".join(notes))


def _looks_like_name(line: str, card: Card) -> bool:
    """A short line of words without digits whose first and last words are not
    lower-case (scripts without case pass): "Jane Doe", "山田 太郎", not "is cool"."""
    if card.full_name or len(line) > 60 or not _NAME_LINE.fullmatch(line):
        return False
    words = line.split()
    return not (words[0][0].islower() or words[-1][0].islower())


def _set_name(card: Card, name: str) -> None:
    *given, family = name.split() or [""]
    card.given, card.family = " ".join(given), family
    if not card.given:
        card.given, card.family = family, ""


def _unique(values: object) -> list[str]:
    result: list[str] = []
    for value in values:  # type: ignore[attr-defined]
        if value and value not in result:
            result.append(value)
            if len(result) == 20:
                break
    return result


# --------------------------------------------------------------------- refusals

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{1,31}):")
_PAYMENT_SCHEMES = frozenset(
    "bitcoin bitcoincash ethereum lightning litecoin dogecoin monero zcash dash "
    "solana ripple xrp tron cardano stellar algorand payto upi lnurlp lnurlw".split()
)
_NEVER_OPENED = frozenset(
    "javascript vbscript data file intent blob about chrome content filesystem "
    "jar ms-settings itms-services market".split()
)


def _refuse(sentence: str, kind: str) -> None:
    raise NotACardError(f"{sentence}, not a business card; {NOTHING_SAVED}.", kind=kind)


def _refuse_other_kinds(body: str, upper: str) -> None:
    """Raise NotACardError for every payload kind that is not a card."""
    if upper.startswith("WIFI:"):
        _refuse_wifi(body)
    if upper.startswith(("OTPAUTH://", "OTPAUTH-MIGRATION://")):
        raise NotACardError(
            "This code is a one-time-password (2FA) secret for an authenticator app, not "
            f"a business card; {NOTHING_SAVED} and the secret was not kept.",
            kind="otp",
        )
    if upper.startswith(("BEGIN:VEVENT", "BEGIN:VCALENDAR", "BEGIN:VTODO")):
        _refuse(f"This code is a calendar event{_event_title(body)}", "event")
    if upper.startswith("GEO:"):
        _refuse("This code is a map location (geo:)", "location")
    _refuse_payment(body)
    scheme = _SCHEME.match(body)
    if scheme and _is_uri_scheme(scheme.group(1).lower(), body):
        name = scheme.group(1).lower()
        raise NotACardError(
            f"This code holds a {name}: link, which Mutual never opens; {NOTHING_SAVED}.",
            kind="link",
        )


def _is_uri_scheme(name: str, body: str) -> bool:
    """``javascript:`` and friends always count; other ``word:`` only as one token."""
    return name in _NEVER_OPENED or not any(c.isspace() for c in body)


def _refuse_wifi(body: str) -> None:
    ssid = next((v for k, v in _fields(body[len("WIFI:") :]) if k == "S"), "")
    ssid = clean_text(ssid, max_len=64)
    network = f" (network “{ssid}”)" if ssid else ""
    _refuse(f"This code is Wi-Fi login details{network}", "wifi")


def _event_title(body: str) -> str:
    match = re.search(r"^SUMMARY[^:\n]{0,100}:(.{1,200})$", body, re.M | re.I)
    title = clean_text(match.group(1), max_len=60) if match else ""
    return f" (“{title}”)" if title else ""


_PAYMENT_FORMATS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"BCD\r?\n00[12]\r?\n"), "a SEPA bank transfer (EPC QR code)"),
    (re.compile(r"SPC\r?\n0[12]00"), "a Swiss QR-bill"),
    (re.compile(r"SPD\*"), "a Czech QR payment (SPAYD)"),
    (re.compile(r"HRVHUB30"), "a Croatian payment slip (HUB3)"),
    (re.compile(r"ST0001"), "a Russian payment order (ST00012)"),
    (re.compile(r"LNURL1"), "a Lightning payment request"),
    (re.compile(r"000201\d\d.*6304[0-9A-F]{4}\Z", re.S), "a shop payment code (EMVCo)"),
)


def _refuse_payment(body: str) -> None:
    upper = body.upper()
    for pattern, what in _PAYMENT_FORMATS:
        if pattern.match(upper):
            _refuse(f"This code is a payment request: {what}", "payment")
    scheme = _SCHEME.match(body)
    name = scheme.group(1).lower() if scheme else ""
    if name in _PAYMENT_SCHEMES:
        _refuse(f"This code is a payment request ({name}:)", "payment")


_PREFIX_READERS: tuple[tuple[str, Callable[[str], ParsedPayload]], ...] = (
    ("BEGIN:VCARD", _read_vcard),
    ("MECARD:", _read_mecard),
    ("BIZCARD:", _read_bizcard),
    ("MAILTO:", _read_mailto),
    ("MATMSG:", _read_matmsg),
    ("TEL:", _read_tel),
    ("SMSTO:", _read_sms),
    ("SMS:", _read_sms),
    ("MMSTO:", _read_sms),
    ("MEBKM:", _read_bookmark),
    ("HTTP://", _read_url),
    ("HTTPS://", _read_url),
    ("WWW.", _read_url),
)
