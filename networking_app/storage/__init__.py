"""A TinyDB storage whose writes cost what changed, and never lose a commit.

TinyDB's ``JSONStorage`` rewrites the whole file in place on every change: at
10,000 contacts that is ~300 ms a write, and a kill or a full disk in the middle
leaves an unreadable file (``../shared/store-notes.md``). Here the data lives in
two files next to each other:

``mutual.json``
    a snapshot in TinyDB's own JSON layout with one document per line
    (:mod:`.snapshot`), only ever replaced atomically (temp file, fsync, rename,
    fsync of the folder);
``mutual.journal``
    an append-only log of the documents changed since that snapshot
    (:mod:`.journal`). One transaction is one line ``<crc32> <json ops>\\n``,
    fsynced before the transaction returns. A torn last line (a kill mid-append)
    fails its checksum and is ignored; it was never reported as saved.

When the journal grows past a share of the snapshot it is folded into a new
snapshot. Replaying a journal onto a snapshot that already holds it is harmless:
every op stores a whole document (or its absence), so a crash between the two
steps of that folding loses nothing.

A file lock around each transaction, plus re-reading what another process
appended, lets the app and the command line write the same store at once
(:class:`JournaledStorage`). :class:`JournaledTable` is the TinyDB table that feeds
this storage the exact documents an operation touched, instead of TinyDB
rebuilding whole tables; :class:`LazyTable` keeps documents as their JSON bytes
until someone reads them.
"""

from .database import JournaledTable, MutualDB, TransactionalStorage
from .journaled_storage import JournaledStorage, Op
from .lazy_table import LazyTable, Tables
from .mirror import ChangeListener
from .snapshot import decode_snapshot, encode_snapshot
from .write_errors import write_error

__all__ = [
    "ChangeListener",
    "JournaledStorage",
    "JournaledTable",
    "LazyTable",
    "MutualDB",
    "Op",
    "Tables",
    "TransactionalStorage",
    "decode_snapshot",
    "encode_snapshot",
    "write_error",
]
