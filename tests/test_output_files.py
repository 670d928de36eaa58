"""Files a person names for Mutual to write: only regular files or new names, never the store's own."""

from __future__ import annotations

import io
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from networking_app.cli import run
from networking_app.errors import InvalidInputError
from networking_app.models import Card
from networking_app.output_files import write_chosen_file
from networking_app.store import Store


def cli(data: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--data-dir", str(data), *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder holding one contact and my card."""
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.people.record_scan(Card(given="Ada", family="Byron", emails=["ada@example.org"]), event_id="")
    assert cli(folder, "card", "set", "--name", "Me Myself")[0] == 0
    return folder


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_device(path: Path, kind: int) -> Path:
    """A device node like /dev/null's (1, 3), made in the test's folder; root only."""
    try:
        os.mknod(path, kind | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.vcf"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def node_kind(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


def everything_is_still_there(data: Path) -> bool:
    with Store.open(data, daily_backup=False) as store:
        return [c.full_name for c in store.people.all()] == ["Ada Byron"]


# -- special files ------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [("export", "-o"), ("card", "qr")])
def test_a_named_pipe_is_refused_and_left_a_pipe(data: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = make_fifo(tmp_path / "out.vcf")
    code, _, err = cli(data, *command, str(fifo))
    assert code == 1
    assert err.strip() == (f"{fifo} is a named pipe, not a file: Mutual writes only to a regular file "
                           "or a new name, and left it as it was.")
    assert node_kind(fifo) == stat.S_IFIFO


@pytest.mark.parametrize("command", [("export", "-o"), ("card", "qr")])
def test_a_character_device_is_refused_and_left_a_device(data: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    device = make_device(tmp_path / "null.png", stat.S_IFCHR)
    code, _, err = cli(data, *command, str(device), *(("--format", "vcf") if command[0] == "export" else ()))
    assert code == 1
    assert err.strip().startswith(f"{device} is a device, not a file:")
    assert node_kind(device) == stat.S_IFCHR and os.stat(device).st_rdev == os.makedev(1, 3)


def test_a_disk_device_and_a_socket_are_refused(data: Path, tmp_path: Path, unix_socket: Path) -> None:
    code, _, err = cli(data, "export", "-o", str(unix_socket))
    assert code == 1 and err.startswith(f"{unix_socket} is a socket, not a file:")
    assert node_kind(unix_socket) == stat.S_IFSOCK
    disk = make_device(tmp_path / "disk.vcf", stat.S_IFBLK)
    code, _, err = cli(data, "export", "-o", str(disk))
    assert code == 1 and err.startswith(f"{disk} is a disk device, not a file:")
    assert node_kind(disk) == stat.S_IFBLK


def test_a_link_to_a_pipe_is_refused_and_a_link_to_a_file_is_written_through(data: Path, tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "pipe")
    (tmp_path / "via.vcf").symlink_to(fifo)
    code, _, err = cli(data, "export", "-o", str(tmp_path / "via.vcf"))
    assert code == 1 and "is a named pipe" in err and node_kind(fifo) == stat.S_IFIFO
    real = tmp_path / "real.vcf"
    real.write_text("old")
    (tmp_path / "link.vcf").symlink_to(real)
    assert cli(data, "export", "-o", str(tmp_path / "link.vcf"))[0] == 0
    assert (tmp_path / "link.vcf").is_symlink() and "Ada Byron" in real.read_text()


def test_a_folder_is_refused_with_a_sentence(data: Path, tmp_path: Path) -> None:
    code, _, err = cli(data, "export", "-o", str(tmp_path), "--format", "vcf")
    assert code == 1 and err.strip() == f"{tmp_path} is a folder; name a file in it to write to."


def test_a_regular_file_is_replaced_and_a_new_name_created(data: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.vcf"
    old.write_text("old")
    assert cli(data, "export", "-o", str(old))[0] == 0 and "Ada Byron" in old.read_text()
    assert cli(data, "card", "qr", str(tmp_path / "new.png"))[0] == 0
    assert (tmp_path / "new.png").read_bytes().startswith(b"\x89PNG")


# -- the store's own files ----------------------------------------------------------------------
@pytest.mark.parametrize(("name", "fmt", "what"), [
    ("mutual.journal", "vcf", "Mutual's journal"),
    ("mutual.json", "json", "Mutual's data file"),
    ("mutual.lock", "csv", "Mutual's lock file"),
    ("error.log", "vcf", "Mutual's error log"),
    (".mutual.json.123.tmp", "vcf", "one of Mutual's own files"),
])
def test_the_stores_own_files_are_refused_and_the_data_kept(data: Path, name: str, fmt: str, what: str) -> None:
    target = data / name
    before = target.read_bytes() if target.exists() else None
    code, _, err = cli(data, "export", "-o", str(target), "--format", fmt)
    assert code == 1
    assert err.strip() == f"{target} is {what}: writing over it would damage your data; choose another file."
    assert (target.read_bytes() if target.exists() else None) == before
    assert everything_is_still_there(data)


def test_the_backups_and_cache_folders_are_refused_at_any_depth(data: Path) -> None:
    with Store.open(data, daily_backup=False) as store:
        backup = store.backup(reason="manual")
    kept = backup.read_bytes()
    code, _, err = cli(data, "export", "-o", str(backup))
    assert code == 1
    assert err.strip() == f"{backup} is in Mutual's backups folder, which only Mutual writes; choose another place."
    assert backup.read_bytes() == kept
    (data / "cache" / "deep").mkdir(parents=True)
    code, _, err = cli(data, "card", "qr", str(data / "cache" / "deep" / "me.png"))
    assert code == 1 and "is in Mutual's cache folder" in err
    assert not (data / "cache" / "deep" / "me.png").exists()


def test_a_link_to_the_journal_is_refused_and_a_new_file_in_the_data_folder_is_fine(data: Path, tmp_path: Path) -> None:
    (tmp_path / "contacts.vcf").symlink_to(data / "mutual.journal")
    code, _, err = cli(data, "export", "-o", str(tmp_path / "contacts.vcf"))
    assert code == 1 and "is Mutual's journal" in err
    assert everything_is_still_there(data)
    assert cli(data, "export", "-o", str(data / "contacts.vcf"))[0] == 0  # a file of the person's own


def test_another_data_folder_on_the_same_disk_is_not_protected_by_mine(data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "not-the-store"
    elsewhere.mkdir()
    target = write_chosen_file(elsewhere / "mutual.json", b"{}", data_folder=data)
    assert target.read_bytes() == b"{}"
    with pytest.raises(InvalidInputError):
        write_chosen_file(data / "MUTUAL.JSON", b"{}", data_folder=data)  # as on a case-insensitive disk
