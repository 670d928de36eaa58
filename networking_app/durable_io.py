"""Durable file operations: a write is whole or absent, and survives a crash.

Writing a temp file in the same folder, fsyncing it, renaming it over the
target and fsyncing the folder never leaves a half-written file behind: not on
kill -9, not on a full disk (the old file stays). Measured in
``../shared/store-notes.md``: 0 corrupt files in 290 kills.
"""

from __future__ import annotations

import errno
import os
import sys
import time
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


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name != "nt":
        os.chmod(path, PRIVATE_DIR)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably, readable by the user only.

    On failure (e.g. a full disk) the temp file is removed and ``path`` is untouched.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        try:
            write_all(fd, data)
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
