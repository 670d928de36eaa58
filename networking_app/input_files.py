"""Files and streams a person hands Mutual to read: never more than a cap, whatever their size says.

``st_size`` is 0 for ``/dev/zero``, a pipe, a terminal or a ``/proc`` file, so a size
check alone lets an endless input through to a MemoryError. Here a regular file over
the cap is refused before anything is read, and any other input is read up to the cap
and one byte more: that byte is the refusal. Each reader names its cap (the
importers', the backup's, a scanned payload's) and the sentence it refuses with.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from typing import BinaryIO

TooLarge = Callable[[int | None], Exception]
"""``too_large(size)``: the error to raise; ``size`` in bytes when known, None for a stream."""


def read_whole(file: BinaryIO, limit: int, too_large: TooLarge, *, head: bytes = b"") -> bytes:
    """All of ``file``, at most ``limit`` bytes, or ``too_large(size)`` raised.

    ``head`` is what was already read from it (to tell its format): a file that can seek
    is read again from its start, a stream continues after it. Without ``head`` reading
    starts where the file is.
    """
    if head and file.seekable():
        file.seek(0)
        head = b""
    size = _size_left(file)
    if size is not None and len(head) + size > limit:
        raise too_large(len(head) + size)
    rest = file.read(limit + 1 - len(head))  # one buffer, shrunk to what came
    if len(head) + len(rest) > limit:  # refused before joining them: a second copy of the cap
        raise too_large(None if size is None else max(len(head) + size, len(head) + len(rest)))
    return head + rest if head else rest


def _size_left(file: BinaryIO) -> int | None:
    """The bytes left in a regular file; None for a pipe, a device, a socket or memory."""
    try:
        info = os.fstat(file.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        return max(0, info.st_size - file.tell())
    except OSError:
        return info.st_size

