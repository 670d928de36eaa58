"""Everything as one Mutual backup (JSON, versioned: :mod:`networking_app.backups`).

Export is the same verified file the automatic backups are (format and schema
versions, counts, SHA-256). Import is a restore: it replaces everything, all or
nothing, after keeping a backup of now; a newer or damaged file is refused before
anything is touched. Because it replaces, it is only done when asked for
explicitly (``replace=True``: the app asks first, the command line wants
``--replace``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ..backups import MAX_BACKUP_BYTES, encode_backup, load_backup
from ..errors import MutualError
from .base import EVERYONE, ExportSummary, ImportSummary, Progress, Selection, check_size

if TYPE_CHECKING:
    from ..store import Store

RECORD_TABLES = ("cards", "events", "contacts", "meetings", "followups", "intros")


class ReplaceNotConfirmedError(MutualError):
    """Restoring a backup would replace everything, and that was not confirmed."""

    def __init__(self, source: str, now: dict[str, int], backup: dict[str, int]) -> None:
        super().__init__(
            f"{source} is a Mutual backup: restoring it replaces everything Mutual holds now "
            f"({_people(now)}) with what it holds ({_people(backup)}). Nothing was changed."
        )
        self.source, self.now, self.backup = source, now, backup


class BackupFormat:
    name: ClassVar[str] = "json"
    label: ClassVar[str] = "Mutual backup of everything (.json)"
    extensions: ClassVar[tuple[str, ...]] = (".json",)
    media_type: ClassVar[str] = "application/json"
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = True
    max_import_bytes: ClassVar[int] = MAX_BACKUP_BYTES

    def export(self, store: Store, selection: Selection = EVERYONE, *,
               on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]:
        if not selection.is_everyone:
            raise MutualError("A Mutual backup holds everything; to export some people, choose vCard or CSV.")
        tables = store_tables(store)
        count = sum(len(tables.get(name, {})) for name in RECORD_TABLES)
        if on_progress:
            on_progress(0, count)
        data = encode_backup(tables)
        if on_progress:
            on_progress(count, count)
        return data, ExportSummary(self.name, count, "record", len(data))

    def import_(self, store: Store, data: bytes, source_name: str, *, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary:
        check_size(len(data), self.max_import_bytes, source_name)
        try:
            tables = load_backup(data, source_name)  # refuses newer, damaged or invalid files whole
        except MutualError as exc:
            raise type(exc)(_nothing_changed(str(exc))) from None
        backup_counts = {name: len(tables.get(name, {})) for name in RECORD_TABLES}
        if not replace:
            raise ReplaceNotConfirmedError(source_name, store.counts(), backup_counts)
        if on_progress:
            on_progress(0, sum(backup_counts.values()))
        kept = store.restore_bytes(data, source_name)
        if on_progress:
            on_progress(sum(backup_counts.values()), sum(backup_counts.values()))
        return ImportSummary(self.name, source_name, restored=backup_counts, backup_of_before=str(kept),
                             goes_to_devices=store.sync_recorder.settings().enabled)


def store_tables(store: Store) -> dict[str, dict[str, Any]]:
    """Every table of the store as plain dicts, read under its lock."""
    return store.tables()


def _people(counts: dict[str, int]) -> str:
    contacts, events = counts.get("contacts", 0), counts.get("events", 0)
    return f"{contacts:,} contact{'' if contacts == 1 else 's'}, {events:,} event{'' if events == 1 else 's'}"


def _nothing_changed(sentence: str) -> str:
    return sentence if "Nothing was changed" in sentence else f"{sentence} Nothing was changed."
