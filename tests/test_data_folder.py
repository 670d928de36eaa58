"""Mutual touches only what it made: a data folder that holds other things keeps its mode and its files."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from networking_app.cli import run
from networking_app.durable_io import atomic_write, make_private_dir, temp_file_writer, temp_path
from networking_app.errors import StoreError
from networking_app.models import Card
from networking_app.store import Store

pytestmark = pytest.mark.on_disk


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cli(folder: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--data-dir", str(folder), *args], out, err)
    return code, out.getvalue() + err.getvalue()


def gone_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temp_files_are_named_so_they_cannot_be_mistaken() -> None:
    temp = temp_path(Path("/data/mutual.json"))
    assert temp.name == f".mutual-mutual.json.{os.getpid()}.tmp"
    assert temp_file_writer(temp.name) == os.getpid()
    for other in (".draft.tmp", ".mutual.json.tmp", ".x.123.tmp", ".mutual-x.tmp", "mutual-x.1.tmp", ".mutual-x.1.tmp~"):
        assert temp_file_writer(other) is None, other


def test_a_shared_folder_keeps_its_mode_and_everything_mutual_did_not_make(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp: everyone writes, the sticky bit
    dead = gone_pid()
    theirs = {".draft.tmp": b"someone's draft", f".sync-engine.{dead}.tmp": b"a sync engine's",
              "notes.txt": b"notes", f".report.pdf.{dead}.tmp": b"what atomic_write named temp files before"}
    for name, data in theirs.items():
        (shared / name).write_bytes(data)
    (shared / ".x.tmp").mkdir()  # a folder named like a temp file
    (shared / f".mutual-odd.{dead}.tmp").mkdir()  # even named like ours: not a file, not ours to remove
    (shared / "backups").mkdir()
    (shared / "backups" / ".their.tmp").write_bytes(b"theirs too")
    stale = shared / f".mutual-mutual.json.{dead}.tmp"  # ours, left by a write killed halfway
    live = shared / f".mutual-mutual.json.{os.getppid()}.tmp"  # ours, its writer still running
    backups_mode = mode(shared / "backups")

    for command in (("scan", "-"), ("contacts",), ("backup",), ("export", "-o", str(tmp_path / "out.vcf"))):
        stale.write_bytes(b"a snapshot copy")
        live.write_bytes(b"being written")
        stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Byron\nEMAIL:ada@example.org\nEND:VCARD\n"))
        try:
            code, said = cli(shared, *command)
        finally:
            sys.stdin = stdin
        assert code == 0, (command, said)
        assert mode(shared) == 0o1777, command
        assert not stale.exists() and live.exists(), command
        for name, data in theirs.items():
            assert (shared / name).read_bytes() == data, (command, name)
        assert (shared / ".x.tmp").is_dir() and (shared / f".mutual-odd.{dead}.tmp").is_dir()
        assert (shared / "backups" / ".their.tmp").read_bytes() == b"theirs too"
    assert mode(shared / "backups") == backups_mode


def test_a_folder_mutual_makes_is_private_and_an_existing_one_is_left_as_it_is(tmp_path: Path) -> None:
    made = tmp_path / "new" / "Mutual"
    assert make_private_dir(made) and mode(made) == 0o700
    existing = tmp_path / "existing"
    existing.mkdir()
    os.chmod(existing, 0o755)
    assert not make_private_dir(existing) and mode(existing) == 0o755
    with Store.open(existing, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        store.backup(reason="manual")  # backups/ is Mutual's own: made private
    assert mode(existing) == 0o755 and mode(existing / "backups") == 0o700
    assert mode(existing / "mutual.json") == 0o600  # the files Mutual makes stay private


def test_a_backup_never_gives_a_read_only_backups_folder_write_permission_back(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        store.backup(reason="manual")
        os.chmod(folder / "backups", 0o500)
        try:
            if os.geteuid() == 0:  # root writes anyway; the folder's mode must still not change
                store.backup(reason="manual")
            else:
                with pytest.raises(StoreError, match="backup was not written"):
                    store.backup(reason="manual")
            assert mode(folder / "backups") == 0o500
        finally:
            os.chmod(folder / "backups", 0o700)


def test_an_atomic_write_leaves_only_its_target(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write(target, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
