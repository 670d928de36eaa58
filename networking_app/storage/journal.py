"""The journal: an append-only file of the transactions committed since the snapshot.

One transaction is one line ``<crc32> <json ops>\\n``: the CRC-32 of the ops in eight hex
digits, a space, then ``[[table, key, document or null], …]`` (a null key: the table was
cleared). Every op stores a whole document or its absence, so replaying a journal onto a
snapshot that already holds it changes nothing.

A torn last line (a kill mid-append) fails its checksum and is ignored, and cut when we hold
the lock: it was never reported as saved. A damaged line followed by good ones is corruption.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

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
        self._fd: int | None = None

    def read(self, start: int, *, locked: bool) -> Ops:
        """Good ops from ``start`` on; :attr:`end` moves past them. A torn tail is skipped
        (and cut when we hold the lock); a bad record followed by good ones is corruption."""
        try:
            with open(self.path, "rb") as f:
                self.ino = os.fstat(f.fileno()).st_ino
                f.seek(start)
                data = f.read()
        except FileNotFoundError:
            self.ino = None
            self.end = 0
            return []
        ops: Ops = []
        pos = 0
        while pos < len(data):
            end = data.find(b"\n", pos)
            parsed = parse_record(data[pos:end]) if end >= 0 else None
            if parsed is None:
                self._check_torn_tail(data, pos, start)
                break
            ops.extend(parsed)
            pos = end + 1
        if pos < len(data) and locked:
            self._cut(start + pos)
        self.end = start + pos
        return ops

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
        """Drop every record: they are folded into a new snapshot."""
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

    def _check_torn_tail(self, data: bytes, pos: int, start: int) -> None:
        for line in data[pos:].split(b"\n")[1:]:
            if parse_record(line) is not None:
                raise StoreCorruptError(
                    self.path, f"a damaged record at byte {start + pos} is followed by good ones", None
                )

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
            pass  # a torn record left behind fails its checksum on the next read

    def _descriptor(self) -> int:
        if self._fd is None:
            existed = self.path.exists()
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
            self.ino = os.fstat(self._fd).st_ino
            if not existed:
                fsync_dir(self.path.parent)
        return self._fd
