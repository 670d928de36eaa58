"""Syncing a store with its sync folder: write what was made here, read what others made.

One run: (1) make sure this device's folder is its own (a copied phone keeps another's id:
mint a new one), (2) compare the records with what sync knows when a restore changed them
unseen, (3) append the operations waiting in the outbox to this device's log, (4) read every
other device's log from where it was left, and their snapshots, applying what is new in
transactions of the store (operations and read positions together: a kill loses nothing), (5)
say in this device's ``device.json`` what it has seen, and (6) compact its own old logs into a
snapshot once every device has read them. The transport is the person's sync engine; this
module only reads and writes files in the folder.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from datetime import UTC
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .. import __version__, collector
from ..errors import MutualError
from ..jsoncodec import dumps
from ..models import now_iso
from ..store import Store
from ..store.sync_recorder import PEERS, KeyedTable, Settings, new_device_id
from .clock import DRIFT_WARNING_MS, HybridClock, stamp_time_ms
from .folder import (
    DEVICES,
    MAX_READ,
    SNAPSHOT,
    DeviceFolder,
    LogWriter,
    SyncFolder,
    is_conflict_copy,
    iter_state_docs,
    read_log,
    read_snapshot,
    segment_first_seq,
    write_device_info,
    write_snapshot,
)
from .ops import Change, Op, OpError, decode
from .replica import Applied
from .report import DeviceSeen, Incoming, SyncReport, SyncStatus, count_states, kind_of
from .state import RecordState, checked_state, ops_of

# Operations per store transaction while catching up. Bigger holds more in memory (a first sync of 10,000
# contacts peaks near 400 MB) and a kill loses more; smaller rewrites the snapshot more often (bench_sync:
# 50,000 ops as 3 batches ~3 s, as one ~1.9 s).
BATCH = 50_000
READ_SHARE = 0.25  # of a batch's time, reading and checking its ops (the rest: applying and writing them)
COMPACT_AFTER = 8 << 20  # own log bytes before they are folded into a snapshot
AWAY_DAYS = 30  # a device not heard from for this long does not hold back compaction
MAX_SNAPSHOT = 512 << 20
MAX_DUPLICATE_CHECK = 500  # new people per run checked against the rest of the book
Progress = Callable[[int, int], None]  # (work done, all of it), counted in bytes of the logs


class SyncError(MutualError):
    """Sync could not run; ``str()`` says why in one sentence. Nothing was lost."""


def default_device_name() -> str:
    host = socket.gethostname().split(".")[0] or "this device"
    return host[:60]


class Sync:
    """``Sync(store)``: set up, run and describe syncing of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.recorder = store.sync_recorder
        self.records = store.records
        self.peers = KeyedTable(self.records, PEERS)

    # -- settings ---------------------------------------------------------------------------
    def settings(self) -> Settings:
        with self.records.mutex:
            self.records.fresh()
            return self.recorder.settings()

    def set_up(self, folder: Path | str, device_name: str | None = None) -> Settings:
        """Sync with ``folder`` from now on (created when its parent exists); this device keeps its id."""
        if not str(folder).strip():  # Path("") is the current folder: an unset variable in a script
            raise SyncError("Give the sync folder's path.")
        root = _usable_folder(Path(folder).expanduser(), create=True)
        with self.records.writing():
            settings = self.recorder.settings()
            first = not settings.device
            if first:
                settings.device, settings.instance = new_device_id(), new_device_id()
            if device_name is not None or not settings.name:
                settings.name = _clean_name(device_name) if device_name else default_device_name()
            if settings.folder != str(root):
                # a first sync offers every record as operations; a device moving to another folder
                # has written its operations to the old one: the new one gets a snapshot of everything
                settings.publish = bool(settings.folder) and not first
                settings.folder = str(root)
                settings.reconcile = True
                last = LogWriter(SyncFolder(root).device_folder(settings.device)).last_op()
                settings.written, settings.written_clock = (last.seq, last.clock) if last else (0, "")
            self.records.set_meta(sync=settings.to_meta())
        return settings

    def rename(self, device_name: str) -> Settings:
        with self.records.writing():
            settings = self.recorder.settings()
            settings.name = _clean_name(device_name)
            self.records.set_meta(sync=settings.to_meta())
        return settings

    # -- a run ------------------------------------------------------------------------------
    def run(self, progress: Progress | None = None) -> SyncReport:
        started = time.perf_counter()
        settings = self.settings()
        if not settings.enabled:
            raise SyncError("Sync is not set up yet: choose a sync folder first (sync --folder DIR).")
        root = _usable_folder(Path(settings.folder), create=False)
        report = SyncReport()
        with self._exclusive(), collector.paused():  # catching up is bulk work (collector.py)
            folder = SyncFolder(root)
            writable = os.access(root, os.W_OK)
            settings = self._own_folder(folder, settings, report, writable)
            if settings.reconcile:
                with self.records.writing():
                    self.recorder.reconcile()
            if writable:
                report.sent = self._flush(folder.device_folder(settings.device))
                if settings.publish:
                    self._publish(folder.device_folder(settings.device))
            else:
                report.problems.append(f"The sync folder {root} is read-only: your changes wait here until it "
                                       "can be written.")
            self._read_everyone(folder, report, progress)
            self._maybe_known(report)
            if writable:
                try:
                    self._describe_self(folder)
                    self.compact()
                except OSError as exc:
                    report.problems.append(f"{_why_not_written(exc, root)}; syncing still works.")
            self._note_last_sync(report)
        report.seconds = time.perf_counter() - started
        return report

    def _exclusive(self) -> FileLock:
        lock = FileLock(str(self.store.folder / "sync.lock"), timeout=0.5)
        try:
            self.store.folder.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except Timeout:
            raise SyncError("Another Mutual window or command is syncing right now; try again in a moment.") from None
        except OSError as exc:
            raise SyncError(f"Mutual cannot lock {self.store.folder} for syncing ({exc.strerror}).") from None
        return lock

    # -- (1) this device's folder is its own -------------------------------------------------
    def _own_folder(self, folder: SyncFolder, settings: Settings, report: SyncReport, writable: bool) -> Settings:
        own = folder.device_folder(settings.device)
        info = own.info()
        last = LogWriter(own).last_op()
        foreign = (info is not None and info.get("instance") not in (None, settings.instance)) \
            or (last is not None and (last.seq, last.clock) != (settings.written, settings.written_clock)) \
            or (last is None and settings.written > 0 and own.path.exists()) \
            or any(is_conflict_copy(p.name) for p in own.logs())
        if not foreign:
            return settings
        # Another device writes with our id (its data was restored from ours): from now on we
        # write under a new id, and read the old folder like any other device's.
        old = settings.device
        with self.records.writing():
            settings = self.recorder.settings()
            settings.device, settings.instance, settings.next_seq = new_device_id(), new_device_id(), 1
            settings.written, settings.written_clock = 0, ""
            self.records.set_meta(sync=settings.to_meta())
            self._restamp_outbox(old, settings)
        report.new_device_id = settings.device
        report.problems.append(f"Another device was writing as this one ({old[:8]}…, copied from a backup or an "
                               f"old phone): this device now syncs as {settings.device[:8]}….")
        return settings

    def _restamp_outbox(self, old: str, settings: Settings) -> None:
        outbox = self.recorder.outbox
        waiting = [decode(doc["op"]) for doc in sorted(outbox.values(), key=lambda d: d["id"])]
        for op in waiting:
            outbox.delete(f"{op.seq:012d}")
        self.recorder.record([Change(op.table, op.rid, op.create, op.delete, op.merge_into, op.set, op.add,
                                     op.remove, op.reset) for op in waiting], settings)

    # -- (3) what was made here goes out ------------------------------------------------------
    def _flush(self, own: DeviceFolder) -> int:
        with self.records.mutex:
            self.records.fresh()
            waiting = sorted(self.recorder.outbox.values(), key=lambda d: d["id"])
        if not waiting:
            return 0
        writer = LogWriter(own)
        on_disk = writer.last_seq()
        ops = [(int(doc["id"]), dumps(doc["op"]), doc["op"]["c"]) for doc in waiting]
        fresh = [(seq, wire) for seq, wire, _ in ops if seq > on_disk]
        try:
            writer.append(fresh)
        except OSError as exc:
            raise _kept_for_later(exc, own.path) from None
        with self.records.writing():
            self.recorder.outbox.delete_many([f"{seq:012d}" for seq, _, _ in ops])
            self._save_settings(written=ops[-1][0], written_clock=ops[-1][2])
        return len(fresh)

    def _publish(self, own: DeviceFolder) -> None:
        """A folder this device has not written to before: what it wrote to the one it used
        before (and everything it received there) goes in as a snapshot, once."""
        try:
            self.write_snapshot(own)
        except OSError as exc:
            raise _kept_for_later(exc, own.path) from None
        with self.records.writing():
            self._save_settings(publish=False)

    def _save_settings(self, **changes: Any) -> None:
        """Change some of this device's sync settings (inside a write of the store)."""
        settings = self.recorder.settings()
        for name, value in changes.items():
            setattr(settings, name, value)
        self.records.set_meta(sync=settings.to_meta())

    # -- (4) what others made comes in ---------------------------------------------------------
    def _read_everyone(self, folder: SyncFolder, report: SyncReport, progress: Progress | None) -> None:
        """Read every other device's new lines, applying them in batches of whole files: a file's read
        position is saved in the transaction that applies its last operation (a kill loses nothing)."""
        me = self.settings().device
        to_read: list[tuple[Path, dict[str, Any], os.stat_result]] = []
        devices = folder.devices()
        for device in devices:
            if device.device != me:
                self._read_snapshot(device, report)
            for path in device.logs():
                if device.device == me and not is_conflict_copy(path.name):
                    continue  # our own log: everything in it came from this store
                key = f"{device.device}/{path.name}"
                cursor = self.peers.get(key) or {"id": key, "pos": 0}
                try:
                    st = path.stat()
                except OSError:
                    continue
                if cursor.get("size") != st.st_size or cursor.get("mtime") != st.st_mtime_ns:
                    to_read.append((path, cursor, st))  # else nothing new: one stat per file
            for stub in device.not_downloaded():
                report.problems.append(f"{stub.removeprefix('.').removesuffix('.icloud')} is not downloaded yet; "
                                       "it will be read once it is.")
        # who wrote what came in: read from the folders listed above, and only when something did
        names = {d.device: _name_of(d.info() or {}, d.device) for d in devices} if to_read else {}
        total = sum(max(0, st.st_size - cursor["pos"]) for _, cursor, st in to_read)
        applied = pending = 0  # bytes whose ops are in the store; bytes read whose ops wait for the batch
        ops: list[Op] = []
        cursors: list[dict[str, Any]] = []
        for path, cursor, st in to_read:
            read = read_log(path, cursor["pos"])
            report.problems += read.problems
            whole = not read.torn and not read.problems and read.end - cursor["pos"] < MAX_READ
            ops += read.ops
            cursors.append({"id": cursor["id"], "pos": read.position, "size": st.st_size if whole else -1,
                            "mtime": st.st_mtime_ns})
            pending += max(0, st.st_size - cursor["pos"])
            if len(ops) >= BATCH:
                self._apply_batch(ops, cursors, names, report)
                ops, cursors = [], []
                applied, pending = applied + pending, 0
            if progress:
                progress(applied + int(pending * READ_SHARE), total)
        if ops or cursors:
            self._apply_batch(ops, cursors, names, report)
        if progress and total:
            progress(total, total)

    def _apply_batch(self, ops: list[Op], cursors: list[dict[str, Any]], names: dict[str, str],
                     report: SyncReport) -> None:
        with self.records.writing():
            settings = self.recorder.settings()
            clock = HybridClock(settings.device, settings.clock)
            latest: dict[str, str] = {}  # the clock only needs each device's latest stamp
            for op in ops:
                if op.clock > latest.get(op.origin, ""):
                    latest[op.origin] = op.clock
            for origin, stamp in latest.items():
                ahead = clock.observe(stamp)
                if ahead > DRIFT_WARNING_MS and origin not in report.incoming:
                    report.problems.append(f"{names.get(origin, origin[:8])}'s clock is "
                                           f"{_duration(ahead)} ahead of this one; syncing works, but check it.")
            self.recorder.replica._merges = None
            applied = self.recorder.replica.apply(ops)
            self._count(ops, applied, names, report)
            self._save_cursors(cursors)
            self._note_seen(ops)
            settings.clock = clock.last
            self.records.set_meta(sync=settings.to_meta())

    def _count(self, ops: list[Op], applied: Applied, names: dict[str, str], report: SyncReport,
               via: str | None = None) -> None:
        """What came in, per device (``via``: the device whose snapshot held the ops): people, notes,
        follow-ups… Each record once; an operation read again (e.g. from a conflict copy of a log
        already read) changed nothing and is not counted."""
        found: dict[tuple[str, str], set[str]] = {}
        for op in ops:
            what = kind_of(op, applied.new) if (op.table, op.rid) in applied.changed else ""
            if what:
                found.setdefault((via or op.origin, what), set()).add(op.rid)
            if what == "people":
                report.new_people.add(op.rid)
        for (origin, what), rids in found.items():
            incoming = report.incoming.get(origin)
            if incoming is None:
                incoming = report.incoming[origin] = Incoming(names.get(origin, "another device"))
            incoming.counts[what] += len(rids)

    def _maybe_known(self, report: SyncReport) -> None:
        """New people who may be someone this device had (the same email, phone or name): the same
        person scanned on two devices is two records until the person merges them, so say who.
        Not after a device's first sync of a whole book (it would judge everyone against everyone)."""
        if not report.new_people or len(report.new_people) > MAX_DUPLICATE_CHECK:
            return
        for found in self.store.people.possible_duplicates(among=report.new_people):
            if found.other is not None:
                new, known = (found.contact, found.other) if found.contact.id in report.new_people \
                    else (found.other, found.contact)
                report.maybe_known.append((new.display_name, known.display_name))

    def _save_cursors(self, cursors: Iterable[dict[str, Any]]) -> None:
        with self.records.writing():
            for cursor in cursors:
                self.peers.put(cursor)

    def _note_seen(self, ops: list[Op]) -> None:
        """Per device, the highest sequence number up to which every operation was applied."""
        by_origin: dict[str, set[int]] = {}
        for op in ops:
            if op.seq:
                by_origin.setdefault(op.origin, set()).add(op.seq)
        for origin, seqs in by_origin.items():
            key = f"seen:{origin}"
            doc = self.peers.get(key) or {"id": key, "upto": 0, "above": []}
            above = set(doc["above"]) | seqs
            upto = doc["upto"]
            while upto + 1 in above:
                upto += 1
                above.discard(upto)
            self.peers.put({"id": key, "upto": upto, "above": sorted(s for s in above if s > upto)[:10_000],
                            "last": max([doc.get("last", ""), *(op.clock for op in ops if op.origin == origin)])})

    def _read_snapshot(self, device: DeviceFolder, report: SyncReport) -> None:
        path = device.path / SNAPSHOT
        try:
            st = path.stat()
        except OSError:
            return
        key = f"{device.device}/{SNAPSHOT}"
        cursor = self.peers.get(key) or {"id": key}
        if cursor.get("size") == st.st_size and cursor.get("mtime") == st.st_mtime_ns:
            return
        snapshot = read_snapshot(device, MAX_SNAPSHOT)
        if snapshot is None:
            report.problems.append(f"The snapshot of {device.device[:8]}… is not whole yet; it will be read later.")
            return
        states = [state for doc in iter_state_docs(snapshot) if (state := _state_of(doc, report))]
        names = {device.device: _name_of(device.info() or {}, device.device)}
        with self.records.writing():
            replica = self.recorder.replica
            replica._merges = None
            if self.recorder.backend.empty():
                replica.adopt(states)  # a new device: the states as they are
                count_states(states, device.device, names, report)
            else:
                for start in range(0, len(states), BATCH):
                    ops = [op for state in states[start:start + BATCH] for op in ops_of(state)]
                    self._count(ops, replica.apply(ops), names, report, via=device.device)
            self.peers.put({"id": key, "size": st.st_size, "mtime": st.st_mtime_ns})
            for origin, upto in (snapshot.get("seen") or {}).items():
                if isinstance(upto, int):
                    doc = self.peers.get(f"seen:{origin}") or {"id": f"seen:{origin}", "upto": 0, "above": []}
                    if upto > doc["upto"]:
                        self.peers.put({**doc, "upto": upto, "above": [s for s in doc["above"] if s > upto]})

    # -- (5) what this device has seen ----------------------------------------------------------
    def seen(self) -> dict[str, int]:
        return {doc["id"][5:]: doc["upto"] for doc in self.peers.values() if doc["id"].startswith("seen:")}

    def _describe_self(self, folder: SyncFolder) -> None:
        """Rewrite device.json when what it says changed, or hourly (others judge who is still around
        by it): a sync with nothing new writes nothing to the folder."""
        settings = self.settings()
        own = folder.device_folder(settings.device)
        with self.records.mutex:
            self.records.fresh()
            seen = self.seen()
        seen[settings.device] = settings.next_seq - 1
        info = {"format": 1, "device": settings.device, "name": settings.name, "instance": settings.instance,
                "app": f"Mutual {__version__}", "seen": seen}
        old = own.info() or {}
        if {k: v for k, v in old.items() if k != "updated"} != info or _days_since(old.get("updated")) > 1 / 24:
            write_device_info(own, {**info, "updated": now_iso()})

    def _note_last_sync(self, report: SyncReport) -> None:
        """Keep when this sync ran, writing the store only when something happened or every 10 minutes."""
        settings = self.settings()
        if report.sent or report.incoming or report.problems or _days_since(settings.last_sync) > 10 / 1440 \
                or not settings.last_sync:
            with self.records.writing():
                settings = self.recorder.settings()
                settings.last_sync = now_iso()
                self.records.set_meta(sync=settings.to_meta())

    # -- (6) compaction ----------------------------------------------------------------------------
    def compact(self, *, force: bool = False) -> int:
        """Fold this device's old logs into a snapshot and remove those every device has read
        (when they pass COMPACT_AFTER bytes, or now when ``force``). Returns how many went."""
        settings = self.settings()
        own = SyncFolder(Path(settings.folder)).device_folder(settings.device)
        segments = [p for p in own.logs() if segment_first_seq(p) is not None]
        if len(segments) < 2 or (not force and sum(_size(p) for p in segments) < COMPACT_AFTER):
            return 0
        self.write_snapshot(own)
        firsts = [segment_first_seq(p) or 0 for p in segments]
        readers = self._readers(SyncFolder(Path(settings.folder)), settings.device)
        removed = 0
        for path, next_first in zip(segments, firsts[1:], strict=False):
            if all(seen >= next_first - 1 for seen in readers):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def write_snapshot(self, own: DeviceFolder) -> None:
        """Everything this device knows, as states, so a new device need not read old logs."""
        with self.records.mutex:
            self.records.fresh()
            states = list(self.recorder.backend.states.values())
            seen = self.seen()
        settings = self.settings()
        seen[settings.device] = settings.next_seq - 1
        write_snapshot(own, {"format": 1, "device": settings.device, "made": now_iso(), "seen": seen,
                             "states": states})

    def _readers(self, folder: SyncFolder, me: str) -> list[int]:
        """How far each other device that is still around has read this device's log."""
        found = []
        for device in folder.devices():
            if device.device == me:
                continue
            info = device.info() or {}
            seen = info.get("seen")
            if _days_since(info.get("updated")) > AWAY_DAYS:
                continue
            upto = seen.get(me, 0) if isinstance(seen, dict) else 0
            found.append(upto if isinstance(upto, int) else 0)
        return found

    # -- describing ------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        settings = self.settings()
        with self.records.mutex:
            self.records.fresh()
            waiting = len(self.recorder.outbox)
            last = {doc["id"][5:]: doc.get("last", "") for doc in self.peers.values() if doc["id"].startswith("seen:")}
            last_sync = self.recorder.settings().last_sync
        devices: list[DeviceSeen] = []
        if settings.folder and Path(settings.folder).is_dir():
            for device in SyncFolder(Path(settings.folder)).devices():  # one listing: a sync may add a folder
                info = device.info() or {}
                stamp = last.get(device.device, "")
                devices.append(DeviceSeen(device.device, _name_of(info, device.device),
                                          _iso_of_stamp(stamp) if stamp else "",
                                          str(info.get("updated", ""))[:40], device.device == settings.device))
        missing = bool(settings.folder) and not Path(settings.folder).is_dir()
        return SyncStatus(settings.folder, settings.device, settings.name, devices, waiting, last_sync, missing)


