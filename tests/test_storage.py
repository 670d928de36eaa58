"""The journaled TinyDB storage: what it writes, how it recovers, that it is still TinyDB."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import JSONStorage, MemoryStorage

from networking_app.errors import StoreBusyError, StoreCorruptError
from networking_app.storage import JournaledStorage, MutualDB

ROOT = Path(__file__).resolve().parent.parent


def open_db(folder: Path, **options) -> MutualDB:
    return MutualDB(folder / "mutual.json", **options)


def test_a_change_appends_only_the_touched_document_to_the_journal(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    people = db.table("people")
    people.insert_multiple({"name": f"p{i}", "bio": "x" * 200} for i in range(2000))
    db.storage.compact()
    assert not (tmp_path / "mutual.journal").exists()  # folded: removed, never emptied in place
    people.update({"name": "changed"}, doc_ids=[1500])
    grown = (tmp_path / "mutual.journal").stat().st_size
    assert 0 < grown < 400  # one ~250-byte document, not the 500 KB table
    assert open_db(tmp_path).table("people").get(doc_id=1500)["name"] == "changed"


def test_a_torn_last_record_is_ignored_then_cut_before_the_next_write(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    db.table("t").insert({"n": 1})
    db.close()
    journal = tmp_path / "mutual.journal"
    good = journal.read_bytes()
    journal.write_bytes(good + b'0badc0de [["t","2",{"n":')  # a kill in the middle of an append
    reopened = open_db(tmp_path)
    assert [d["n"] for d in reopened.table("t").all()] == [1]
    reopened.table("t").insert({"n": 3})
    lines = journal.read_bytes().split(b"\n")
    assert b"0badc0de" not in journal.read_bytes()
    assert len([line for line in lines if line]) == 2
    assert [d["n"] for d in open_db(tmp_path).table("t").all()] == [1, 3]


def test_a_damaged_record_followed_by_good_ones_is_corruption_and_nothing_is_rewritten(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    for n in range(3):
        db.table("t").insert({"n": n})
    db.close()
    journal = tmp_path / "mutual.journal"
    lines = journal.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b'"n":0', b'"n":7')  # a flipped byte in the first record
    journal.write_bytes(b"\n".join(lines))
    damaged = journal.read_bytes()
    with pytest.raises(StoreCorruptError, match="mutual.journal"):
        open_db(tmp_path).table("t").all()
    assert journal.read_bytes() == damaged


@pytest.mark.parametrize("damage", ["a flipped byte", "a line of zeros", "an empty line"])
def test_a_damaged_complete_last_record_is_corruption_not_a_torn_tail(tmp_path: Path, damage: str) -> None:
    db = open_db(tmp_path)
    for n in range(3):
        db.table("t").insert({"n": n})
    db.close()
    journal = tmp_path / "mutual.journal"
    lines = journal.read_bytes().split(b"\n")  # three records, then the empty text after the last newline
    if damage == "a flipped byte":
        lines[2] = lines[2].replace(b'"n":2', b'"n":9')
    elif damage == "a line of zeros":
        lines[2] = b"\0" * len(lines[2])
    else:
        lines[2] = b""
    journal.write_bytes(b"\n".join(lines))  # the newline is there: no crash tears a line like that
    damaged = journal.read_bytes()
    with pytest.raises(StoreCorruptError, match="mutual.journal"):
        open_db(tmp_path).table("t").all()
    with pytest.raises(StoreCorruptError, match="fails its checksum"):
        open_db(tmp_path).table("t").insert({"n": 3})  # a writer is refused too: nothing is cut or written over
    assert journal.read_bytes() == damaged


def test_replaying_a_journal_already_folded_into_the_snapshot_changes_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    t = db.table("t")
    first = t.insert({"n": 1})
    t.insert({"n": 2})
    t.remove(doc_ids=[first])
    t.truncate()
    t.insert({"n": 3})
    journal = (tmp_path / "mutual.journal").read_bytes()
    db.storage.compact()
    db.close()
    # a crash after the new snapshot was renamed in but before the journal was emptied
    (tmp_path / "mutual.journal").write_bytes(journal)
    assert [d["n"] for d in open_db(tmp_path).table("t").all()] == [3]


def test_the_journal_is_folded_into_a_new_snapshot_once_it_grows(tmp_path: Path) -> None:
    db = open_db(tmp_path, compact_min_bytes=10_000, compact_ratio=0.1)
    for n in range(200):
        db.table("t").insert({"n": n, "pad": "y" * 100})
    assert db.storage.journal_bytes < 10_000
    snapshot = json.loads((tmp_path / "mutual.json").read_text())
    assert len(snapshot["t"]) > 50  # earlier inserts now live in the snapshot
    assert len(open_db(tmp_path).table("t")) == 200


def test_a_failing_transaction_leaves_nothing_in_memory_or_on_disk(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    t = db.table("t")
    t.insert({"n": 1})
    with pytest.raises(RuntimeError):
        with db.storage.transaction():
            t.insert({"n": 2})
            t.update({"n": 10}, doc_ids=[1])
            raise RuntimeError("boom")
    assert [d["n"] for d in t.all()] == [1]
    assert [d["n"] for d in open_db(tmp_path).table("t").all()] == [1]


def test_files_and_folder_are_readable_by_the_user_only(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    db = open_db(folder)
    db.table("t").insert({"secret": "phone numbers"})
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("mutual.json", "mutual.journal", "mutual.lock"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


def test_a_snapshot_is_plain_tinydb_json_both_ways(tmp_path: Path) -> None:
    plain = TinyDB(tmp_path / "mutual.json")  # a store from plain TinyDB
    plain.table("t").insert({"n": 1})
    plain.close()
    db = open_db(tmp_path)
    assert [d["n"] for d in db.table("t").all()] == [1]
    db.table("t").insert({"n": 2})
    db.storage.compact()
    db.close()
    again = TinyDB(tmp_path / "mutual.json", storage=JSONStorage)
    assert [d["n"] for d in again.table("t").all()] == [1, 2]


def test_a_writer_waiting_too_long_for_the_lock_gets_a_plain_busy_error(tmp_path: Path) -> None:
    open_db(tmp_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(30)", str(tmp_path / "mutual.lock")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        db = open_db(tmp_path, lock_timeout=0.3)
        with pytest.raises(StoreBusyError, match="try again"):
            db.table("t").insert({"n": 1})
        assert db.table("t").all() == []
    finally:
        holder.kill()
        holder.wait()


# -- differential test: the same random operations on plain TinyDB and on ours ------------
_docs = st.fixed_dictionaries({"k": st.integers(0, 4), "v": st.text(max_size=8)})
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), _docs),
        st.tuples(st.just("insert_multiple"), st.lists(_docs, max_size=3)),
        st.tuples(st.just("update"), st.integers(0, 4), st.text(max_size=8)),
        st.tuples(st.just("update_ids"), st.integers(1, 8), st.text(max_size=8)),
        st.tuples(st.just("remove"), st.integers(0, 4)),
        st.tuples(st.just("remove_ids"), st.integers(1, 8)),
        st.tuples(st.just("upsert"), _docs),
        st.tuples(st.just("truncate")),
        st.tuples(st.just("reopen")),
        st.tuples(st.just("compact")),
    ),
    max_size=25,
)


def _apply(db, op) -> object:
    t, q = db.table("t"), Query()
    kind = op[0]
    if kind == "insert":
        return t.insert(op[1])
    if kind == "insert_multiple":
        return t.insert_multiple(op[1])
    if kind == "update":
        return sorted(t.update({"v": op[2]}, q.k == op[1]))
    if kind == "update_ids":
        return sorted(t.update({"v": op[2]}, doc_ids=[op[1]])) if t.contains(doc_id=op[1]) else None
    if kind == "remove":
        return sorted(t.remove(q.k == op[1]))
    if kind == "remove_ids":
        return t.remove(doc_ids=[op[1]])
    if kind == "upsert":
        return t.upsert(op[1], q.k == op[1]["k"])
    if kind == "truncate":
        return t.truncate()
    return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_ops)
def test_every_tinydb_table_operation_behaves_as_with_plain_tinydb_and_persists(tmp_path_factory, ops) -> None:
    folder = tmp_path_factory.mktemp("diff")
    ours, reference = open_db(folder), TinyDB(storage=MemoryStorage)
    for op in ops:
        if op[0] == "reopen":  # both forget their cached next id, as TinyDB does on reopen
            ours.close()
            ours = open_db(folder)
            data = reference.storage.read()
            reference = TinyDB(storage=MemoryStorage)
            reference.storage.write(data)
            continue
        if op[0] == "compact":
            ours.storage.compact()
            continue
        assert _apply(ours, op) == _apply(reference, op), op
        assert _table(ours) == _table(reference)
    ours.close()
    assert _table(open_db(folder)) == _table(reference)


def _table(db) -> dict[int, dict]:
    return {doc.doc_id: dict(doc) for doc in db.table("t").all()}


def test_storage_refuses_a_missing_snapshot_beside_a_journal(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    db.table("t").insert({"n": 1})
    db.close()
    os.remove(tmp_path / "mutual.json")
    with pytest.raises(StoreCorruptError, match="missing"):
        JournaledStorage(tmp_path / "mutual.json")
    assert not (tmp_path / "mutual.json").exists()


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),  # JSON-safe numbers (orjson: 64-bit)
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8),
                       st.dictionaries(st.integers(0, 10**6).map(str), st.dictionaries(st.text(max_size=6), _json_values,
                                                                                        max_size=4), max_size=4),
                       max_size=4))
def test_the_line_layout_snapshot_reads_back_exactly_and_plain_json_agrees(tables) -> None:
    from networking_app.storage import LazyTable, decode_snapshot, encode_snapshot

    raw = encode_snapshot({name: LazyTable(dict(docs)) for name, docs in tables.items()})
    assert json.loads(raw) == tables  # plain TinyDB (json) reads the same tables
    decoded, native = decode_snapshot(raw)
    assert {name: t.plain() for name, t in decoded.items()} == tables
    # Mutual's own names always split fast; a name with a quote, a backslash or a colon may take the full parse
    assert native or any(c in name for name in tables for c in '"\\:')


# -- reading without the lock: one state that existed, without waiting for writers --------------
def _store_with_folds(folder: Path) -> MutualDB:
    writer = open_db(folder)
    writer.table("t").insert({"n": 1})
    writer.storage.compact()
    writer.table("t").insert({"n": 2})  # the snapshot holds 1, the journal 2
    return writer


def test_a_fold_between_reading_the_snapshot_and_the_journal_is_noticed_and_read_again(tmp_path: Path) -> None:
    writer = _store_with_folds(tmp_path)
    reader = open_db(tmp_path)
    journal, read = reader.storage.journal, reader.storage.journal.read

    def fold_first(*args, **kwargs):  # another process, right after the reader read the old snapshot
        if not writer_done:
            writer_done.append(True)
            writer.table("t").insert({"n": 3})
            writer.storage.compact()  # a new snapshot with 1, 2, 3; the journal removed
            writer.table("t").insert({"n": 4})  # a new journal: 4
        return read(*args, **kwargs)

    writer_done: list[bool] = []
    journal.read = fold_first  # type: ignore[method-assign]
    assert sorted(d["n"] for d in reader.table("t").all()) == [1, 2, 3, 4]  # never 1 and 4 alone


def test_a_fold_while_reading_on_in_the_journal_is_noticed_and_read_again(tmp_path: Path) -> None:
    writer = _store_with_folds(tmp_path)
    reader = open_db(tmp_path)
    assert sorted(d["n"] for d in reader.table("t").all()) == [1, 2]
    writer.table("t").insert({"n": 3})  # the reader will read on from where it stopped
    journal, read = reader.storage.journal, reader.storage.journal.read

    def fold_first(*args, **kwargs):
        journal.read = read  # type: ignore[method-assign]
        writer.storage.compact()
        writer.table("t").insert({"n": 4, "pad": "x" * 50})
        writer.table("t").insert({"n": 5})
        return read(*args, **kwargs)

    journal.read = fold_first  # type: ignore[method-assign]
    assert sorted(d["n"] for d in reader.table("t").all()) == [1, 2, 3, 4, 5]


def test_readers_never_take_the_lock_and_see_every_commit_before_they_began(tmp_path: Path) -> None:
    writer = _store_with_folds(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(30)", str(tmp_path / "mutual.lock")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        reader = open_db(tmp_path, lock_timeout=0.2)  # waiting for the lock would fail: busy
        assert sorted(d["n"] for d in reader.table("t").all()) == [1, 2]
    finally:
        holder.kill()
        holder.wait()
    writer.close()


@pytest.mark.parametrize("raw", [
    b'{\n"t":{\n"1":{"a":1},\n}x\n}\n',  # a table closed oddly
    b'{\n"t":{\n"1":{"a":1}\n}\n}',  # no final newline
    b'{\n"t":{\n"1":{"a":1}\n}\n\n}\n',  # an empty line between tables
])
def test_a_snapshot_laid_out_otherwise_is_parsed_whole_or_refused(raw: bytes) -> None:
    from networking_app.storage import decode_snapshot

    try:
        expected = json.loads(raw)
    except ValueError:
        with pytest.raises(ValueError):
            decode_snapshot(raw)
        return
    decoded, native = decode_snapshot(raw)
    assert not native and {name: t.plain() for name, t in decoded.items()} == expected


def test_a_quote_in_a_name_is_read_by_the_full_parse() -> None:
    from networking_app.storage import LazyTable, decode_snapshot, encode_snapshot

    tables = {'a":{b': {"1": {"x": '"1":{'}}, "t": {'k":{"2': {"y": 2}}}
    decoded, native = decode_snapshot(encode_snapshot({n: LazyTable(dict(d)) for n, d in tables.items()}))
    assert {name: t.plain() for name, t in decoded.items()} == tables and not native


def test_the_snapshot_written_in_chunks_is_the_snapshot_written_whole(monkeypatch) -> None:
    from networking_app.storage import LazyTable, decode_snapshot, encode_snapshot, snapshot

    monkeypatch.setattr(snapshot, "CHUNK", 64)  # many chunks, some holding one document
    tables = {"contacts": {str(i): {"id": f"c{i}", "given": "王伟" if i % 2 else "Λένα", "note": "x" * i}
                           for i in range(1, 40)},
              "empty": {}, "events": {"7": {"id": "e", "name": "Meetup"}}}
    lazy = {name: LazyTable(dict(docs)) for name, docs in tables.items()}
    chunks = list(snapshot.snapshot_chunks(lazy))
    assert len(chunks) > 10
    whole = b"".join(chunks)
    assert whole == encode_snapshot(lazy)
    decoded, native = decode_snapshot(whole)
    assert native and {name: dict(t.plain()) for name, t in decoded.items()} == tables
    import json
    assert json.loads(whole) == tables  # plain TinyDB (any JSON reader) reads it as before


def test_a_long_transaction_holds_what_it_wrote_encoded_and_edits_it_as_before(tmp_path: Path) -> None:
    """A 50,000-card import writes in one transaction: its documents wait for the commit as JSON
    (~30 MB), not as dicts (~110 MB); reading and editing them inside it works as before."""
    db = open_db(tmp_path)
    people = db.table("people")
    with db.storage.transaction():
        ids = [people.insert({"name": f"p{i}", "tags": ["a"]}) for i in range(50)]
        raw = db.storage.read()["people"]
        assert all(isinstance(raw._docs[str(i)], bytes) for i in ids)
        people.update({"name": "changed"}, doc_ids=[ids[3]])
        assert people.get(doc_id=ids[3])["name"] == "changed"
        assert isinstance(raw._docs[str(ids[3])], bytes)
    assert open_db(tmp_path).table("people").get(doc_id=ids[3]) == {"name": "changed", "tags": ["a"]}
    assert len(open_db(tmp_path).table("people")) == 50
