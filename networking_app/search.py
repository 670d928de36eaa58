"""Text folding and matching for search-as-you-type.

Searching "zoe" must find "Zoë", "MUNCHEN" must find "München": text is
case-folded and stripped of accents once, when a record is indexed, so that a
query is a handful of substring tests per contact.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_cached(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``."""
    if text.isascii():
        return text.lower()
    return _fold_cached(text) if len(text) < 256 else _fold_cached.__wrapped__(text)


_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc`\u00b4")  # O'Brien, O’Brien: both are obrien


def search_fold(text: str) -> str:
    """``fold`` without apostrophes: "obrien" finds O'Brien, and "o'brien" finds OBrien."""
    return fold(text).translate(_APOSTROPHES)


def query_terms(query: str) -> list[str]:
    """A query is a list of words that must all occur (in any field, any order)."""
    return [t for t in search_fold(query).split() if t]


def matches(blob: str, terms: list[str]) -> bool:
    return all(t in blob for t in terms)
