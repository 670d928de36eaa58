"""``sync`` at the command line: set up, sync, status; each says what came in and went out."""

from __future__ import annotations

import io
import json
from pathlib import Path

from networking_app import cli

CARD = "BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nEMAIL:{email}\nEND:VCARD\n"


def run(data: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    import sys

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")  # bytes, as a pipe gives
    try:
        code = cli.run(["--data-dir", str(data), *args], out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_sync_without_a_folder_says_how_to_set_one_in_one_sentence(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "a", "sync")
    assert code == 1 and out == ""
    assert err.strip() == "Sync is not set up yet: choose a sync folder first (sync --folder DIR)."
    code, out, _ = run(tmp_path / "a", "sync", "status")
    assert code == 0 and "not set up" in out


def test_a_scan_at_one_device_is_listed_at_the_other_after_both_sync(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    run(tmp_path / "phone", "scan", "-", stdin=CARD.format(name="김민수", email="minsu@example.kr"))
    code, out, _ = run(tmp_path / "phone", "sync", "--folder", str(folder), "--device-name", "Ana's phone")
    assert code == 0 and out.strip() == f"Synced with {folder}: Nothing new came in. 2 changes sent."
    code, out, _ = run(tmp_path / "laptop", "sync", "--folder", str(folder), "--device-name", "Ana's laptop")
    assert out.strip() == f"Synced with {folder}: 1 person from Ana's phone."
    code, out, _ = run(tmp_path / "laptop", "contacts", "--json")
    assert [c["name"] for c in json.loads(out)] == ["김민수"]
    code, out, _ = run(tmp_path / "laptop", "sync")  # the saved folder
    assert out.strip() == f"Synced with {folder}: Nothing new came in."


def test_sync_status_lists_this_device_the_others_and_what_waits(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    run(tmp_path / "phone", "sync", "--folder", str(folder), "--device-name", "Ana's phone")
    run(tmp_path / "laptop", "sync", "--folder", str(folder), "--device-name", "Ana's laptop")
    run(tmp_path / "laptop", "scan", "-", stdin=CARD.format(name="Γιώργος", email="g@example.gr"))
    code, out, _ = run(tmp_path / "laptop", "sync", "status", "--json")
    status = json.loads(out)
    assert status["folder"] == str(folder) and status["device"]["name"] == "Ana's laptop"
    assert [d["name"] for d in status["devices"]] == ["Ana's phone"]
    assert status["waiting"] == 2  # the contact and the meeting, not yet written to the folder
    code, out, _ = run(tmp_path / "laptop", "sync", "status")
    assert "This device: Ana's laptop" in out and "Ana's phone" in out and "Waiting to be written to the folder: 2 changes" in out


def test_a_folder_that_is_a_file_or_missing_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, _, err = run(tmp_path / "a", "sync", "--folder", str(tmp_path / "file"))
    assert code == 1 and "is a file, not a folder" in err and err.count("\n") == 1
    code, _, err = run(tmp_path / "a", "sync", "--folder", str(tmp_path / "no" / "such"))
    assert code == 1 and "is not there" in err and err.count("\n") == 1


def test_an_empty_folder_path_or_a_folder_holding_a_file_named_devices_is_one_sentence(tmp_path: Path,
                                                                                       monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # "" would have been the current folder (an unset variable in a script)
    code, _, err = run(tmp_path / "a", "sync", "--folder", "", "--device-name", "E")
    assert (code, err) == (1, "Give the sync folder's path.\n")
    assert not (tmp_path / "devices").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "devices").write_text("someone else's file")
    code, _, err = run(tmp_path / "a", "sync", "--folder", str(busy))
    assert code == 1 and "holds a file named “devices”" in err and err.count("\n") == 1
    assert (busy / "devices").read_text() == "someone else's file"


def test_status_says_when_the_folder_is_not_there(tmp_path: Path) -> None:
    folder = tmp_path / "USB" / "Mutual"
    folder.parent.mkdir()
    run(tmp_path / "a", "sync", "--folder", str(folder), "--device-name", "Phone")
    folder.rename(tmp_path / "USB" / "elsewhere")  # the drive unplugged, the sync app stopped
    code, out, _ = run(tmp_path / "a", "sync", "status")
    assert code == 0 and "(not there now: is the drive or the sync app connected?)" in out
    assert "Other devices: unknown until the folder is back." in out and "none yet" not in out
    code, out, _ = run(tmp_path / "a", "sync", "status", "--json")
    assert json.loads(out)["folder_missing"] is True
