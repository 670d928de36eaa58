"""Privacy by design: private files, a web mode for this machine only, no network, exports that
hold only what was chosen, and deletion that really deletes.
"""

from __future__ import annotations

import io
import os
import re
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from networking_app import cli
from networking_app.models import Card, MyCard
from networking_app.store import Store
from tests.netguard import mutual_netguard as netguard

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)


# -- no network call anywhere ---------------------------------------------------------------------------
@pytest.fixture
def guard_log(network_guard: Path) -> Iterator[Path]:
    """The suite's violations log; what a test adds on purpose is taken out again afterwards."""
    before = network_guard.read_bytes() if network_guard.exists() else b""
    yield network_guard
    network_guard.write_bytes(before)


def test_the_network_guard_refuses_and_records_a_connection_to_another_machine(guard_log: Path) -> None:
    with pytest.raises(ConnectionRefusedError, match="never connect outside this machine"):
        socket.create_connection(("203.0.113.1", 80), timeout=2)
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.org", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(ConnectionRefusedError):
            udp.sendto(b"x", ("198.51.100.7", 53))
    found = netguard.violations(guard_log)
    assert [line.split()[:2] for line in found[-3:]] == [
        ["connect", "203.0.113.1:80"], ["dns", "example.org"], ["sendto", "198.51.100.7:53"]]
    assert "test_privacy.py::test_the_network_guard_refuses" in found[-3]


def test_the_network_guard_is_installed_in_every_python_child(guard_log: Path) -> None:
    code = ("import socket, os\n"
            "try:\n    socket.create_connection(('203.0.113.9', 443), timeout=2)\n"
            "except ConnectionRefusedError as e:\n    print('refused', os.getpid())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("refused"), out
    pid = out.stdout.split()[1]
    assert any(line.startswith("connect 203.0.113.9:443") and f"pid={pid}" in line
               for line in netguard.violations(guard_log))


def test_connections_on_this_machine_are_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=2).close()
    assert netguard.is_local_host("localhost") and netguard.is_local_host("::1")
    assert not netguard.is_local_host("10.0.0.1") and not netguard.is_local_host("192.168.1.1")


# -- files readable by the user only -------------------------------------------------------------------------
@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files: privacy must not depend on the user's umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_every_file_in_it_are_readable_by_the_user_only(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "deep" / "Mutual"
    with Store.open(folder) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
        store.backup(reason="manual")
    with Store.open(folder) as store:  # a second open: the journal, the lock, a daily backup
        store._storage.compact()  # the journal is folded away: the next write starts a new one
        store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="")
    assert mode(folder) == 0o700
    assert mode(folder / "backups") == 0o700
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"mutual.json", "mutual.journal", "mutual.lock"}
    assert len(list((folder / "backups").iterdir())) >= 1
    assert {str(p.relative_to(folder)): oct(mode(p)) for p in files if mode(p) != 0o600} == {}


def test_an_export_is_written_readable_by_the_user_only(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
    out = tmp_path / "everyone.vcf"
    assert cli.run(["--data-dir", str(folder), "export", "--format", "vcf", "-o", str(out)], io.StringIO(), io.StringIO()) == 0
    assert mode(out) == 0o600


def test_the_error_log_of_an_unexpected_failure_is_readable_by_the_user_only(
        tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("ada@example.org")

    monkeypatch.setattr(cli.people, "list_contacts", broken)
    err = io.StringIO()
    assert cli.run(["--data-dir", str(tmp_path / "data"), "contacts"], io.StringIO(), err) == 1
    log = tmp_path / "data" / "error.log"
    assert "Details are in" in err.getvalue() and log.exists()
    assert mode(log) == 0o600


# -- the web mode: this machine only, unless asked, and then it says so ----------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on ``port`` (read from /proc, no packet sent)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(_address(address, width))
    return found


def _address(hex_address: str, width: int) -> str:
    raw = bytes.fromhex(hex_address)
    if width == 8:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))  # /proc stores 32-bit words in host order
    return socket.inet_ntop(socket.AF_INET6, words)


