"""Tests that need a real full or read-only filesystem run in a Linux user + mount namespace."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


def unshare_available() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_mount_namespace = pytest.mark.skipif(not unshare_available(), reason="needs unshare (Linux user+mount namespaces)")
