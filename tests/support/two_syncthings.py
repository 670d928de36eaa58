"""Two real Syncthing instances on this machine, sharing one folder over 127.0.0.1 only.

From ../shared/recipes/syncthing-loopback (the project's recipe), with reconnection every 2 s
(at the default 60 s a paused link takes ~57 s to come back). Used by tests/test_sync_syncthing.py.

Needs Debian's `syncthing` (apt-get install syncthing; 1.19.2 there). Nothing leaves the machine:
no global or local discovery, no relays, no NAT traversal, no usage reporting, listen and GUI/API
addresses on 127.0.0.1, each device told the other's static address.
Measured: a new file or an append on one side appears on the other in about 1.0 s
(fsWatcherDelayS=1), the two devices connect about 1 s after start.
"""
from __future__ import annotations

import re
import socket
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _generate(home: Path) -> str:
    out = subprocess.run(["syncthing", "generate", f"--home={home}", "--no-default-folder"],
                         capture_output=True, text=True, check=True)
    return re.search(r"Device ID: ([A-Z0-9-]+)", out.stdout + out.stderr).group(1)


def _configure(home: Path, folder: Path, me: str, other: str, gui: int, listen: int, other_listen: int) -> None:
    path = home / "config.xml"
    tree = ET.parse(path)
    root = tree.getroot()
    root.find("gui/address").text = f"127.0.0.1:{gui}"
    opts = root.find("options")
    opts.find("listenAddress").text = f"tcp://127.0.0.1:{listen}"
    for e in opts.findall("globalAnnounceServer"):
        opts.remove(e)
    for tag, value in [("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"),
                       ("relaysEnabled", "false"), ("natEnabled", "false"), ("urAccepted", "-1"),
                       ("startBrowser", "false"), ("crashReportingEnabled", "false"), ("autoUpgradeIntervalH", "0"),
                       ("reconnectionIntervalS", "2")]:
        e = opts.find(tag)
        if e is None:
            e = ET.SubElement(opts, tag)
        e.text = value
    dev = ET.SubElement(root, "device", id=other, name="peer", compression="metadata", introducer="false")
    ET.SubElement(dev, "address").text = f"tcp://127.0.0.1:{other_listen}"
    f = ET.SubElement(root, "folder", id="mutual", label="mutual", path=str(folder), type="sendreceive",
                      rescanIntervalS="3600", fsWatcherEnabled="true", fsWatcherDelayS="1")
    ET.SubElement(f, "device", id=me)
    ET.SubElement(f, "device", id=other)
    tree.write(path)


def start_pair(base: Path) -> tuple[Path, Path, list[subprocess.Popen]]:
    base = Path(base)
    homes = [base / "a" / "home", base / "b" / "home"]
    folders = [base / "a" / "sync", base / "b" / "sync"]
    for p in homes + folders:
        p.mkdir(parents=True, exist_ok=True)
    ids = [_generate(h) for h in homes]
    gui = [_free_port(), _free_port()]
    listen = [_free_port(), _free_port()]
    for i, j in ((0, 1), (1, 0)):
        _configure(homes[i], folders[i], ids[i], ids[j], gui[i], listen[i], listen[j])
    procs = [subprocess.Popen(["syncthing", "serve", f"--home={h}", "--no-browser", "--no-restart"],
                              stdout=(h / "serve.log").open("wb"), stderr=subprocess.STDOUT) for h in homes]
    return folders[0], folders[1], procs