needs_proc_net = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc/net/tcp (Linux)")


def serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    no_display = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}  # no browser opens
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--web", "--port", str(port),
                             "--data-dir", str(tmp_path / "data"), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(no_display, FLET_LOG_LEVEL="warning"))
    return proc, port


def wait_listening(proc: subprocess.Popen[str], port: int) -> set[str]:
    deadline = time.monotonic() + 60
    while not (found := listening_addresses(port)):
        assert proc.poll() is None, "Mutual stopped before it served"
        assert time.monotonic() < deadline, "Mutual did not start serving"
        time.sleep(0.1)
    return found


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


@pytest.mark.slow  # starts the web server
@needs_proc_net
def test_the_web_mode_listens_on_127_0_0_1_only_and_carries_the_network_guard(tmp_path: Path, network_guard: Path) -> None:
    proc, port = serve(tmp_path)
    try:
        addresses = wait_listening(proc, port)
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        out = stop(proc)
    assert addresses == {"127.0.0.1"}, addresses
    assert f"Mutual is served at http://127.0.0.1:{port}/" in out
    assert "Warning" not in out
    guarded = Path(os.environ[netguard.ENV_PROCS]).read_text().split("\n")
    assert any(line.startswith(f"{proc.pid} ") for line in guarded), "the server runs without the network guard"


@pytest.mark.slow  # starts the web server
@needs_proc_net
def test_serving_other_machines_must_be_asked_for_and_says_so(tmp_path: Path) -> None:
    proc, port = serve(tmp_path, "--host", "0.0.0.0")
    try:
        addresses = wait_listening(proc, port)
    finally:
        out = stop(proc)
    assert addresses == {"0.0.0.0"}, addresses
    assert "Warning: 0.0.0.0 is reachable from other machines. The key keeps out anyone without the link" in out
    assert "anyone on the network can see the traffic" in out


# -- exports hold only what was chosen --------------------------------------------------------------------------
PEOPLE = {  # name: (email, event or "", a note only I wrote)
    "Ada Byron": ("ada@example.org", "PyCon", "needs a rust mentor"),
    "Bob Stone": ("bob@example.org", "PyCon", "wants hardware intros"),
    "Eve Other": ("eve@elsewhere.example", "Climate Night", "secret plans about Eve"),
    "Zed Nowhere": ("zed@nowhere.example", "", "met Zed on a train"),
}


@pytest.fixture
def people_store(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder, today=lambda: TODAY, daily_backup=False) as store:
        store.cards.save(MyCard(given="Me", family="Myself", emails=["me@example.org"]))
        events = {name: store.events.start(name).id for name in ("Climate Night", "PyCon")}
        for name, (email, event, note) in PEOPLE.items():
            given, family = name.split()
            result = store.people.record_scan(Card(given=given, family=family, emails=[email]), event_id=events.get(event, ""))
            store.meetings.save_note(result.meeting.id, need=note, follow_up=TODAY + timedelta(days=3))
    return folder


