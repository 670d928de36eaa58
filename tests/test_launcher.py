"""Starting the app: where no window can open, one sentence and the web mode on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from main import wants_app
from networking_app.ui.launcher import _is_loopback, desktop_unavailable_reason

ROOT = Path(__file__).resolve().parent.parent


def test_no_command_or_only_app_options_starts_the_app() -> None:
    assert wants_app([]) and wants_app(["--web"]) and wants_app(["--web", "--port", "9000", "--data-dir", "d"])
    assert wants_app(["--port=9000"])
    assert not wants_app(["contacts"]) and not wants_app(["--data-dir", "d", "scan", "x.png"])


def test_without_a_display_the_reason_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is Linux-specific")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert desktop_unavailable_reason() == "There is no display here"


def test_loopback_addresses_are_recognised() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.20")


def test_uv_run_main_py_without_a_display_serves_the_web_mode_on_loopback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.Popen([sys.executable, "main.py", "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("There is no display here, so Mutual is served at http://127.0.0.1:")
        assert line.endswith("/ instead: open it in a browser on this machine.")
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the web mode never listened"
                time.sleep(0.1)
        listening = Path("/proc/net/tcp").read_text() if Path("/proc/net/tcp").exists() else ""
        if listening:  # bound to 127.0.0.1 (0100007F), never 0.0.0.0
            ours = [row.split()[1] for row in listening.splitlines()[1:] if row.split()[1].endswith(f":{port:04X}")]
            assert ours and all(addr.startswith("0100007F") for addr in ours), ours
    finally:
        proc.terminate()
        proc.wait(10)
