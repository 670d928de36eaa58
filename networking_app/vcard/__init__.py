"""The vCard codec of Mutual: every vCard read or written goes through here.

- :mod:`.writer`: vCard 3.0 for QR codes (unfolded) and for files (folded);
- :mod:`.qr_fit`: fitting a card into a QR code, leaving fields out in a stated order;
- :mod:`.reader`: the tolerant reader of vCard 2.1, 3.0 and 4.0, bounded against
  hostile files, over :mod:`.properties` (content lines) and :mod:`.values`
  (escapes, transfer encodings, charsets; also used by the writer).

What a card's fields may hold (emails, phones, web addresses, offers/seeking lines,
lengths) is the same for every format and lives in :mod:`networking_app.card_fields`.
"""

from .qr_fit import KEEP_LINK, KEEP_OFFERS, FittedPayload, fit_card_for_qr
from .reader import count_vcards, iter_tagged_vcards, iter_vcards, parse_vcards
from .writer import PRODID, encode_qr_vcard, serialize_vcard, serialize_vcards

__all__ = [
    "PRODID",
    "FittedPayload",
    "KEEP_LINK",
    "KEEP_OFFERS",
    "count_vcards",
    "encode_qr_vcard",
    "fit_card_for_qr",
    "iter_tagged_vcards",
    "iter_vcards",
    "parse_vcards",
    "serialize_vcard",
    "serialize_vcards",
]
