"""The journal: an append-only file of the transactions committed since the snapshot.

One transaction is one line ``<crc32> <json ops>\\n``: the CRC-32 of the ops in eight hex
digits, a space, then ``[[table, key, document or null], …]`` (a null key: the table was
cleared). Every op stores a whole document or its absence, so replaying a journal onto a
snapshot that already holds it changes nothing.

A kill mid-append can only leave a last line without its newline (the newline is the last byte
written): such a torn line is ignored, and cut when we hold the lock; it was never reported as
saved. A complete line that fails its checksum is damage, wherever it is: the store refuses to
open rather than drop it and write over it.

The file is never emptied in place: folding removes it, and the next commit starts a new one. So
a process reading without the lock reads either a journal that belongs to the snapshot it read,
growing only at its end, or one already folded into that snapshot and never written again
(:mod:`.mirror` re-checks which).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from .. import jsoncodec
from ..durable_io import PRIVATE_FILE, fsync_dir, fsync_file, write_all
from ..errors import StoreCorruptError

Ops = list[list[Any]]


def frame(payload: bytes) -> bytes:
    """The journal line holding ``payload`` (the JSON of one transaction's ops)."""
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def parse_record(line: bytes) -> Ops | None:
    """The ops of one journal line, or None when it is torn or damaged."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(payload):
            return None
        ops = jsoncodec.loads(payload)
    except ValueError:
        return None
    return ops if isinstance(ops, list) else None


class Journal:
    """The journal file: read on from where we stopped, appended after its last good record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.end = 0  # end of the last good record we applied
        self.ino: int | None = None  # the file we read last, to notice it was replaced
        self._fd: int | None = None  # for appending
        # The file read last, kept open: its inode cannot be reused by a newer journal while we
        # hold it, so "the same inode" below means the same file (see the module docstring).
        self._held: BinaryIO | None = None

    def read(self, start: int, *, locked: bool, same_file: bool = False) -> Ops | None:
        """Good ops from ``start`` on; :attr:`end` moves past them. A torn last line is skipped
        (and cut when we hold the lock); a complete line that fails its checksum is corruption.

        With ``same_file``, reads on in the file read last, and None when it is no longer the
        journal on disk (it was folded into a new snapshot and removed).
        """
        if same_file:
            f = self._still_on_disk()
            if f is None:
                return None
        else:
            try:
                f = self._hold(open(self.path, "rb", buffering=0))
            except FileNotFoundError:
                self._let_go()
                self.ino = None
                self.end = 0
                return []
        f.seek(start)
        data = f.read() or b""
        ops: Ops = []
        pos = 0
        while pos < len(data):
            end = data.find(b"\n", pos)
            if end < 0:
                break  # torn by a kill mid-append: never acknowledged
            parsed = parse_record(data[pos:end])
            if parsed is None:
                raise StoreCorruptError(
                    self.path, f"the record at byte {start + pos} is damaged: it fails its checksum", None
                )
            ops.extend(parsed)
            pos = end + 1
        if pos < len(data) and locked:
            self._cut(start + pos)
        self.end = start + pos
        return ops

    def _hold(self, f: BinaryIO) -> BinaryIO:
        self._let_go()
        self._held = f
        self.ino = os.fstat(f.fileno()).st_ino
        return f

    def _let_go(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def _still_on_disk(self) -> BinaryIO | None:
        """The file read last, if the journal on disk is still that file."""
        held = self._held
        if held is None or os.fstat(held.fileno()).st_ino != self.ino:
            return None
        try:
            return held if os.stat(self.path).st_ino == self.ino else None
        except FileNotFoundError:
            return None

    def append(self, record: bytes) -> None:
        """Write ``record`` after the last good one and fsync it.

        On failure what was written is cut again (if the disk lets us) and the error raised.
        """
        start = self.end
        try:
            fd = self._descriptor()
            write_all(fd, record, offset=start)
            if os.fstat(fd).st_size > start + len(record):
                os.ftruncate(fd, start + len(record))  # cut a torn tail left by a kill
            fsync_file(fd)
        except OSError:
            self._cut_back(start)
            raise
        self.end = start + len(record)

    def empty(self) -> None:
        """Drop every record, once they are folded into a new snapshot: the file is removed
        (never emptied in place, see the module docstring) and the next append starts a new one."""
        self.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except PermissionError:
            if os.name != "nt":
                raise
            # Windows refuses to remove a file another process holds open: empty it in place,
            # as before. A reader without the lock may then, rarely, read a state that never existed.
            self._truncate_in_place()
            return
        fsync_dir(self.path.parent)
        self.ino = None
        self.end = 0

    def _truncate_in_place(self) -> None:
        fd = self._descriptor()
        os.ftruncate(fd, 0)
        fsync_file(fd)
        self.end = 0

    def on_disk(self) -> tuple[int | None, int]:
        """The file's inode and size now; (None, 0) when there is none."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None, 0
        return st.st_ino, st.st_size

    def reopen_if_replaced(self, ino: int | None) -> None:
        """Let go of our descriptor when the file on disk is no longer the one it opened."""
        if self._fd is not None and (ino is None or os.fstat(self._fd).st_ino != ino):
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._let_go()

    def _cut(self, size: int) -> None:
        try:
            fd = self._descriptor()
            os.ftruncate(fd, size)
            fsync_file(fd)
        except OSError:
            pass  # harmless: the torn tail keeps failing its checksum

    def _cut_back(self, start: int) -> None:
        """After a failed append: cut what was written."""
        try:
            if self._fd is not None:
                os.ftruncate(self._fd, start)
        except OSError:
            pass  # what was written has no newline unless fsync failed: it is skipped as torn

    def _descriptor(self) -> int:
        if self._fd is None:
            existed = self.path.exists()
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
            self.ino = os.fstat(self._fd).st_ino
            if self._held is None or os.fstat(self._held.fileno()).st_ino != self.ino:
                self._hold(open(self.path, "rb", buffering=0))  # under the lock: the file just opened
            if not existed:
                fsync_dir(self.path.parent)
        return self._fd
