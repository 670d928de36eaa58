"""Nothing is lost: kill -9, two writers, a corrupt file, a full disk, a read-only folder.

Every test here runs real processes on the real file store.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from networking_app.errors import StoreCorruptError, StoreFullError
from networking_app.models import Card
from networking_app.storage import JournaledTable
from networking_app.store import Store
from tests.support.writer import SLOTS, slot_card

ROOT = Path(__file__).resolve().parent.parent
KILL_TRIALS = int(os.environ.get("MUTUAL_KILL_TRIALS", "40"))


def start_writer(folder: Path, seed: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.writer", str(folder), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


class Model:
    """What the store must hold, from the writes the writer reported as committed."""

    def __init__(self) -> None:
        self.slots: dict[int, str | None] = {}
        self.card: str | None = None
        self.in_flight: tuple[str, int, str] | None = None
        self.note_unsure: set[int] = set()  # a put cut between its scan and its note

    def feed(self, lines: list[str]) -> None:
        pending: dict[str, tuple[str, int, str]] = {}
        for line in lines:
            parts = line.rstrip("\n").split(" ", 4)
            if parts[0] == "begin" and len(parts) == 5:
                pending[parts[1]] = (parts[2], int(parts[3]), parts[4])
                self.in_flight = pending[parts[1]]
            elif parts[0] == "ok" and parts[1] in pending:
                self.apply(*pending.pop(parts[1]))
                self.in_flight = None

    def apply(self, op: str, slot: int, value: str) -> None:
        if op == "put":
            self.slots[slot] = value
            self.note_unsure.discard(slot)
        elif op == "del":
            self.slots[slot] = None
        elif op == "card":
            self.card = value


def check_store_matches(folder: Path, model: Model) -> None:
    store = Store.open(folder, daily_backup=False)
    try:
        flight_op, flight_slot, flight_value = model.in_flight or ("", -1, "")
        for slot in range(SLOTS):
            found = store.people.find_known(slot_card(slot, ""))
            actual = found.title if found else None
            expected = model.slots.get(slot)
            if slot == flight_slot and flight_op in ("put", "del"):
                allowed = {expected, flight_value if flight_op == "put" else None}
                assert actual in allowed, (slot, actual, allowed)
                model.slots[slot] = actual  # the write in flight landed or not: both are fine
                model.note_unsure.add(slot)
                continue
            assert actual == expected, (slot, actual, expected)
            if found and slot not in model.note_unsure:
                needs = {m.need for m in store.meetings.of(found.id)}
                assert expected in needs, (slot, expected, needs)
        card = store.cards.default()
        allowed_cards = {model.card} | ({flight_value} if flight_op == "card" else set())
        assert (card.title if card else None) in allowed_cards
        model.card = card.title if card else None
        model.in_flight = None
    finally:
        store.close()


@pytest.mark.slow  # a crash campaign
def test_kill_9_at_random_moments_loses_no_committed_write(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    folder = tmp_path / "data"
    model = Model()
    committed = 0
    for trial in range(KILL_TRIALS):
        proc = start_writer(folder, seed=trial)
        time.sleep(rng.uniform(0.002, 0.25))
        proc.send_signal(signal.SIGKILL)
        lines = proc.stdout.readlines()  # type: ignore[union-attr]
        proc.wait()
        model.feed(lines)
        committed += sum(1 for line in lines if line.startswith("ok "))
        check_store_matches(folder, model)  # opens: never corrupt, nothing committed lost
    assert committed > KILL_TRIALS  # the kills landed among real writes


COUNTER_SCRIPT = """
import sys
from pathlib import Path
from networking_app.models import Card
from networking_app.storage import JournaledTable
from networking_app.store import Store
folder, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = Store.open(folder, daily_backup=False, compact_min_bytes=8192, compact_ratio=0.1)
counters = JournaledTable(store._storage, "counters")
for i in range(n):
    with store._storage.transaction():          # read-modify-write of one shared document
        doc = counters.get(doc_id=1)
        counters.update({"n": doc["n"] + 1}, doc_ids=[1])
    store.people.record_scan(Card(given=who, family=str(i), emails=[f"{who}{i}@example.org"]), event_id="")
