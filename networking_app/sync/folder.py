"""The sync folder on disk: each device writes only files of its own, and reads everyone's.

Layout (the engine — Syncthing, Nextcloud, Dropbox, iCloud Drive — copies it between devices)::

    <folder>/devices/<device id>/device.json           who it is, what it has seen
    <folder>/devices/<device id>/ops-000000000001.log  its operations, one line each
    <folder>/devices/<device id>/snapshot.json.gz      everything it knew, when it compacted

A log line is ``<crc32 hex> <operation JSON>\\n``, like the store's journal. Engines other than
Syncthing can show a file half-delivered: a line without its newline is a torn tail, read
again next time; a complete line that fails its checksum is skipped with a warning and read
again later, while the lines after it are taken in (operations apply in any order).
Conflict copies (``*.sync-conflict-*``, ``* (… conflicted copy …)``) are read as extra logs;
who wrote an operation is told by the operation itself, never by a file name.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..durable_io import atomic_write, fsync_dir, fsync_file, write_all
from ..jsoncodec import dumps, loads
from .clock import DEVICE_ID
from .ops import Op, OpError, decode

SEGMENT_BYTES = 1 << 20  # engines rehash a whole file on each change: keep files small
MAX_READ = 16 << 20  # per file and sync; the rest is read on the next pass
DEVICES = "devices"
DEVICE_INFO = "device.json"
SNAPSHOT = "snapshot.json.gz"
_SEGMENT = re.compile(r"ops-(\d{12})\.log\Z")
_CONFLICT = re.compile(r"\.sync-conflict-|\(.*conflicted copy.*\)|_conflict-|\(conflict", re.I)


def frame(payload: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def unframe(line: bytes) -> bytes | None:
    """The payload of one complete line, or None when its checksum fails."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        return payload if int(line[:8], 16) == zlib.crc32(payload) else None
    except ValueError:
        return None


@dataclass
class LogRead:
    """What reading one log file from a position gave."""

    ops: list[Op] = field(default_factory=list)
    position: int = 0  # read again from here next time (the first damaged line, or the end)
    end: int = 0  # how far the good lines went
    problems: list[str] = field(default_factory=list)
    torn: bool = False


def read_log(path: Path, position: int) -> LogRead:
    """Operations from ``position`` on. A file shorter than that was replaced: read from 0."""
    result = LogRead(position=position, end=position)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < position:
                position = result.position = result.end = 0
            f.seek(position)
            data = f.read(MAX_READ)
    except FileNotFoundError:
        return result
    pos, first_bad = 0, -1
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            result.torn = True
            break
        payload = unframe(data[pos:nl])
        try:
            if payload is None:
                raise OpError("damaged")
            result.ops.append(decode(payload))
        except OpError as exc:
            if first_bad < 0:
                first_bad = position + pos
            result.problems.append(f"{path.parent.name[:8]}…/{path.name} at byte {position + pos}: {exc}")
        pos = nl + 1
    result.end = position + pos
    result.position = first_bad if first_bad >= 0 else result.end
    return result


def is_conflict_copy(name: str) -> bool:
    return bool(_CONFLICT.search(name))


def is_log_name(name: str) -> bool:
    """Our log segments and the engines' conflict copies of them."""
    return bool(_SEGMENT.match(name)) or (name.startswith("ops-") and ".log" in name and is_conflict_copy(name))


@dataclass(frozen=True)
class DeviceFolder:
    path: Path

    @property
    def device(self) -> str:
        return self.path.name

    def logs(self) -> list[Path]:
        """Its log segments in order, then conflict copies of them."""
        try:
            names = [e.name for e in os.scandir(self.path) if e.is_file()]
        except OSError:
            return []
        segments = sorted(n for n in names if _SEGMENT.match(n))
        copies = sorted(n for n in names if is_log_name(n) and not _SEGMENT.match(n))
        return [self.path / n for n in segments + copies]

    def not_downloaded(self) -> list[str]:
        """iCloud leaves ``.name.icloud`` stubs for files it has not brought down yet."""
        try:
            return [e.name for e in os.scandir(self.path) if e.name.endswith(".icloud")]
        except OSError:
            return []

    def info(self) -> dict[str, Any] | None:
        try:
            info = loads((self.path / DEVICE_INFO).read_bytes())
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) else None


