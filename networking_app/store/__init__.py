"""Mutual's records on the device: the one door through which the UI and the CLI reach data.

A thin layer over TinyDB (:mod:`networking_app.storage` on disk,
:mod:`networking_app.memory_storage` in memory), split by concept:

- :mod:`.store` — :class:`Store`: opening, schema upgrades, backups and restores;
- :mod:`.records` — :class:`~.records.Records`: the one place records are read and
  written, with the lock, the write listeners and the indexes (:mod:`.indexes`:
  uuid → document, email/phone/name → contact, contact → meetings, a folded search
  text per contact), so that reads cost microseconds and a write one journal append;
- one repository per kind of record, each a ``Store`` attribute: :mod:`.people`,
  :mod:`.events`, :mod:`.meetings`, :mod:`.followups`, :mod:`.cards`, :mod:`.intros`.
"""

from .events import CURRENT_EVENT
from .people import DeletedContact, Identity, PossibleDuplicate, PossibleMatch, ScanResult
from .store import Store

__all__ = ["CURRENT_EVENT", "DeletedContact", "Identity", "PossibleDuplicate", "PossibleMatch", "ScanResult", "Store"]