print("done", flush=True)
"""


def test_two_processes_writing_at_once_lose_no_update(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        JournaledTable(store._storage, "counters").insert({"n": 0})
    per_writer = 150
    procs = [
        subprocess.Popen([sys.executable, "-c", COUNTER_SCRIPT, str(folder), who, str(per_writer)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for who in ("left", "right")
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    with Store.open(folder, daily_backup=False) as store:
        assert JournaledTable(store._storage, "counters").get(doc_id=1)["n"] == 2 * per_writer
        names = {c.full_name for c in store.people.all()}
    assert len(names) == 2 * per_writer


def test_a_second_store_in_the_same_process_sees_the_first_ones_writes(tmp_path: Path) -> None:
    with Store.open(tmp_path, daily_backup=False) as app, Store.open(tmp_path, daily_backup=False) as cli:
        cli.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")
        assert [c.full_name for c in app.people.all()] == ["Ada Byron"]
        app.people.record_scan(Card(given="Grace", family="Hopper", emails=["grace@example.org"]), event_id="")
        assert {c.full_name for c in cli.people.all()} == {"Ada Byron", "Grace Hopper"}


def test_an_unreadable_store_is_refused_untouched_and_names_the_newest_good_backup(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        good = store.backup(reason="manual")
    (tmp_path / "backups" / "mutual-29990101T000000000000Z-broken.json").write_text("{not json")
    damaged = b'{"contacts": {"1": {"id": "x", "giv'
    (tmp_path / "mutual.json").write_bytes(damaged)
    (tmp_path / "mutual.journal").write_bytes(b"")
    with pytest.raises(StoreCorruptError) as caught:
        Store.open(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "mutual.json") in message
    assert str(good) in message  # the newest *good* one, not the newer broken file
    assert (tmp_path / "mutual.json").read_bytes() == damaged


def test_a_damaged_last_journal_record_refuses_to_open_names_the_backup_and_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        good = store.backup(reason="manual")
        store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="")
    journal = tmp_path / "mutual.journal"
    damaged = journal.read_bytes().replace(b'"Bob"', b'"Rob"')  # the last line, newline and all
    journal.write_bytes(damaged)
    before = {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for _ in range(2):  # before, the damaged line was dropped, then written over by the next write
        with pytest.raises(StoreCorruptError) as caught:
            Store.open(tmp_path)
        assert "mutual.journal" in str(caught.value) and str(good) in str(caught.value)
    assert {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


READ_COMMANDS = [("contacts", "--json"), ("export", "-o", "{out}/all.json", "--format", "json"),
                 ("export", "-o", "{out}/all.vcf"), ("backup", "--json"), ("followups",)]


def test_reading_commands_answer_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    from networking_app.cli import run

    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:  # so the first command's open writes the daily backup
        store.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(60)", str(folder / "mutual.lock")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        for command in READ_COMMANDS:
            out, err = io.StringIO(), io.StringIO()
            code = run(["--data-dir", str(folder), *(a.format(out=tmp_path) for a in command)], out, err)
            assert code == 0, (command, err.getvalue())  # waiting for the lock ends in "busy" after 10 s
        assert "ada@example.org" in out.getvalue() or "Byron" in (tmp_path / "all.json").read_text()
        assert "Ada" in (tmp_path / "all.vcf").read_text()
        assert len(list((folder / "backups").iterdir())) == 2  # the daily one, and the one asked for
    finally:
        holder.kill()
        holder.wait()


def test_an_empty_store_file_is_corruption_not_an_empty_store(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    (tmp_path / "mutual.json").write_bytes(b"")
    with pytest.raises(StoreCorruptError, match="empty"):
        Store.open(tmp_path)
    assert (tmp_path / "mutual.json").read_bytes() == b""


def test_a_disk_full_mid_write_fails_cleanly_and_keeps_every_earlier_write(tmp_path: Path, monkeypatch) -> None:
    import networking_app.storage.journal as journal_module

    store = Store.open(tmp_path, daily_backup=False)
    kept = store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
    real_write_all = journal_module.write_all

    def half_then_enospc(fd: int, data: bytes, offset: int | None = None) -> None:
        real_write_all(fd, data[: len(data) // 2], offset)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_module, "write_all", half_then_enospc)
    with pytest.raises(StoreFullError, match="full"):
        store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="")
    assert [c.full_name for c in store.people.all()] == ["Ada"]  # memory rolled back too
    monkeypatch.setattr(journal_module, "write_all", real_write_all)
    store.people.record_scan(Card(given="Cy", emails=["cy@example.org"]), event_id="")  # space is back
    store.close()
    with Store.open(tmp_path, daily_backup=False) as reopened:
        assert {c.full_name for c in reopened.people.all()} == {"Ada", "Cy"}
        assert reopened.meetings.get(kept.meeting.id).contact_id == kept.contact.id


def _unshare_available() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


needs_mount_namespace = pytest.mark.skipif(not _unshare_available(), reason="needs unshare (Linux user+mount namespaces)")

FS_SCRIPT = ROOT / "tests" / "support" / "small_filesystem.py"


@needs_mount_namespace
def test_a_really_full_disk_refuses_the_write_and_keeps_the_store_readable(tmp_path: Path) -> None:
    result = _in_small_fs(tmp_path, "full")
    assert result["first_error"].startswith("StoreFullError: The disk holding")
    assert result["saved"] > 5
    assert result["reopened_contacts"] == result["saved"]  # every acknowledged contact is there
    assert result["after_freeing_space"] == "saved"


@needs_mount_namespace
def test_a_read_only_data_folder_still_opens_and_refuses_writes_plainly(tmp_path: Path) -> None:
    result = _in_small_fs(tmp_path, "readonly")
    assert result["contacts"] == ["Ada"]
    assert result["write_error"].startswith("StoreReadOnlyError: Mutual cannot write to")


def _in_small_fs(tmp_path: Path, scenario: str) -> dict:
    mount = tmp_path / "mnt"
    mount.mkdir()
    proc = subprocess.run(
        ["unshare", "-rm", sys.executable, str(FS_SCRIPT), str(mount), scenario],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)),
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
