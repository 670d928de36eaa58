"""Files and streams a person hands Mutual: read no further than a cap, whatever their size says."""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from networking_app.cli import run
from networking_app.errors import PayloadTooLargeError
from networking_app.input_files import read_whole
from networking_app.interop.vcf import VcfFormat
from networking_app.models import Card
from networking_app.store import Store

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def refuse(size: int | None) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"too large: {size}")


class CountingReader(io.BufferedReader):
    """A file that counts the bytes asked of it."""

    asked = 0

    def read(self, size: int | None = -1) -> bytes:
        self.asked += size if size and size > 0 else 1 << 62
        return super().read(size)


def counting(path: Path) -> CountingReader:
    return CountingReader(io.FileIO(path, "r"))


# -- read_whole ---------------------------------------------------------------------------------
def test_a_regular_file_over_the_cap_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        out.truncate(700 * MB)  # sparse: its size is what is under test
    with counting(big) as file, pytest.raises(PayloadTooLargeError, match=f"^too large: {700 * MB}$"):
        read_whole(file, 512 * MB, refuse)
    assert file.asked == 0


def test_a_file_within_the_cap_is_read_whole_and_a_head_already_read_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"0123456789")
    with path.open("rb") as file:
        assert read_whole(file, 10, refuse, head=file.read(4)) == b"0123456789"  # read again from the start
    read_end, write_end = os.pipe()
    os.write(write_end, b"0123456789")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        head = stream.read(4)
        assert read_whole(stream, 10, refuse, head=head) == b"0123456789"  # a pipe continues after it


def test_an_endless_device_is_read_to_the_cap_and_one_byte_then_refused() -> None:
    with open("/dev/zero", "rb") as zero, pytest.raises(PayloadTooLargeError, match="^too large: None$"):
        read_whole(zero, 64 * 1024, refuse)


def test_a_pipe_is_read_no_further_than_the_cap_and_one_byte() -> None:
    read_end, write_end = os.pipe()
    sent = [0]
    writer = threading.Thread(target=_write_until_closed, args=(write_end, 8 * MB, sent))
    writer.start()
    with os.fdopen(read_end, "rb") as stream, pytest.raises(PayloadTooLargeError, match="^too large: None$"):
        read_whole(stream, 100_000, refuse)
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert sent[0] < 8 * MB  # the writer was turned away long before its end


def _write_until_closed(fd: int, total: int, sent: list[int]) -> None:
    chunk = b"x" * 65536
    try:
        while sent[0] < total:
            sent[0] += os.write(fd, chunk)
    except BrokenPipeError:
        pass
    finally:
        os.close(fd)


# -- the command line's inputs ------------------------------------------------------------------
def main_py(*args: str, data: Path, stdin: int | None = None, memory_mb: int = 1500) -> subprocess.Popen[bytes]:
    """``main.py`` in a process that cannot take more than ``memory_mb`` of address space: a regression
    fails with a MemoryError here instead of eating the machine's memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))

    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), *args],
                            stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limit, cwd=ROOT)


@pytest.mark.parametrize(("command", "says"), [
    (("scan", "/dev/zero"), "/dev/zero: This file is too large to be a scanned card (over 64 KB); "
                            "for a file of contacts use: import /dev/zero"),
    (("import", "/dev/zero"), "Nothing was imported from zero: Mutual cannot tell what it holds;"),
    (("restore", "/dev/zero"), "zero is not a Mutual backup; nothing was changed."),
])
def test_dev_zero_is_refused_at_once_with_a_sentence(tmp_path: Path, command: tuple[str, ...], says: str) -> None:
    proc = main_py(*command, data=tmp_path / "data")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.decode().startswith(says)


def test_scan_from_a_pipe_with_more_than_the_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    with main_py("scan", "-", data=tmp_path / "data", stdin=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        written = 0
        with contextlib.suppress(BrokenPipeError):
            while written < 400 * MB:
                proc.stdin.write(b"x" * MB)
                written += MB
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    assert written < 400 * MB  # turned away after its 64 KB, not after 400 MB
    assert proc.returncode == 1
    assert err.decode().strip() == "-: What came on standard input is too large to be a scanned card (over 64 KB)."


def test_scan_from_a_pipe_within_the_cap_saves_the_card(tmp_path: Path) -> None:
    proc = main_py("scan", "-", data=tmp_path / "data", stdin=subprocess.PIPE)
    out, err = proc.communicate(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pipe Person\r\nEMAIL:p@example.org\r\nEND:VCARD\r\n",
                                timeout=60)
    assert proc.returncode == 0, err
    assert "Pipe Person (new contact" in out.decode()


def test_restore_of_a_file_over_the_cap_is_refused_by_its_size_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.people.record_scan(Card(given="Kept", emails=["kept@example.org"]), event_id="")
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.write(b'{"format": "mutual-backup", ')
        out.truncate(600 * MB)  # sparse
    proc = main_py("restore", str(big), data=data, memory_mb=1000)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.decode().strip() == (f"Nothing was restored from {big}: it is 600.0 MB, more than the 512 MB "
                                    "a Mutual backup can be; nothing was changed.")
    with Store.open(data, daily_backup=False) as store:
        assert [c.given for c in store.people.all()] == ["Kept"]


def test_restore_and_import_from_a_pipe_stop_at_their_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("networking_app.backups.MAX_BACKUP_BYTES", 1 * MB)
    monkeypatch.setattr(VcfFormat, "max_import_bytes", 1 * MB)
    data = tmp_path / "data"
    for command, first, says in (
        ("restore", b'{"format": "mutual-backup", "tables": {} ' + b" " * 4 * MB + b"}",
         "it holds more than the 1 MB a Mutual backup can be; nothing was changed."),
        ("import", b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n" * 200_000,
         "it holds more than the 1 MB Mutual imports at once; split it into smaller files."),
    ):
        fifo = tmp_path / f"{command}.fifo"
        os.mkfifo(fifo)
        writer = threading.Thread(target=_write_to_fifo, args=(fifo, first))
        writer.start()
        out, err = io.StringIO(), io.StringIO()
        code = run(["--data-dir", str(data), command, str(fifo)], out, err)
        writer.join(timeout=10)
        assert code == 1 and err.getvalue().strip().endswith(says), err.getvalue()
        assert not writer.is_alive()


def _write_to_fifo(path: Path, data: bytes) -> None:
    with open(path, "wb") as fifo:
        try:
            fifo.write(data)
        except BrokenPipeError:
            pass


def test_import_reads_a_pipe_once_so_process_substitution_works(tmp_path: Path) -> None:
    fifo = tmp_path / "contacts.vcf"
    os.mkfifo(fifo)
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fifo Friend\r\nEMAIL:f@example.org\r\nEND:VCARD\r\n"
    writer = threading.Thread(target=_write_to_fifo, args=(fifo, card))
    writer.start()
    out, err = io.StringIO(), io.StringIO()
    code = run(["--data-dir", str(tmp_path / "data"), "import", str(fifo)], out, err)
    writer.join(timeout=10)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("Imported 1 person from contacts.vcf: 1 new")