def _state_of(doc: dict[str, Any], report: SyncReport) -> RecordState | None:
    """A snapshot's state, each value checked like a log's."""
    try:
        return checked_state(doc)
    except OpError as exc:
        report.problems.append(f"A record in a snapshot was skipped ({exc}).")
        return None


def _usable_folder(root: Path, *, create: bool) -> Path:
    if not str(root).strip():
        raise SyncError("Give the sync folder's path.")
    root = root.expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise SyncError(f"{root} is a file, not a folder: choose the folder your sync app shares.")
    if not root.exists():
        if not create or not root.parent.is_dir():
            raise SyncError(f"The sync folder {root} is not there (is the drive or the sync app connected?); "
                            "nothing was changed.")
        try:
            root.mkdir(mode=0o700)
        except OSError as exc:
            raise SyncError(f"Mutual cannot create the sync folder {root} ({exc.strerror}).") from None
    if not os.access(root, os.R_OK | os.X_OK):
        raise SyncError(f"Mutual cannot read the sync folder {root} (permission denied).")
    if (root / DEVICES).exists() and not (root / DEVICES).is_dir():
        raise SyncError(f"{root} holds a file named “{DEVICES}”, where Mutual keeps each device's files: "
                        "choose a folder of its own for Mutual.")
    return root


