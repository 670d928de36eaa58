"""What every file format of Mutual shares: the selection, the summaries, progress and refusals.

A format is a small class (see :class:`Format`) that turns the store into bytes
(``export``) and/or bytes into store changes (``import_``). Bytes in, bytes out:
the command line reads and writes files, the app gets and saves bytes through
its dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

from ..errors import ImportFormatError, PayloadTooLargeError
from ..search import fold

if TYPE_CHECKING:
    from ..store import Store

Progress = Callable[[int, int], None]
"""``on_progress(done, total)``: called about every :data:`PROGRESS_EVERY` records and at the end."""

PROGRESS_EVERY = 200
MB = 1024 * 1024
MAX_CONTACTS_IMPORT_BYTES = 20 * MB  # ~60,000 typical cards: far beyond an address book
T = TypeVar("T")


@dataclass(frozen=True)
class Selection:
    """Who goes into an export: everyone, an event's people, or chosen contacts.

    Only what is selected is written (the file leaves Mutual: privacy). When both
    are given, the contacts must also have been met at the event.
    """

    event_id: str | None = None
    contact_ids: tuple[str, ...] | None = None

    @classmethod
    def everyone(cls) -> Selection:
        return cls()

    @classmethod
    def event(cls, event_id: str) -> Selection:
        return cls(event_id=event_id)

    @classmethod
    def contacts(cls, contact_ids: Iterable[str]) -> Selection:
        return cls(contact_ids=tuple(dict.fromkeys(contact_ids)))

    @property
    def is_everyone(self) -> bool:
        return self.event_id is None and self.contact_ids is None


EVERYONE = Selection()


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    format: str
    count: int  # records written: contacts, follow-ups, or every record of a backup
    noun: str  # "contact", "follow-up", "record"
    size: int  # bytes
    left_out: int = 0  # e.g. follow-ups without a due date

    def describe(self) -> str:
        return plural(self.count, self.noun)


@dataclass
class ImportSummary:
    """What an import did, all of it in one commit (or nothing at all)."""

    format: str
    source: str
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: int = 0  # records with nothing to keep (no name, organisation, email, phone or link)
    ignored_columns: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # columns of emails or phones Mutual could not place
    possible_duplicates: int = 0  # people saved apart who may be someone already known
    contact_ids: list[str] = field(default_factory=list)
    restored: dict[str, int] = field(default_factory=dict)  # a backup: records per table
    backup_of_before: str = ""  # a backup: where the replaced data was kept
    goes_to_devices: bool = False  # a backup restored where sync is set up: it becomes every device's

    @property
    def total(self) -> int:
        return self.added + self.merged + self.unchanged

    def describe(self) -> str:
        """One sentence for a person."""
        if self.restored:
            kept = f" What was there before is kept in {self.backup_of_before}." if self.backup_of_before else ""
            shared = " Your other devices get it as it is at their next sync." if self.goes_to_devices else ""
            return (f"Restored {plural(self.restored.get('contacts', 0), 'contact')} and "
                    f"{plural(self.restored.get('events', 0), 'event')} from {self.source}.{kept}{shared}")
        parts = [f"{self.added:,} new", f"{self.merged:,} updated", f"{self.unchanged:,} already known"]
        text = f"Imported {plural(self.total, 'person', 'people')} from {self.source}: {', '.join(parts)}"
        if self.skipped:
            text += f"; {plural(self.skipped, 'empty entry', 'empty entries')} skipped"
        if self.possible_duplicates:
            text += (f"; {plural(self.possible_duplicates, 'new person', 'new people')} may be someone you "
                     "already have (the same name, or a shared email or phone): nothing was joined")
        ignored = [c for c in self.ignored_columns if c not in self.left_out]
        if ignored:
            names = ", ".join(ignored[:5]) + (", …" if len(ignored) > 5 else "")
            text += f"; {plural(len(ignored), 'column')} Mutual does not know ignored ({names})"
        text += "."
        if self.left_out:
            names = ", ".join(f"“{c}”" for c in self.left_out[:5])
            text += (f" Left out: the column{'s' if len(self.left_out) > 1 else ''} {names} "
                     "holds email addresses or phone numbers that Mutual could not place; add them by hand "
                     "or rename the column (for example to “Email” or “Phone”) and import again.")
        return text


class Format(Protocol):
    """One file format in the registry; ``export`` and ``import_`` raise MutualError sentences."""

    name: ClassVar[str]  # vcf | csv | ics | json
    label: ClassVar[str]  # for a dialog: "vCard (.vcf)"
    extensions: ClassVar[tuple[str, ...]]  # the first is the one to save with
    media_type: ClassVar[str]
    can_export: ClassVar[bool]
    can_import: ClassVar[bool]
    max_import_bytes: ClassVar[int]

    def export(self, store: Store, selection: Selection = EVERYONE, *,
               on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]: ...

    def import_(self, store: Store, data: bytes, source_name: str, *, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary: ...


def plural(count: int, noun: str, many: str = "") -> str:
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def lower_first(sentence: str) -> str:
    """Fit a sentence after a colon: "The vCard…" -> "the vCard…" (an acronym stays)."""
    if len(sentence) > 1 and sentence[0].isupper() and not sentence[1].isupper():
        return sentence[0].lower() + sentence[1:]
    return sentence


def refusal(source: str, error: Exception | str, line: int | None = None) -> ImportFormatError:
    """The one sentence an import refuses with: the file, why, the line, and that nothing changed."""
    reason = lower_first(str(error).strip().rstrip("."))
    if line is None and isinstance(error, ImportFormatError):
        line = error.line
    return ImportFormatError(f"Nothing was imported from {source}: {reason}.", line=line)


def check_size(size: int, limit: int, source: str) -> None:
    """Refuse before reading: a file over ``limit`` bytes is not read into memory at all."""
    if size > limit:
        raise too_large(source, limit)(size)


def too_large(source: str, limit: int) -> Callable[[int | None], PayloadTooLargeError]:
    """The refusal of a file over ``limit`` bytes, its size known or not (a pipe, a device)."""

    def refusal(size: int | None) -> PayloadTooLargeError:
        what = "holds more than" if size is None else f"is {size / MB:.1f} MB, more than"
        return PayloadTooLargeError(f"Nothing was imported from {source}: it {what} the {limit // MB} MB "
                                    "Mutual imports at once; split it into smaller files.")

    return refusal


def with_progress(items: Iterable[T], total: int, on_progress: Progress | None) -> Iterator[T]:
    """Pass ``items`` through, calling ``on_progress(done, total)`` every PROGRESS_EVERY and at the end."""
    if on_progress is None:
        yield from items
        return
    done = 0
    on_progress(0, total)
    for item in items:
        yield item
        done += 1
        if done % PROGRESS_EVERY == 0:
            on_progress(done, max(total, done))
    on_progress(done, max(total, done))


@contextmanager
def one_commit(store: Store) -> Iterator[None]:
    """Several store operations as one atomic commit: all of them reach the disk, or none."""
    with store.batch():
        yield


def add_tags_found(store: Store, contact_ids: Sequence[str], found: Sequence[list[str]]) -> None:
    """Each imported contact gets the tags its row or card carried (Labels, CATEGORIES), added to its own."""
    for contact_id, tags in zip(contact_ids, found, strict=True):
        if tags:
            contact = store.people.get(contact_id)
            if {fold(t) for t in tags} - {fold(t) for t in contact.tags}:
                store.people.set_tags(contact_id, [*contact.tags, *tags])
