"""Durable file operations: a write is whole or absent, and survives a crash.

Writing a temp file in the same folder, fsyncing it, renaming it over the
target and fsyncing the folder never leaves a half-written file behind: not on
kill -9, not on a full disk (the old file stays). Measured in
``../shared/store-notes.md``: 0 corrupt files in 290 kills.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def fsync_file(fd: int) -> None:
    """Flush a file to stable storage (F_FULLFSYNC on Apple, where fsync is not enough)."""
    if sys.platform == "darwin":
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)  # type: ignore[attr-defined]
            return
        except OSError:
            pass
    os.fsync(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (no-op where unsupported)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on a directory
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes, offset: int | None = None) -> None:
    """Write every byte (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        if offset is None:
            written = os.write(fd, view)
        else:
            written = os.pwrite(fd, view, offset)
            offset += written
        view = view[written:]


# Our temp files, and only ours: ".mutual-<name>.<pid>.tmp". Before, ".<name>.<pid>.tmp" (still
# recognised for the store's own files, see storage.journaled_storage).
_TEMP_FILE = re.compile(r"\.mutual-(?P<name>.+)\.(?P<pid>\d{1,10})\.tmp\Z", re.DOTALL)


def temp_path(path: Path) -> Path:
    """Where :func:`atomic_write` writes ``path`` first: a name no other program uses."""
    return path.with_name(f".mutual-{path.name}.{os.getpid()}.tmp")


def temp_file_writer(name: str) -> int | None:
    """The process id in one of our temp files' names (:func:`temp_path`), None for any other name."""
    match = _TEMP_FILE.match(name)
    return int(match["pid"]) if match else None


def make_private_dir(path: Path) -> bool:
    """Create ``path`` (and parents) readable by the user only; whether it was created.

    A folder that already exists is left as it is: it may be someone's (``--data-dir`` on a
    shared folder), or made read-only on purpose.
    """
    if path.is_dir():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        if path.is_dir():
            return False  # made by another process meanwhile
        raise
    if os.name != "nt":
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode passes through the umask
    return True


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or chunks of them: a big file is never whole in memory)
    atomically and durably, readable by the user only.

    On failure (e.g. a full disk) the temp file is removed and ``path`` is untouched.
    """
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        try:
            for chunk in [data] if isinstance(data, bytes) else data:
                write_all(fd, chunk)
            fsync_file(fd)
        finally:
            os.close(fd)
        _replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _replace(src: Path, dst: Path) -> None:
    # Windows refuses to replace a file another process holds open: retry briefly.
    for attempt in range(20):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 19:
                raise
            time.sleep(0.05)
