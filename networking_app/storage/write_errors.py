"""A failed write, said in one plain sentence: a full disk, a read-only folder, or another cause."""

from __future__ import annotations

import errno
from pathlib import Path

from ..errors import StoreError, StoreFullError, StoreReadOnlyError

_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def write_error(exc: OSError, path: Path, what: str = "this change was not saved") -> StoreError:
    """The plain-sentence error for a failed write (full disk, read-only folder, other)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StoreFullError(f"The disk holding {path.parent} is full: {what}, everything saved before is intact.")
    if exc.errno in _READ_ONLY_ERRNOS:
        why = "it is read-only" if exc.errno == errno.EROFS else (exc.strerror or "permission denied").lower()
        return StoreReadOnlyError(f"Mutual cannot write to {path.parent} ({why}): {what}; your data is intact.")
    return StoreError(f"Mutual could not write to {path} ({exc.strerror or exc}): {what}.")
