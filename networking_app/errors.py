"""The few named errors of Mutual.

Every error carries one plain sentence (``str(error)``) that the command line
prints and the UI shows as is: no tracebacks reach a person.
"""

from __future__ import annotations

from pathlib import Path


class MutualError(Exception):
    """Base class: ``str(error)`` is a sentence fit to show to a person."""


class NotACardError(MutualError):
    """A scanned or pasted payload is readable but is not a business card."""

    def __init__(self, sentence: str, kind: str = "unknown") -> None:
        super().__init__(sentence)
        self.kind = kind  # e.g. "wifi", "payment", "otp", "event"


class UnreadableImageError(MutualError):
    """An image holds no readable QR code, or is not an image at all."""


class ImageTooLargeError(UnreadableImageError):
    """An image is refused before decoding because it would eat too much memory."""


class PayloadTooLargeError(MutualError):
    """A payload or file exceeds the size Mutual accepts."""


class CardTooLargeError(MutualError):
    """Even the essential fields of a card do not fit in a QR code."""


class ImportFormatError(MutualError):
    """An imported file cannot be read; the sentence names the line when known."""

    def __init__(self, sentence: str, line: int | None = None) -> None:
        super().__init__(sentence)
        self.line = line


class InvalidInputError(MutualError, ValueError):
    """A value the user gave cannot be used (an empty event name, an address without an @)."""


class NotFoundError(MutualError):
    """A record asked for by id or name does not exist."""


class StoreError(MutualError):
    """The local store cannot do what was asked; the data on disk is intact."""


class StoreCorruptError(StoreError):
    """The store file cannot be read at start-up; it is left untouched."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        hint = (
            f" The newest good backup is {backup}: `restore {backup}` puts it back and keeps the damaged "
            "files aside."
            if backup
            else " No backup was found."
        )
        super().__init__(
            f"Mutual cannot read its data file {path} ({reason}); it was not changed.{hint}"
        )
        self.path = path
        self.backup = backup


class SchemaTooNewError(StoreError):
    """The store was written by a newer Mutual than this one."""


class StoreBusyError(StoreError):
    """Another Mutual process holds the store's lock for too long."""


class StoreFullError(StoreError):
    """The disk is full: the change was not saved, earlier data is intact."""


class StoreReadOnlyError(StoreError):
    """The data folder cannot be written."""
