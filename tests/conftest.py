"""Suite-wide fixtures: the network guard, and the store the domain tests run on.

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
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.netguard import mutual_netguard as netguard

if TYPE_CHECKING:
    from networking_app.store import Store

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
    config.addinivalue_line("markers", "on_disk: runs on the on-disk store only (files, journal, processes)")
    config.addinivalue_line("markers", "slow: a long campaign (races, many trials); deselect with -m 'not slow'")


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


# -- the store: in memory and on disk ------------------------------------------------------------
STORE_KINDS = ("memory", "disk")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that opens stores with ``open_store`` runs once per kind, unless marked ``on_disk``."""
    if "store_kind" in metafunc.fixturenames:
        on_disk = metafunc.definition.get_closest_marker("on_disk") is not None
        metafunc.parametrize("store_kind", ["disk"] if on_disk else list(STORE_KINDS))


@pytest.fixture
def open_store(store_kind: str, tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """``open_store(name="data", today=..., **options)``: a store in ``tmp_path / name``, closed after the test.

    In memory, the folder holds only backups, and ``options`` (the on-disk storage's) are not used.
    """
    from networking_app.store import Store

    opened: list[Store] = []

    def open_(name: str = "data", *, today: Callable[[], date] = date.today, **options: Any) -> Store:
        folder = tmp_path / name
        if store_kind == "memory":
            folder.mkdir(parents=True, exist_ok=True)  # as on disk: the data folder exists once a store is open
            store = Store.in_memory(folder, today=today)
        else:
            store = Store.open(folder, today=today, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
