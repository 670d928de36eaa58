"""Mutual's files for other apps: vCard, CSV, iCalendar and the JSON backup, in one registry.

Each format is a small class (:class:`~networking_app.interop.base.Format`) naming
itself and its extensions; :data:`FORMATS` holds them, :func:`get_format` picks
one, :func:`detect` tells one from a file's content. The functions below take and
return bytes (the app opens and saves files through dialogs) or paths (the command
line), and report progress as ``on_progress(done, total)`` about every 200 records.

    data, summary = export_bytes(store, "vcf", Selection.event(event.id))
    summary = import_bytes(store, data, "contacts.vcf")        # format told by content
    summary = import_file(store, Path("backup.json"), replace=True)

Errors are :class:`~networking_app.errors.MutualError` sentences: a refused import
names the file and the line, and has changed nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ImportFormatError, MutualError
from ..input_files import read_whole
from ..output_files import checked_target, write_chosen_file
from .backup import BackupFormat, ReplaceNotConfirmedError
from .base import (
    EVERYONE,
    PROGRESS_EVERY,
    ExportSummary,
    Format,
    ImportSummary,
    Progress,
    Selection,
    check_size,
    too_large,
)
from .csv_format import CsvFormat
from .detect import HEAD_BYTES
from .detect import detect as _detect
from .ics import IcsFormat
from .vcf import VcfFormat

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "EVERYONE", "FORMATS", "MAX_IMPORT_BYTES", "PROGRESS_EVERY", "ExportSummary", "Format", "ImportSummary",
    "Progress", "ReplaceNotConfirmedError", "Selection", "detect", "export_bytes", "export_file", "format_for_filename",
    "get_format", "import_bytes", "import_file", "read_import_file",
]  # fmt: skip

FORMATS: dict[str, Format] = {f.name: f for f in (VcfFormat(), CsvFormat(), IcsFormat(), BackupFormat())}
# The most of a file any format imports (a backup's cap): what the app reads of a file it will import.
MAX_IMPORT_BYTES = max(f.max_import_bytes for f in FORMATS.values() if f.can_import)


def get_format(name: str) -> Format:
    try:
        return FORMATS[name.lower().lstrip(".")]
    except KeyError:
        raise MutualError(f"Mutual knows no format called “{name}”; choose one of {', '.join(FORMATS)}.") from None


def format_for_filename(filename: str | Path) -> Format | None:
    """The format a file name's extension suggests (for a save dialog's default), or None."""
    suffix = Path(filename).suffix.lower()
    return next((f for f in FORMATS.values() if suffix and suffix in f.extensions), None)


def detect(data: bytes, filename: str = "") -> Format:
    """The format of ``data`` by its content; the extension of ``filename`` only breaks a tie."""
    return FORMATS[_detect(data, filename, {f.name: f.extensions for f in FORMATS.values()})]


def export_bytes(store: Store, format_name: str, selection: Selection = EVERYONE, *,
                 on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]:
    """The file's bytes and what they hold; only the selected people go in."""
    return get_format(format_name).export(store, selection, on_progress=on_progress)


def export_file(store: Store, format_name: str, path: Path, selection: Selection = EVERYONE, *,
                on_progress: Progress | None = None) -> ExportSummary:
    """Write an export to ``path`` atomically (whole or not at all), readable by the user only.

    Only a regular file or a new name is written, never the store's own files: the target
    is checked before the export is made, and again when it is written.
    """
    checked_target(path, store.folder)
    data, summary = export_bytes(store, format_name, selection, on_progress=on_progress)
    write_chosen_file(path, data, data_folder=store.folder)
    return summary


def import_bytes(store: Store, data: bytes, source_name: str, *, format_name: str | None = None,
                 tags: Sequence[str] = (), replace: bool = False,
                 on_progress: Progress | None = None) -> ImportSummary:
    """Import a file's bytes (the format told by content unless named), all or nothing.

    A backup (.json) replaces everything and needs ``replace=True``; otherwise it raises
    :class:`ReplaceNotConfirmedError` (its sentence says what would be replaced).
    """
    fmt = get_format(format_name) if format_name else detect(data, source_name)
    check_size(len(data), fmt.max_import_bytes or len(data), source_name)
    return fmt.import_(store, data, source_name, tags=tags, replace=replace, on_progress=on_progress)


def import_file(store: Store, path: Path, *, format_name: str | None = None, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary:
    """Import a file, read no further than its format's cap (see :func:`read_import_file`)."""
    fmt, data = read_import_file(path, format_name)
    return fmt.import_(store, data, path.name, tags=tags, replace=replace, on_progress=on_progress)


def read_import_file(path: Path, format_name: str | None = None) -> tuple[Format, bytes]:
    """A file's format (named, else told by its first 64 KB) and its bytes, opened once.

    A regular file over the format's cap is refused before it is read; a pipe or a device
    (whose size says 0) is read no further than the cap and one byte. A format that
    imports nothing (a calendar) gets only the head, to say so.
    """
    source = path.name
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
            fmt = get_format(format_name) if format_name else detect(head, source)
            if not fmt.can_import:
                return fmt, head
            return fmt, read_whole(file, fmt.max_import_bytes, too_large(source, fmt.max_import_bytes), head=head)
    except IsADirectoryError:
        raise ImportFormatError(f"Nothing was imported from {source}: it is a folder, not a file.") from None
    except OSError as exc:
        raise ImportFormatError(f"Nothing was imported from {source}: {exc.strerror or exc}.") from None
