"""What is typed on the command line, read: a date, a count, a contact's id prefix, an event's name."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from .command import UsageError

if TYPE_CHECKING:
    from ..models import Contact
    from ..store import Store

MIN_ID_PREFIX = 4


def positive(text: str) -> int:
    """An argparse ``type``: a whole number from 1 up."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, not {text!r}")
    return value


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"“{text}” is not a date; write it as YYYY-MM-DD.") from None


def contact_by_prefix(store: Store, prefix: str) -> Contact:
    """The one contact whose id starts with ``prefix`` (ids are long; the first characters do)."""
    prefix = prefix.strip().lower()
    if len(prefix) < MIN_ID_PREFIX:
        raise NotFoundError(f"Give at least the first {MIN_ID_PREFIX} characters of the contact id.")
    matches = [cid for cid in store.people.ids() if cid.startswith(prefix)]
    if len(matches) > 1:
        raise NotFoundError(f"{len(matches)} contacts have an id starting with {prefix}; give more characters.")
    if not matches:
        raise NotFoundError(f"No contact has an id starting with {prefix}.")
    return store.people.get(matches[0])


def event_id_of(store: Store, name: str | None) -> str | None:
    """The id of the event ``--event`` names (a name or an id prefix), or None when not given."""
    return store.events.find(name).id if name else None
