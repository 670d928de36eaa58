"""Files a person names for Mutual to write (exports, QR codes): only regular files or new names.

A write is atomic (:func:`~networking_app.durable_io.atomic_write`): a new file is renamed
over the target. Renamed over a named pipe, a device or a socket, it replaces the node
itself (as root, ``/dev/null``); renamed over the store's own files, it replaces the data
with an export. So every such write goes through :func:`write_chosen_file`, which looks at
the target first and refuses with one sentence, leaving the target as it was.

A symbolic link is followed: the file it points to is judged, and replaced (the link stays).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .durable_io import atomic_write
from .errors import InvalidInputError, MutualError

# What a target that is not a regular file is, for the sentence.
_NOT_A_FILE = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
)
STORE_NAME = "mutual"  # the data folder's own files: mutual.json, mutual.journal, mutual.lock, their temp files
_OWN_FILES = {
    "mutual.json": "Mutual's data file",
    "mutual.journal": "Mutual's journal",
    "mutual.lock": "Mutual's lock file",
    "sync.lock": "Mutual's sync lock file",
    "error.log": "Mutual's error log",
}
# Folders in the data folder that only Mutual writes, at any depth.
OWN_FOLDERS = {"backups": "Mutual's backups folder", "cache": "Mutual's cache folder"}


def write_chosen_file(path: Path, data: bytes, *, data_folder: Path | None) -> Path:
    """Write ``data`` at the path a person chose, whole or not at all; returns where it went.

    Raises :class:`InvalidInputError` for a target that is not a regular file or a new
    name, or is one of the store's files in ``data_folder``; :class:`MutualError` when
    the disk refuses. Either way the target is left as it was.
    """
    target = checked_target(path, data_folder)
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise MutualError(f"Mutual could not write {path}: {exc.strerror or exc}; nothing was written.") from None
    return target


def checked_target(path: Path, data_folder: Path | None) -> Path:
    """The file to replace or create for ``path`` (a link followed), or a refusal sentence."""
    target = Path(os.path.realpath(path))
    try:  # the path itself, links followed: /dev/stdout's real path names no file, its pipe is there
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # a new name
    except OSError as exc:
        raise MutualError(f"Mutual could not write {path}: {exc.strerror or exc}; nothing was written.") from None
    if mode is not None:
        _refuse_if_not_a_file(path, mode)
    if data_folder is not None:
        _refuse_if_the_stores(path, target, data_folder)
    return target


def _refuse_if_not_a_file(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InvalidInputError(f"{path} is a folder; name a file in it to write to.")
    kind = next((name for test, name in _NOT_A_FILE if test(mode)), "a special file")
    raise InvalidInputError(f"{path} is {kind}, not a file: Mutual writes only to a regular file "
                            "or a new name, and left it as it was.")


def _refuse_if_the_stores(path: Path, target: Path, data_folder: Path) -> None:
    """Refuse the store's own files, told by name in the data folder, and its folders by
    identity (which also holds on a case-insensitive disk or through a second mount)."""
    folder = _identity(data_folder)
    if folder is None:
        return  # no data folder yet: nothing of Mutual's to damage
    if _identity(target.parent) == folder:
        name = target.name.casefold()
        own = _OWN_FILES.get(name) or ("one of Mutual's own files"
                                       if name.startswith((f"{STORE_NAME}.", f".{STORE_NAME}")) else None)
        if own:
            raise InvalidInputError(f"{path} is {own}: writing over it would damage your data; "
                                    "choose another file.")
    folders = {ident: what for name, what in OWN_FOLDERS.items() if (ident := _identity(data_folder / name))}
    for ancestor in target.parents:
        if (ident := _identity(ancestor)) in folders:
            raise InvalidInputError(f"{path} is in {folders[ident]}, which only Mutual writes; choose another place.")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
