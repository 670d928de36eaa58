"""Suite-wide fixtures: the network guard.

Mutual works offline, so the whole test run must open no socket to another machine and
look up no name in the DNS. The guard (``tests/netguard/mutual_netguard.py``) is installed
in this process when pytest starts and, through ``tests/netguard/sitecustomize.py`` on
PYTHONPATH, in every Python process the tests start (the web server of the end-to-end tests,
CLI runs, crash writers). Each attempt is refused and logged; the run fails at the end with
the list. Chromium's own requests are guarded by Playwright routing (``tests/e2e/conftest.py``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netguard import mutual_netguard as netguard

GUARD_DIR = Path(__file__).resolve().parent / "netguard"
_log_dir = tempfile.mkdtemp(prefix="mutual-netguard-")
LOG = Path(_log_dir) / "violations.log"
PROCS = Path(_log_dir) / "guarded-processes.log"


def pytest_configure(config: pytest.Config) -> None:
    """Install the guard before any test module is imported, and hand it to children."""
    os.environ[netguard.ENV_LOG] = str(LOG)
    os.environ[netguard.ENV_PROCS] = str(PROCS)
    paths = os.environ.get("PYTHONPATH", "")
    if str(GUARD_DIR) not in paths.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD_DIR), paths) if p)
    netguard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_log_dir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def network_guard() -> Iterator[Path]:
    """The violations log; the session fails at the end if anything tried to leave the machine."""
    yield LOG
    found = netguard.violations(LOG)
    if found:
        pytest.fail(
            "the test run tried to reach other machines (refused):\n  " + "\n  ".join(found), pytrace=False
        )
