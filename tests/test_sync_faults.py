"""Sync under faults: kill -9 at random moments, a sync folder that turns read-only or fills up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.namespaces import needs_mount_namespace
from tools.sync_crash_trials import run_trials

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
TRIALS = int(os.environ.get("MUTUAL_SYNC_KILL_TRIALS", "25"))  # tools/sync_crash_trials.py runs 200+


def test_kill_9_while_writing_and_syncing_loses_no_acknowledged_change(tmp_path: Path) -> None:
    totals = run_trials(TRIALS, tmp_path)
    assert totals.acknowledged > TRIALS and totals.killed_in_sync > 0, totals  # the kills landed in real work
    assert totals.ok(), totals


@needs_mount_namespace
def test_a_read_only_then_full_sync_folder_stops_nothing_and_loses_nothing(tmp_path: Path) -> None:
    (tmp_path / "mnt").mkdir()
    proc = subprocess.run(["unshare", "-rm", sys.executable, "-m", "tests.support.sync_folder_faults",
                           str(tmp_path / "mnt"), str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    read_only = seen["read_only"]
    assert read_only["b"] == ["Ana Lima", "Bo Chen"]  # what came in came in
    assert any("read-only" in p for p in read_only["problems"]) and read_only["waiting"] == 1
    full = seen["full"]
    assert "is full: your changes are kept here" in full["error"], full
    assert "\n" not in full["error"] and full["waiting"] == 1
    assert seen["after"] == {"a": ["Ana Lima", "Bo Chen"], "b": ["Ana Lima", "Bo Chen"], "waiting": 0}