def export(folder: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    code = cli.run(["--data-dir", str(folder), "export", *args], io.StringIO(), err)
    return code, err.getvalue()


@pytest.mark.parametrize("fmt", ["vcf", "csv", "ics"])
def test_an_export_of_one_event_holds_only_the_people_met_there(people_store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"pycon.{fmt}"
    code, err = export(people_store, "--format", fmt, "--event", "PyCon", "-o", str(out))
    assert code == 0, err
    text = out.read_bytes().decode("utf-8-sig")
    unfolded = re.sub(r"\r?\n[ \t]", "", text)  # vCard and iCalendar fold long lines
    for name, (email, event, note) in PEOPLE.items():
        inside = event == "PyCon"
        family = name.split()[1]
        assert (family in unfolded) is inside, (fmt, name)
        assert (email in unfolded) is inside, (fmt, email)
        assert (note in unfolded) is inside, (fmt, note)
    assert "me@example.org" not in unfolded  # my own card is not one of them


def test_an_export_of_chosen_people_holds_only_them(people_store: Path, tmp_path: Path) -> None:
    with Store.open(people_store, daily_backup=False) as store:
        zed = store.people.find_known(Card(emails=["zed@nowhere.example"]))
    out = tmp_path / "zed.csv"
    code, err = export(people_store, "--format", "csv", "--contact", zed.id[:8], "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8-sig")
    assert "zed@nowhere.example" in text and "met Zed on a train" in text
    assert not any(email in text for email, *_ in list(PEOPLE.values())[:3])


# -- deletion removes a person from the store and from backups made after -----------------------------------------
SECRETS = ("Zoë Quinnell", "zoe.quinnell@example.org", "wants to leave her employer quietly")


def forms(text: str) -> list[bytes]:
    """The ways a text can sit in Mutual's files: UTF-8, and JSON-escaped."""
    import json

    return [text.encode("utf-8"), json.dumps(text).strip('"').encode("ascii")]


def files_holding(folder: Path, text: str) -> set[str]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(form in data for form in forms(text)):
                found.add(str(path.relative_to(folder)))
    return found


def test_a_deleted_person_leaves_every_file_except_backups_made_before(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, today=lambda: TODAY) as store:
        given, family = SECRETS[0].split()
        zoe = store.people.record_scan(Card(given=given, family=family, emails=[SECRETS[1]], offers="rust mentoring"),
                                event_id="")
        store.meetings.save_note(zoe.meeting.id, need=SECRETS[2], follow_up=TODAY + timedelta(days=2))
        store.people.set_tags(zoe.contact.id, ["Quinnell-circle"])
        store.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@example.org"], seeking="rust mentoring"),
                          event_id="")
        before = {str(store.backup(reason="manual").relative_to(folder))}
        store.people.record_scan(Card(given=given, family=family, emails=[SECRETS[1]], title="CTO"), event_id="")  # journal
        store.people.delete(zoe.contact.id)
        after = store.backup(reason="after")
        assert store.people.find_known(Card(emails=[SECRETS[1]])) is None
    for secret in (*SECRETS, "Quinnell-circle"):
        holding = files_holding(folder, secret)
        assert holding <= before, (secret, holding - before)
    assert not any(files_holding(folder, secret) & {str(after.relative_to(folder))} for secret in SECRETS)
    with Store.open(folder, daily_backup=False) as reopened:  # and it stays gone
        assert reopened.people.find_known(Card(emails=[SECRETS[1]])) is None


def test_deleting_a_person_also_deletes_the_introductions_that_name_them(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        zoe = store.people.record_scan(Card(given="Zoë", family="Quinnell", emails=[SECRETS[1]], seeking="a rust mentor"),
                                event_id="")
        store.people.record_scan(Card(given="Bob", family="Stone", emails=["bob@example.org"], offers="rust mentoring"),
                          event_id="")
        [suggestion] = store.intros.suggest()
        store.intros.draft(suggestion, me="Me")
        store.people.delete(zoe.contact.id)
        after = store.backup(reason="after")
        assert store.intros.drafts() == []
    assert files_holding(folder, "Quinnell") == set(), str(after)


def test_a_temp_file_left_by_a_killed_write_does_not_keep_a_deleted_person(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Store.open(folder, daily_backup=False) as store:
        zoe = store.people.record_scan(Card(given="Zoë", family="Quinnell", emails=[SECRETS[1]]), event_id="")
        store._storage.compact()
    # What a SIGKILL in the middle of atomic_write leaves (the crash campaign counts them): a temp copy,
    # named as now, and as before the names began with ".mutual-".
    (folder / ".mutual-mutual.json.99999.tmp").write_bytes((folder / "mutual.json").read_bytes())
    (folder / ".mutual.json.99998.tmp").write_bytes((folder / "mutual.json").read_bytes())
    with Store.open(folder, daily_backup=False) as store:
        store.people.delete(zoe.contact.id)
    assert files_holding(folder, "Quinnell") == set()