def _kept_for_later(exc: OSError, path: Path) -> SyncError:
    return SyncError(f"{_why_not_written(exc, path)}: your changes are kept here and go out at the next sync.")


def _why_not_written(exc: OSError, path: Path) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding the sync folder {path.parent} is full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"Mutual cannot write to the sync folder {path.parent} ({(exc.strerror or 'read-only').lower()})"
    return f"Mutual could not write to the sync folder ({exc.strerror or exc})"


def _name_of(info: dict[str, Any], device: str) -> str:
    """What a device calls itself in its device.json, or a name made of its id."""
    name = info.get("name")
    return _clean_name(name) if isinstance(name, str) and name.strip() else f"a device ({device[:8]}…)"


def _clean_name(name: str) -> str:
    from ..text_safety import clean_text

    cleaned = clean_text(name, max_len=60)
    if not cleaned:
        raise SyncError("Give this device a name, e.g. “Ana's phone”.")
    return cleaned


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _days_since(iso: object) -> float:
    from datetime import datetime

    try:
        then = datetime.fromisoformat(str(iso))
    except ValueError:
        return 0.0
    return (datetime.now(UTC) - then).total_seconds() / 86400


def _iso_of_stamp(stamp: str) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(stamp_time_ms(stamp) / 1000, UTC).isoformat(timespec="seconds")


def _duration(ms: int) -> str:
    hours = ms / 3_600_000
    return f"{hours / 24:.0f} days" if hours >= 36 else f"{hours:.0f} hours" if hours >= 1.5 else f"{ms // 60_000} minutes"


