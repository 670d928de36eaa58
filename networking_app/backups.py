"""Whole-store backups: one versioned JSON file each, rotated, verified, restorable.

The same file format serves the automatic backups in ``<data>/backups/`` and
the "export everything" a person can keep elsewhere. A backup names what wrote
it (format version, schema version), how many records each table holds and a
SHA-256 of the tables, so a damaged or truncated file is refused as a whole.

The SHA-256 finds damage; it is not a signature. It has no key: anyone can write a
file that matches its own checksum. So a backup is restored only after every table
and record in it was checked against the models (:func:`load_backup`), as anything
else from a stranger is.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard

from . import __version__, jsoncodec
from .durable_io import atomic_write, make_private_dir
from .errors import ImportFormatError, MutualError, PayloadTooLargeError, SchemaTooNewError
from .migrations import SCHEMA_VERSION, migrate, schema_of
from .record_rules import RecordError, clean_tables

FORMAT = "mutual-backup"
FORMAT_VERSION = 1
MAX_BACKUP_BYTES = 512 * 1024 * 1024  # the largest backup restored: it holds the whole store, notes and history
KEEP = 10
_NAME = re.compile(r"^mutual-(\d{8}T\d{12})Z(?:-[a-z0-9-]+)?\.json$")

Tables = dict[str, dict[str, Any]]


def tables_digest(tables: Tables) -> str:
    """SHA-256 of a canonical encoding (stdlib, sorted keys): the same on every device."""
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def encode_backup(tables: Tables) -> bytes:
    """The backup file's bytes for ``tables``."""
    envelope = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": schema_of(tables),
        "app_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {name: len(docs) for name, docs in tables.items()},
        "sha256": tables_digest(tables),
        "tables": tables,
    }
    return jsoncodec.dumps(envelope)


def decode_backup(data: bytes, source: str = "this file") -> Tables:
    """The tables of a backup, or a plain-sentence error; never a partial result."""
    try:
        envelope = jsoncodec.loads(data)
    except ValueError:
        if data.lstrip()[:1] not in (b"{", b"["):  # a vCard, a CSV, a photo…: not a damaged backup
            raise ImportFormatError(f"{source} is not a Mutual backup.") from None
        raise ImportFormatError(f"{source} is damaged or incomplete: it is not valid JSON.") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise ImportFormatError(f"{source} is not a Mutual backup.")
    version = envelope.get("format_version")
    schema = envelope.get("schema")
    if not _whole_number(version) or not _whole_number(schema):
        raise ImportFormatError(f"{source} is damaged: its version is missing.")
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{source} was made by a newer Mutual (backup format {version}, schema {schema}); "
            "update Mutual to restore it. Nothing was changed."
        )
    if version < 1 or schema < 0:
        raise ImportFormatError(f"{source} is damaged: its version is not one Mutual ever wrote.")
    tables = envelope.get("tables")
    if not _well_formed(tables):
        raise ImportFormatError(f"{source} is damaged: its tables are malformed.")
    counts = {name: len(docs) for name, docs in tables.items()}
    if counts != envelope.get("counts") or tables_digest(tables) != envelope.get("sha256"):
        raise ImportFormatError(f"{source} is damaged: its contents do not match its checksum.")
    if schema_of(tables) != schema:
        raise ImportFormatError(f"{source} is damaged: it says schema {schema} outside "
                                f"and schema {schema_of(tables)} in its settings.")
    return tables


def load_backup(data: bytes, source: str = "this file") -> Tables:
    """A backup's tables ready to restore: read whole (:func:`decode_backup`), brought to this
    schema, and every table and record checked against its model and cleaned
    (:func:`~networking_app.record_rules.clean_tables`). Anything wrong refuses the whole file
    with a sentence naming it, before anything is replaced.
    """
    try:
        tables = decode_backup(data, source)
    except ImportFormatError as exc:
        raise ImportFormatError(f"{exc} Nothing was changed.") from None
    try:
        migrate(tables)
        return clean_tables(tables, SCHEMA_VERSION)
    except RecordError as exc:
        raise ImportFormatError(f"{source} cannot be restored: {exc}. Nothing was changed.") from None


def _whole_number(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _well_formed(tables: Any) -> TypeGuard[Tables]:
    return isinstance(tables, dict) and all(
        isinstance(docs, dict) and all(isinstance(d, dict) for d in docs.values())
        for docs in tables.values()
    )


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime



def read_backup_file(path: Path, *, regular_only: bool = False) -> bytes:
    """A backup file's bytes, read no further than a backup can be; with ``regular_only`` (files found
    in backups/) a pipe or a device is refused unread. Raises a MutualError sentence, or OSError."""
    from .input_files import read_whole

    if regular_only and not stat.S_ISREG(path.stat().st_mode):  # before opening: a FIFO would block the open
        raise ImportFormatError(f"{path.name} is not a file Mutual can read a backup from; nothing was changed.")
    with path.open("rb") as file:
        head = file.read(1024)
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            raise ImportFormatError(f"{path.name} is not a Mutual backup; nothing was changed.")
        return read_whole(file, MAX_BACKUP_BYTES, _too_large(path), head=head)


def read_backup(path: Path) -> bytes:
    """:func:`read_backup_file`, a file that cannot be opened said in one sentence too."""
    try:
        return read_backup_file(path)
    except OSError as exc:
        raise MutualError(f"Nothing was restored from {path}: {exc.strerror or exc}.") from None


def _too_large(path: Path) -> Callable[[int | None], MutualError]:
    def refusal(size: int | None) -> MutualError:
        what = "holds more than" if size is None else f"is {size / 2**20:.1f} MB, more than"
        return PayloadTooLargeError(f"Nothing was restored from {path}: it {what} the {MAX_BACKUP_BYTES // 2**20} MB "
                                    "a Mutual backup can be; nothing was changed.")

    return refusal

class Backups:
    """The rotating backups kept in one folder, newest first."""

    def __init__(self, folder: Path, keep: int = KEEP) -> None:
        self.folder = folder
        self.keep = keep

    def list(self) -> list[BackupInfo]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                stamp = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%f")
                found.append(BackupInfo(path, stamp.replace(tzinfo=UTC)))
        return sorted(found, key=lambda b: b.created, reverse=True)

    def create(self, tables: Tables, reason: str = "") -> Path:
        """Write a verified backup of ``tables`` atomically, then drop the oldest."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        suffix = f"-{re.sub(r'[^a-z0-9-]+', '-', reason.lower()).strip('-')}" if reason else ""
        path = self.folder / f"mutual-{stamp}Z{suffix}.json"
        try:
            make_private_dir(self.folder)
            atomic_write(path, encode_backup(tables))
        except OSError as exc:
            from .storage import write_error

            raise write_error(exc, path, "the backup was not written") from None
        self.prune()
        return path

    def prune(self) -> None:
        for old in self.list()[self.keep :]:
            old.path.unlink(missing_ok=True)

    def newest_good(self) -> Path | None:
        """The newest backup that reads back whole and would restore (checked, not assumed)."""
        for info in self.list():
            try:
                load_backup(read_backup_file(info.path, regular_only=True), info.path.name)
            except (OSError, MutualError):
                continue
            return info.path
        return None

    def due(self, every: timedelta = timedelta(days=1)) -> bool:
        newest = self.list()
        return not newest or datetime.now(UTC) - newest[0].created >= every
