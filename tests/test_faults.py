"""Faults a person meets, seen from what they type: a full disk and a read-only data folder.

Each command must answer with one plain sentence (never "Something unexpected went wrong") and
keep every byte of the data. tests/test_durability.py checks the store itself under the same
faults (and kill -9, and two writers); this checks the command line on a real tiny tmpfs, plus
the writes made of two steps (a commit, then folding the journal) under a failing disk.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import networking_app.backups as backups_module
import networking_app.storage.journal as journal_module
import networking_app.storage.journaled_storage as storage_module
from networking_app.errors import MutualError, StoreFullError
from networking_app.models import Card
from networking_app.store import Store
from tests.support.namespaces import needs_mount_namespace

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "support" / "fault_filesystem.py"
UNEXPECTED = "Something unexpected went wrong"




@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    results = {}
    for scenario in ("full", "full-backed-up", "readonly"):
        base = tmp_path_factory.mktemp(scenario)
        (base / "mnt").mkdir()
        (base / "outside").mkdir()
        proc = subprocess.run(["unshare", "-rm", sys.executable, str(SCRIPT), str(base / "mnt"), scenario,
                               str(base / "outside")], cwd=ROOT, capture_output=True, text=True, timeout=180,
                              env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])))
        assert proc.returncode == 0, proc.stderr
        results[scenario] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


CASES = [(s, c) for s in ("full-backed-up", "readonly") for c in ("contacts", "scan", "note", "event start", "export")]
CASES += [("full-backed-up", "backup"), ("readonly", "backup")]


@needs_mount_namespace
@pytest.mark.parametrize("scenario, command", CASES)
def test_each_command_answers_a_full_or_read_only_disk_with_one_plain_sentence(
        scenarios: dict[str, dict], scenario: str, command: str) -> None:
    code, stderr = scenarios[scenario]["commands"][command]
    if code == 0:
        return  # e.g. reading, or a write that still found room in the journal's last block
    assert code == 1 and stderr and "\n" not in stderr and UNEXPECTED not in stderr, stderr
    assert ("full" in stderr) if scenario.startswith("full") else ("read-only" in stderr), stderr


@needs_mount_namespace
@pytest.mark.parametrize("scenario", ["full", "full-backed-up", "readonly"])
def test_a_full_or_read_only_disk_keeps_every_person(scenarios: dict[str, dict], scenario: str) -> None:
    result = scenarios[scenario]
    scanned = result["commands"]["scan"][0] == 0
    assert result["after"] == sorted(result["before"] + (["Dee Long"] if scanned else []))


@needs_mount_namespace
def test_a_full_disk_on_the_day_a_backup_is_due_still_lets_every_command_answer_plainly(
        scenarios: dict[str, dict]) -> None:
    for command, (_code, stderr) in scenarios["full"]["commands"].items():
        assert UNEXPECTED not in stderr, (command, stderr)
    assert scenarios["full"]["commands"]["contacts"][0] == 0


# -- in process: a disk that fails on one kind of write --------------------------------------------------------
def enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_folding_the_journal_on_a_full_disk_never_fails_a_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path, daily_backup=False, compact_min_bytes=1024, compact_ratio=0.01)
    monkeypatch.setattr(storage_module, "atomic_write", enospc)  # snapshots cannot be written; the journal can
    for i in range(60):
        store.people.record_scan(Card(given=f"P{i}", emails=[f"p{i}@example.org"], note="n" * 200), event_id="")
    assert store._storage.journal_bytes > 1024  # it tried to fold and kept going
    store.close()
    monkeypatch.undo()
    with Store.open(tmp_path, daily_backup=False) as reopened:
        assert len(reopened.people.all()) == 60


def test_an_import_on_a_full_disk_adds_nobody_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path, daily_backup=False)
    store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
    monkeypatch.setattr(journal_module, "write_all", enospc)
    with pytest.raises(StoreFullError, match="is full: this change was not saved"):
        store.people.import_cards([Card(given=f"P{i}", emails=[f"p{i}@example.org"]) for i in range(50)])
    assert [c.full_name for c in store.people.all()] == ["Ada"]
    store.close()


def test_a_deletion_on_a_full_disk_is_either_done_or_reported_as_not_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path, daily_backup=False)
    bob = store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="").contact
    monkeypatch.setattr(storage_module, "atomic_write", enospc)
    try:
        store.people.delete(bob.id)
        done, said_not_saved = True, False
    except MutualError as exc:
        done, said_not_saved = False, "not saved" in str(exc)
    still_there = store.people.find_known(Card(emails=["bob@example.org"])) is not None
    store.close()
    assert (done and not still_there) or (said_not_saved and still_there)


def test_opening_the_store_when_the_daily_backup_cannot_be_written_still_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
    monkeypatch.setattr(backups_module, "atomic_write", enospc)
    with Store.open(tmp_path) as store:
        assert [c.full_name for c in store.people.all()] == ["Ada"]
