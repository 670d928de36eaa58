"""The sync folder's files: what engines do to them must stop nothing and lose nothing."""

from __future__ import annotations

from pathlib import Path

from networking_app.sync.clock import HybridClock
from networking_app.sync.folder import (
    LogWriter,
    SyncFolder,
    frame,
    read_log,
)
from networking_app.sync.ops import Change, encode

DEVICE = "00000000000000a1"


def ops(count: int, start: int = 1) -> list[tuple[int, bytes]]:
    clock = HybridClock(DEVICE, now=lambda: 1_796_000_000_000)
    made = []
    for seq in range(start, start + count):
        change = Change("contacts", f"c{seq}", set={"formatted": f"Person {seq} 张伟"})
        made.append((seq, encode(change.stamped(DEVICE, seq, clock.tick()))))
    return made


def test_appended_operations_read_back_in_order_from_any_position(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    LogWriter(folder).append(ops(5))
    (log,) = folder.logs()
    first = read_log(log, 0)
    assert [op.seq for op in first.ops] == [1, 2, 3, 4, 5]
    assert first.position == log.stat().st_size and not first.problems
    LogWriter(folder).append(ops(2, start=6))
    again = read_log(log, first.position)
    assert [op.seq for op in again.ops] == [6, 7]


def test_a_torn_tail_is_left_for_later_and_read_once_whole(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    lines = b"".join(frame(wire) for _, wire in ops(3))
    folder.path.mkdir(parents=True)
    log = folder.path / "ops-000000000001.log"
    log.write_bytes(lines[:-25])  # an engine that delivered the file half-way
    partial = read_log(log, 0)
    assert [op.seq for op in partial.ops] == [1, 2] and partial.torn and not partial.problems
    log.write_bytes(lines)
    rest = read_log(log, partial.position)
    assert [op.seq for op in rest.ops] == [3]


def test_a_damaged_line_is_skipped_with_a_warning_the_next_ones_taken_and_it_is_read_again(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    good = [frame(wire) for _, wire in ops(3)]
    damaged = good[1][:20] + b"X" + good[1][21:]
    folder.path.mkdir(parents=True)
    log = folder.path / "ops-000000000001.log"
    log.write_bytes(good[0] + damaged + good[2])
    first = read_log(log, 0)
    assert [op.seq for op in first.ops] == [1, 3]
    assert len(first.problems) == 1 and "damaged" in first.problems[0]
    assert first.position == len(good[0])  # read again from the damaged line
    log.write_bytes(b"".join(good))  # the engine delivers a whole copy
    second = read_log(log, first.position)
    assert [op.seq for op in second.ops] == [2, 3] and not second.problems


def test_hostile_lines_are_refused_one_by_one(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    folder.path.mkdir(parents=True)
    log = folder.path / "ops-000000000001.log"
    (_, good), = ops(1)
    hostile = [
        b'{"v":1,"o":"00000000000000a1","q":2,"c":"nope","t":"contacts","r":"x"}',
        b'{"v":1,"o":"00000000000000a1","q":3,"c":"019ab2d5a000-0000-00000000000000a1","t":"secrets","r":"x"}',
        b'{"v":1,"o":"00000000000000a1","q":4,"c":"019ab2d5a000-0001-00000000000000a1","t":"contacts","r":"x",'
        b'"s":{"emails":"not a list","given":7}}',
        b'{"v":99,"o":"00000000000000a1","q":5}',
        b"[1,2,3]",
    ]
    log.write_bytes(frame(good) + b"".join(frame(h) for h in hostile))
    read = read_log(log, 0)
    assert [op.seq for op in read.ops] == [1]
    assert len(read.problems) == len(hostile)


def test_text_from_another_device_is_cleaned_like_a_strangers(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    folder.path.mkdir(parents=True)
    log = folder.path / "ops-000000000001.log"
    wire = (b'{"v":1,"o":"00000000000000a1","q":1,"c":"019ab2d5a000-0000-00000000000000a1","t":"contacts",'
            b'"r":"c1","s":{"formatted":"Eve\\u202eevil\\u0007"}}')
    log.write_bytes(frame(wire))
    (op,) = read_log(log, 0).ops
    assert op.set["formatted"] == "Eveevil"


def test_segments_rotate_and_the_writer_knows_the_last_sequence_number(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    writer = LogWriter(folder, segment_bytes=300)
    writer.append(ops(10))
    segments = folder.logs()
    assert len(segments) > 2
    assert [p.name for p in segments] == sorted(p.name for p in segments)
    assert sum(len(read_log(p, 0).ops) for p in segments) == 10
    assert writer.last_seq() == 10


def test_the_writer_cuts_its_own_torn_tail_before_appending(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    writer = LogWriter(folder)
    writer.append(ops(2))
    (log,) = folder.logs()
    with open(log, "ab") as f:
        f.write(frame(ops(1, start=3)[0][1])[:-30])  # killed mid-append
    assert writer.last_seq() == 2
    writer.append(ops(2, start=3))
    read = read_log(log, 0)
    assert [op.seq for op in read.ops] == [1, 2, 3, 4] and not read.problems


def test_conflict_copies_are_read_as_extra_logs_and_stubs_are_reported(tmp_path: Path) -> None:
    folder = SyncFolder(tmp_path).device_folder(DEVICE)
    LogWriter(folder).append(ops(2))
    (log,) = folder.logs()
    copy = log.with_name("ops-000000000001.sync-conflict-20261203-101500-ABCDEFG.log")
    dropbox = log.with_name("ops-000000000001 (Ana's conflicted copy 2026-12-03).log")
    copy.write_bytes(frame(ops(1, start=7)[0][1]))
    dropbox.write_bytes(frame(ops(1, start=8)[0][1]))
    (folder.path / ".ops-000000000009.log.icloud").write_bytes(b"")
    (folder.path / "notes.txt").write_text("not ours")
    assert [p.name for p in folder.logs()] == [log.name, dropbox.name, copy.name]
    assert folder.not_downloaded() == [".ops-000000000009.log.icloud"]
    assert SyncFolder(tmp_path).devices()[0].device == DEVICE
