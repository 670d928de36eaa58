"""Whole-store backups (networking_app.backups): one verified file each, rotated, refused whole
when damaged. Restoring one into a store is in test_store.py and test_interop.py."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networking_app.backups import KEEP, Backups, decode_backup, encode_backup, tables_digest
from networking_app.errors import ImportFormatError, SchemaTooNewError
from networking_app.migrations import SCHEMA_VERSION
from tests.support.backup_files import hash_valid

TABLES = {"contacts": {"1": {"id": "c1", "given": "Zoë", "emails": ["zoe@example.org"]}},
          "meta": {"1": {"schema": SCHEMA_VERSION, "current_event_id": ""}}}


# -- the file ----------------------------------------------------------------------------------------------
def test_a_backup_names_its_format_and_counts(tmp_path: Path) -> None:
    envelope = json.loads(encode_backup({"contacts": {"1": {"id": "a"}}, "meta": {"1": {"schema": 1}}}))
    assert envelope["format"] == "mutual-backup" and envelope["format_version"] == 1
    assert envelope["counts"] == {"contacts": 1, "meta": 1} and len(envelope["sha256"]) == 64


def test_the_checksum_does_not_depend_on_the_order_of_keys() -> None:
    reordered = {"meta": TABLES["meta"], "contacts": {"1": dict(reversed(list(TABLES["contacts"]["1"].items())))}}
    assert tables_digest(reordered) == tables_digest(TABLES)
    assert tables_digest({**TABLES, "meta": {"1": {"schema": 1}}}) != tables_digest(TABLES)


def envelope_with(**changes: object) -> bytes:
    envelope = json.loads(encode_backup(TABLES))
    envelope.update(changes)
    return json.dumps(envelope).encode()


@pytest.mark.parametrize("data, says", [
    (b"BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD\r\n", "old.json is not a Mutual backup."),
    (encode_backup(TABLES)[:-40], "old.json is damaged or incomplete: it is not valid JSON."),
    (b'{"format": "another-app"}', "old.json is not a Mutual backup."),
    (b'{"format": "mutual-backup", "format_version": 1}', "old.json is damaged: its version is missing."),
    (envelope_with(tables={"contacts": ["c1"]}), "old.json is damaged: its tables are malformed."),
    (envelope_with(counts={"contacts": 2, "meta": 1}), "old.json is damaged: its contents do not match its checksum."),
    (encode_backup(TABLES).replace("Zoë".encode(), b"Zoe"), "old.json is damaged: its contents do not match its checksum."),
], ids=["a-vcard", "cut-short", "another-format", "no-version", "malformed-tables", "wrong-counts", "changed-byte"])
def test_a_damaged_or_foreign_file_is_refused_whole_in_a_sentence_naming_it(data: bytes, says: str) -> None:
    with pytest.raises(ImportFormatError) as refused:
        decode_backup(data, "old.json")
    assert str(refused.value) == says


@pytest.mark.parametrize("changes", [{"format_version": 2}, {"schema": SCHEMA_VERSION + 1}])
def test_a_backup_from_a_newer_mutual_is_refused_asking_for_an_update(changes: dict[str, int]) -> None:
    with pytest.raises(SchemaTooNewError, match=r"^new\.json was made by a newer Mutual .*update Mutual to restore it\. "
                                                r"Nothing was changed\.$"):
        decode_backup(envelope_with(**changes), "new.json")


json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
tables_strategy = st.dictionaries(
    st.sampled_from(["contacts", "meetings", "events", "followups", "intros", "cards"]),
    st.dictionaries(st.integers(1, 999).map(str), st.dictionaries(st.text(max_size=8), json_values, max_size=5), max_size=4),
    max_size=4,
).map(lambda tables: {**tables, "meta": {"1": {"schema": 1, "current_event_id": ""}}})


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(tables_strategy, st.data())
def test_a_backup_gives_back_exactly_its_tables_or_is_refused_whole(tables: dict, data: st.DataObject) -> None:
    encoded = encode_backup(tables)
    assert decode_backup(encoded) == tables
    position = data.draw(st.integers(0, len(encoded) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != encoded[position]))
    damaged = encoded[:position] + bytes([byte]) + encoded[position + 1:]
    try:
        decoded = decode_backup(damaged)
    except (ImportFormatError, SchemaTooNewError) as error:
        assert str(error).endswith(".")
        return
    assert decoded == tables  # a changed byte outside the tables (a date, a space) changes nothing


# -- the folder of backups ------------------------------------------------------------------------------------
def test_backups_rotate_and_the_newest_good_one_is_found(tmp_path: Path) -> None:
    backups = Backups(tmp_path, keep=3)
    made = [backups.create({"meta": {"1": {"schema": 1}}, "events": {"1": {"id": f"e{n}", "name": f"Event {n}"}}},
                           reason=f"r{n}") for n in range(5)]
    assert [b.path for b in backups.list()] == made[:1:-1]
    made[-1].write_bytes(made[-1].read_bytes()[:-20])  # damaged: truncated
    assert backups.newest_good() == made[-2]
    made[-2].write_bytes(hash_valid(made[-2].read_bytes(), lambda tables: tables["events"]["1"].pop("id")))
    assert backups.newest_good() == made[-3]  # whole, but it would not restore


def test_a_backup_is_named_by_its_time_and_reason_and_other_files_are_left_out(tmp_path: Path) -> None:
    backups = Backups(tmp_path)
    made = backups.create(TABLES, reason="Before restore!")
    assert made.parent == tmp_path and made.name.startswith("mutual-") and made.name.endswith("Z-before-restore.json")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "mutual-yesterday.json").write_bytes(made.read_bytes())
    assert [b.path for b in backups.list()] == [made]
    assert decode_backup(made.read_bytes()) == TABLES


def test_ten_backups_are_kept_by_default(tmp_path: Path) -> None:
    backups = Backups(tmp_path)
    made = [backups.create({"t": {"1": {"n": n}}}) for n in range(KEEP + 2)]
    assert KEEP == 10 and [b.path for b in backups.list()] == made[:1:-1]
    assert not made[0].exists() and not made[1].exists()


def test_the_newest_good_backup_skips_damaged_and_too_new_ones(tmp_path: Path) -> None:
    backups = Backups(tmp_path)
    assert backups.newest_good() is None  # no folder yet
    good = backups.create(TABLES)
    too_new = backups.create(TABLES)
    too_new.write_bytes(envelope_with(schema=SCHEMA_VERSION + 1))
    damaged = backups.create(TABLES)
    damaged.write_bytes(b"")
    assert backups.newest_good() == good
    good.write_bytes(good.read_bytes()[:100])
    assert backups.newest_good() is None


def test_a_backup_is_due_once_the_newest_is_a_day_old(tmp_path: Path) -> None:
    backups = Backups(tmp_path)
    assert backups.due()  # none yet
    (tmp_path / "mutual-20200101T000000000000Z-daily.json").write_bytes(encode_backup(TABLES))
    assert backups.due()
    backups.create(TABLES)
    assert not backups.due() and backups.due(every=timedelta(0))


def test_a_pipe_or_a_folder_named_like_a_backup_is_skipped_not_read(tmp_path: Path) -> None:
    import os

    backups = Backups(tmp_path)
    good = backups.create({"meta": {"1": {"schema": 1}}, "events": {"1": {"id": "e1", "name": "Event"}}}, reason="r")
    newer = good.with_name(good.name.replace("-r.json", "-s.json").replace(good.name[7:22], "20991231T000000"))
    os.mkfifo(newer)  # opening it for reading would wait for a writer for ever
    assert backups.newest_good() == good


# -- automatic backups while the app is open -------------------------------------------------------------------
def _reasons(folder: Path) -> list[str]:
    return sorted(p.name.split("Z-", 1)[-1].removesuffix(".json") for p in (folder / "backups").glob("*.json"))


def test_a_first_session_gets_its_daily_backup_once_there_is_something_to_back_up(tmp_path: Path) -> None:
    from networking_app.models import Card
    from networking_app.store import Store
    from networking_app.ui.backup_clock import keep_backed_up

    with Store.open(tmp_path / "data") as store:  # a first start: nothing yet, so no backup
        assert _reasons(tmp_path / "data") == []
        store.people.add(Card(given="Bob", emails=["bob@x.org"]))
        keep_backed_up(store, every=0.05)
        keep_backed_up(store, every=0.05)  # a second session: still one clock
        deadline = time.monotonic() + 10
        while not _reasons(tmp_path / "data") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert _reasons(tmp_path / "data") == ["daily"]  # made once: the next is due tomorrow


def test_a_merge_or_a_delete_backs_up_first_unless_a_backup_is_fresh(tmp_path: Path) -> None:
    from networking_app.models import Card
    from networking_app.store import Store

    folder = tmp_path / "data"
    with Store.open(folder) as store:
        a = store.people.add(Card(given="Ann", emails=["ann@x.org"]))
        b = store.people.add(Card(given="Ann", family="Lee", emails=["ann.lee@x.org"]))
        c = store.people.add(Card(given="Cy", emails=["cy@x.org"]))
        store.people.merge(a.id, b.id)
        assert _reasons(folder) == ["before-merge"]
        store.people.delete(c.id)  # an hour has not passed: the backup before the merge serves
        assert _reasons(folder) == ["before-merge"]
        assert len(store.backups.list()) == 1
    with Store.open(folder, daily_backup=False) as store:  # automatic backups off (tools, tests): none
        store.people.delete(a.id)
    assert _reasons(folder) == ["before-merge"]