def segment_first_seq(path: Path) -> int | None:
    match = _SEGMENT.match(path.name)
    return int(match.group(1)) if match else None


class SyncFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def device_folder(self, device: str) -> DeviceFolder:
        return DeviceFolder(self.root / DEVICES / device)

    def devices(self) -> list[DeviceFolder]:
        try:
            entries = list(os.scandir(self.root / DEVICES))
        except FileNotFoundError:
            return []
        return [DeviceFolder(Path(e.path)) for e in sorted(entries, key=lambda e: e.name)
                if e.is_dir() and DEVICE_ID.match(e.name)]


class LogWriter:
    """Appends this device's operations to its own segments (nobody else writes them)."""

    def __init__(self, folder: DeviceFolder, segment_bytes: int | None = None) -> None:
        self.folder = folder
        self.segment_bytes = segment_bytes or SEGMENT_BYTES

    def last_seq(self) -> int:
        """The sequence number of the last whole operation on disk (0 when none)."""
        last = self.last_op()
        return last.seq if last else 0

    def last_op(self) -> Op | None:
        segments = [p for p in self.folder.logs() if segment_first_seq(p) is not None]
        for path in reversed(segments):
            lines = _tail_lines(path)
            for line in reversed(lines):
                payload = unframe(line)
                if payload is not None:
                    try:
                        return decode(payload)
                    except OpError:
                        continue
        return None

    def append(self, ops: list[tuple[int, bytes]]) -> None:
        """Write (seq, encoded op) pairs, durably, starting a new segment when one is full."""
        if not ops:
            return
        self.folder.path.mkdir(parents=True, exist_ok=True)
        path = self._current(ops[0][0])
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            size = _cut_torn_tail(fd)
            chunk = bytearray()
            for seq, wire in ops:
                if size + len(chunk) >= self.segment_bytes and (size or chunk):
                    write_all(fd, bytes(chunk), offset=size)
                    fsync_file(fd)
                    os.close(fd)
                    path = self.folder.path / f"ops-{seq:012d}.log"
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                    size, chunk = _cut_torn_tail(fd), bytearray()
                chunk += frame(wire)
            write_all(fd, bytes(chunk), offset=size)
            fsync_file(fd)
        finally:
            os.close(fd)
        fsync_dir(self.folder.path)

    def _current(self, first_seq: int) -> Path:
        segments = [p for p in self.folder.logs() if segment_first_seq(p) is not None]
        return segments[-1] if segments else self.folder.path / f"ops-{first_seq:012d}.log"


def _cut_torn_tail(fd: int) -> int:
    """A crash mid-append leaves a line without its newline at our own file's end: cut it."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    tail = os.pread(fd, min(size, 1 << 16), max(0, size - (1 << 16)))
    if tail.endswith(b"\n"):
        return size
    keep = size - len(tail) + tail.rfind(b"\n") + 1 if b"\n" in tail else 0
    os.ftruncate(fd, keep)
    return keep


def _tail_lines(path: Path) -> list[bytes]:
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            f.seek(max(0, size - (1 << 16)))
            data = f.read()
    except OSError:
        return []
    return [line for line in data.split(b"\n")[:-1] if line]


def write_device_info(folder: DeviceFolder, info: dict[str, Any]) -> None:
    folder.path.mkdir(parents=True, exist_ok=True)
    atomic_write(folder.path / DEVICE_INFO, dumps(info))


def write_snapshot(folder: DeviceFolder, payload: dict[str, Any]) -> None:
    folder.path.mkdir(parents=True, exist_ok=True)
    atomic_write(folder.path / SNAPSHOT, gzip.compress(dumps(payload), compresslevel=6, mtime=0))


def read_snapshot(folder: DeviceFolder, limit: int) -> dict[str, Any] | None:
    """A device's snapshot, or None when it has none or it is not whole yet."""
    try:
        with gzip.open(folder.path / SNAPSHOT, "rb") as f:
            raw = f.read(limit + 1)
        if len(raw) > limit:
            return None
        data = loads(raw)
    except (OSError, EOFError, ValueError, zlib.error):
        return None
    return data if isinstance(data, dict) else None


def iter_state_docs(snapshot: dict[str, Any]) -> Iterator[dict[str, Any]]:
    states = snapshot.get("states")
    if isinstance(states, list):
        yield from (s for s in states if isinstance(s, dict))
