"""The test suite's network guard: no connection leaves this machine.

Mutual works offline and keeps the data on the device, so no test may open a socket to
another machine, nor look up a name in the DNS. :func:`install` patches the socket module
so that such a connection is refused before any packet is sent, and appends one line per
attempt to a log file shared by the pytest process and every Python process it starts
(``tests/netguard/sitecustomize.py`` installs the same guard in each child).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
import traceback

ENV_LOG = "MUTUAL_NETGUARD_LOG"  # the file violations are appended to
ENV_PROCS = "MUTUAL_NETGUARD_PROCS"  # the file each guarded process appends its pid to
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

_installed = False


def is_local_host(host: object) -> bool:
    """True for loopback addresses, the unspecified address (it reaches this machine) and localhost."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower()
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_loopback or address.is_unspecified


def is_local_address(address: object, family: int | None = None) -> bool:
    """Whether a socket address (what connect() takes) stays on this machine."""
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, (str, bytes)):
        return True  # a Unix socket path
    if isinstance(address, tuple) and address:
        return is_local_host(address[0])
    return False


def _describe(address: object) -> str:
    if isinstance(address, tuple) and len(address) >= 2:
        return f"{address[0]}:{address[1]}"
    return repr(address)


def record(kind: str, target: str) -> None:
    """Append one violation to the shared log (or stderr when there is none)."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" (")[0]
    where = " < ".join(
        f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(traceback.extract_stack(limit=8)[:-3])
    )
    line = f"{kind} {target} pid={os.getpid()} test={test or '-'} at {where}\n"
    path = os.environ.get(ENV_LOG)
    if not path:
        sys.stderr.write(f"network guard: {line}")
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8", "replace"))
    finally:
        os.close(fd)


def _refused(target: str) -> ConnectionRefusedError:
    return ConnectionRefusedError(
        errno.ECONNREFUSED, f"Mutual's tests never connect outside this machine (refused {target})"
    )


def install() -> None:
    """Patch the socket module in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    own_names = {socket.gethostname().lower()}

    def connect(self: socket.socket, address: object) -> None:
        if not is_local_address(address, self.family):
            record("connect", _describe(address))
            raise _refused(_describe(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not is_local_address(address, self.family):
            record("connect_ex", _describe(address))
            return errno.ECONNREFUSED
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: bytes, *args: object) -> int:
        address = args[-1]
        if not is_local_address(address, self.family):
            record("sendto", _describe(address))
            raise _refused(_describe(address))
        return real_sendto(self, data, *args)  # type: ignore[arg-type]

    def lookup_allowed(host: object) -> bool:
        if is_local_host(host):
            return True
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.lower() in own_names:
            return True
        try:
            ipaddress.ip_address(name.strip("[]").split("%", 1)[0])
            return True  # a literal address needs no lookup; connect() judges it
        except ValueError:
            return False

    def getaddrinfo(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if not lookup_allowed(host):
            record("dns", str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"Mutual's tests never look up {host} in the DNS")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    def gethostbyname(host: str) -> str:
        if not lookup_allowed(host):
            record("dns", host)
            raise socket.gaierror(socket.EAI_NONAME, f"Mutual's tests never look up {host} in the DNS")
        return real_gethostbyname(host)

    def gethostbyname_ex(host: str):  # type: ignore[no-untyped-def]
        if not lookup_allowed(host):
            record("dns", host)
            raise socket.gaierror(socket.EAI_NONAME, f"Mutual's tests never look up {host} in the DNS")
        return real_gethostbyname_ex(host)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    socket.gethostbyname = gethostbyname  # type: ignore[assignment]
    socket.gethostbyname_ex = gethostbyname_ex  # type: ignore[assignment]
    procs = os.environ.get(ENV_PROCS)
    if procs:
        fd = os.open(procs, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{os.getpid()} {' '.join(sys.argv)[:200]}\n".encode("utf-8", "replace"))
        finally:
            os.close(fd)


def violations(path: str | os.PathLike[str]) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    except FileNotFoundError:
        return []
