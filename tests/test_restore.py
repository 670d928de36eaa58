"""Restoring a backup: checked whole before anything is replaced, and no write lost around it.

The backups below are made as a forger would (``tests/support/backup_files.py``): the tables
edited, then the counts and SHA-256 recomputed, so the checksum passes and only the checks of
every table and record against the models can refuse them.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networking_app.backups import Backups, decode_backup, load_backup
from networking_app.cli import run
from networking_app.errors import ImportFormatError, MutualError, SchemaTooNewError
from networking_app.interop import export_bytes
from networking_app.models import Card
from networking_app.store import Store
from tests.support.backup_files import Tables, hash_valid

TODAY = date(2026, 11, 25)


@pytest.fixture
def store(open_store) -> Store:
    store = open_store(today=lambda: TODAY)
    ada = store.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")
    store.meetings.save_note(ada.meeting.id, need="a co-founder", follow_up=TODAY + timedelta(days=3))
    store.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@example.org"]), event_id="")
    return store


def first(tables: Tables, table: str) -> dict[str, Any]:
    return next(iter(tables[table].values()))


def ada_id(tables: Tables) -> str:
    return next(d["id"] for d in tables["contacts"].values() if d["given"] == "Ada")


HOSTILE: dict[str, tuple[Callable[[Tables], object], str]] = {
    "envelope schema 1, settings schema 2": (lambda t: first(t, "meta").update(schema=2),
                                             "schema 1 outside and schema 2 in its settings"),
    "a contact without an id": (lambda t: first(t, "contacts").pop("id"), "record 1 of contacts: a contact has no valid id"),
    "a contact that is {}": (lambda t: t["contacts"].update({"1": {}}), "a contact has no valid id"),
    "emails as text": (lambda t: first(t, "contacts").update(emails="ada@example.org"), "emails of a contact must be a list"),
    "a comfort that is text": (lambda t: t.update(events={"1": {"id": "e1", "comfort": "5"}}), "must be a whole number"),
    "a follow-up naming no contact": (lambda t: first(t, "followups").update(contact_id="nobody"),
                                      "a follow-up (id "),
    "a meeting naming no contact": (lambda t: first(t, "meetings").update(contact_id="nobody"),
                                    "names a contact that is not there"),
    "a follow-up naming no meeting": (lambda t: first(t, "followups").update(meeting_id="gone"),
                                      "names a meeting that is not there"),
    "an introduction naming no helper": (lambda t: t.update(intros={"1": {"id": "i1", "seeker_id": ada_id(t),
                                                                          "helper_id": "nobody"}}),
                                         "an introduction (id i1) names a contact that is not there"),
    "a running event that is not there": (lambda t: first(t, "meta").update(current_event_id="e404"),
                                          "names an event that is not there"),
    "two contacts with one id": (lambda t: t["contacts"].update({"99": dict(first(t, "contacts"))}),
                                 "two contacts have the id"),
    "a table Mutual does not know": (lambda t: t.update(secrets={"1": {"id": "s1"}}),
                                     "a table Mutual does not know, “secrets”"),
    "a record key that is not a number": (lambda t: t["contacts"].update({"abc": t["contacts"].pop("1")}),
                                          "not a record number"),
    "settings of two records": (lambda t: t["meta"].update({"2": {"schema": 1}}), "settings (meta) must be one record"),
}


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_a_backup_that_verifies_but_breaks_the_models_is_refused_whole_and_changes_nothing(
    store: Store, shape: str
) -> None:
    edit, says = HOSTILE[shape]
    data = hash_valid(store.backup().read_bytes(), edit)
    if "schema" not in shape:
        assert decode_backup(data)  # it reads back whole: only the checks against the models refuse it
    before, backups = store.tables(), store.backups.list()
    with pytest.raises(ImportFormatError) as refused:
        store.restore_bytes(data, "crafted.json")
    sentence = str(refused.value)
    assert says in sentence and sentence.startswith("crafted.json ") and sentence.endswith("Nothing was changed.")
    assert "\n" not in sentence
    assert store.tables() == before and store.backups.list() == backups  # not even a backup of now was needed
    assert [c.given for c in store.people.all()] and store.followups.all()  # still reads: search, follow-ups
    assert store.people.all(query="ada")


def test_restored_text_is_cleaned_like_a_strangers(store: Store) -> None:
    def smuggle(tables: Tables) -> None:
        ada = next(d for d in tables["contacts"].values() if d["given"] == "Ada")
        ada.update(given="Ev\u202ee\u0007", note="line one\u0007\r\nline \u2066two", tags=["vip\u200b"],
                   unknown_field="dropped")
        first(tables, "meetings")["need"] = "help\u202e"

    data = hash_valid(store.backup().read_bytes(), smuggle)
    store.restore_bytes(data, "crafted.json")
    eve = store.people.find_known(Card(emails=["ada@example.org"]))
    assert eve is not None and (eve.given, eve.note, eve.tags) == ("Eve", "line one\nline two", ["vip"])
    assert "unknown_field" not in next(d for d in store.tables()["contacts"].values() if d["id"] == eve.id)
    assert store.meetings.of(eve.id)[0].need == "help"


def test_an_old_backup_is_migrated_then_checked(store: Store) -> None:
    def unversioned(tables: Tables) -> None:
        tables.pop("meta")
        for doc in tables["contacts"].values():
            doc.pop("tags")  # schema 0 had no tags; the migration adds them

    data = hash_valid(store.backup().read_bytes(), unversioned, schema=0)
    tables = load_backup(data)
    assert tables["meta"]["1"]["schema"] == 1 and all(d["tags"] == [] for d in tables["contacts"].values())


def test_a_restore_says_where_what_was_there_before_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        backup = store.backup(reason="manual").rename(tmp_path / "ada.json")
        store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="")
    out, err = io.StringIO(), io.StringIO()
    assert run(["--data-dir", str(folder), "import", str(backup), "--replace"], out, err) == 0, err.getvalue()
    [kept] = [b.path for b in Backups(folder / "backups").list() if b.path.name.endswith("-before-restore.json")]
    assert f"What was there before is kept in {kept}." in out.getvalue()
    assert sorted(d["given"] for d in decode_backup(kept.read_bytes())["contacts"].values()) == ["Ada", "Bob"]


def damaged_store_with_a_backup(tmp_path: Path) -> tuple[Path, Path]:
    """A store whose journal has a complete line that fails its checksum, and a good backup."""
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(formatted="Ελένη Κωνσταντίνου", emails=["eleni@example.gr"]), event_id="")
        backup = store.backup(reason="manual")
        store.people.record_scan(Card(formatted="王芳", emails=["wangfang@example.cn"]), event_id="")
    journal = folder / "mutual.journal"
    journal.write_bytes(journal.read_bytes().replace("王芳".encode(), "王五".encode()))
    return folder, backup


@pytest.mark.parametrize("command", [["restore"], ["import", "--replace"]])
def test_a_damaged_store_names_its_backup_and_putting_it_back_keeps_the_damaged_files(
        tmp_path: Path, command: list[str]) -> None:
    folder, backup = damaged_store_with_a_backup(tmp_path)
    damaged = {name: (folder / name).read_bytes() for name in ("mutual.json", "mutual.journal")}
    out, err = io.StringIO(), io.StringIO()
    assert run(["--data-dir", str(folder), "contacts"], out, err) == 1
    assert err.getvalue().count("\n") == 1 and f"`restore {backup}` puts it back" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    argv = ["--data-dir", str(folder), command[0], str(backup), *command[1:]]
    assert run(argv, out, err) == 0, err.getvalue()
    [aside] = folder.glob("damaged-*")
    assert f"What was there before is kept in {aside} (the damaged files, as they were)." in out.getvalue()
    assert {p.name: p.read_bytes() for p in aside.iterdir()} == damaged  # kept as they were
    with Store.open(folder, daily_backup=False) as store:
        assert [c.full_name for c in store.people.all()] == ["Ελένη Κωνσταντίνου"]


def test_a_refused_backup_moves_nothing_out_of_a_damaged_store(tmp_path: Path) -> None:
    folder, _ = damaged_store_with_a_backup(tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "not a backup"}', encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["--data-dir", str(folder), "restore", str(bad)], out, err) == 1
    assert err.getvalue().count("\n") == 1
    assert sorted(p.name for p in folder.iterdir()) == before and not list(folder.glob("damaged-*"))


@pytest.mark.on_disk
def test_a_write_landing_while_the_backup_of_before_is_written_waits_and_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        data = store.backup().read_bytes()
    other = Store.open(folder, daily_backup=False)  # another window, or the command line
    writer = threading.Thread(target=lambda: other.people.record_scan(
        Card(given="Zed", emails=["zed@example.org"]), event_id=""))
    create = Backups.create

    def slow_backup(self: Backups, tables: Tables, reason: str = "") -> Path:
        path = create(self, tables, reason)
        if reason == "before-restore":  # the scan is acknowledged during the restore, if it can be
            writer.start()
            writer.join(0.5)
        return path

    monkeypatch.setattr(Backups, "create", slow_backup)
    with Store.open(folder, daily_backup=False) as store:
        kept = store.restore_bytes(data, "ada.json")
        writer.join()
        other.close()
        in_store = store.people.find_known(Card(emails=["zed@example.org"])) is not None
    in_backup = any(d["given"] == "Zed" for d in decode_backup(kept.read_bytes())["contacts"].values())
    assert in_store or in_backup  # acknowledged: in the store, or in the backup of before
    assert in_store  # it waited for the restore to finish, and landed after it


# -- any hash-valid change: refused with a sentence, or a store every screen can read -------------------
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**18, 10**18) | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=6)
FIELDS = sorted({name for table in ("contacts", "meetings", "followups", "events", "meta") for name in
                 ("id", "given", "emails", "history", "tags", "contact_id", "meeting_id", "event_id", "due",
                  "comfort", "schema", "current_event_id", "note_status", "met_at")})


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with Store.open(tmp_path_factory.mktemp("source"), today=lambda: TODAY, daily_backup=False) as source:
        ada = source.people.record_scan(Card(given="Ada", emails=["ada@example.org"], offers="python"), event_id="")
        source.meetings.save_note(ada.meeting.id, need="funding", follow_up=TODAY)
        source.events.start("PyCon")
        source.people.record_scan(Card(given="Bob", emails=["bob@example.org"], seeking="python"))
        return source.backup().read_bytes()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["contacts", "meetings", "followups", "events", "meta"]),
                          st.sampled_from(FIELDS), st.one_of(st.just("delete"), json_values)), min_size=1, max_size=3))
def test_any_change_to_a_backup_is_refused_or_restores_a_store_every_read_works_on(
    small_backup: bytes, tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[str, str, Any]]
) -> None:
    def edit(tables: Tables) -> None:
        for table, name, value in changes:
            doc = first(tables, table)
            doc.pop(name, None) if value == "delete" else doc.__setitem__(name, value)

    data = hash_valid(small_backup, edit)
    with Store.in_memory(tmp_path_factory.getbasetemp() / "target", today=lambda: TODAY) as target:
        try:
            target.restore_bytes(data, "changed.json")
        except (ImportFormatError, SchemaTooNewError) as error:
            assert str(error).endswith("Nothing was changed.") and "\n" not in str(error)
            assert target.counts()["contacts"] == 0
            return
        for contact in target.people.all():  # what the screens and commands read
            target.meetings.of(contact.id)
            target.people.last_met(contact.id)
        target.people.all(query="ada")
        target.followups.queue()
        target.intros.suggest()
        target.events.current()
        for fmt in ("vcf", "csv", "ics", "json"):
            try:
                export_bytes(target, fmt)
            except MutualError as error:  # e.g. no follow-up with a due date for a calendar: a sentence
                assert str(error).endswith(".")
