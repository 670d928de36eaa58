"""The web mode's server: Flet's own FastAPI app behind the key, run under uvicorn.

Flet 1.0.5 offers no hook into the server ``ft.run(view=WEB_BROWSER)`` starts: it builds the
FastAPI app and hands it to uvicorn in one function (``flet_web.fastapi.serve_fastapi_web_app``).
Its supported way out is ``ft.run(main, export_asgi_app=True)``, which returns that same app
(``get_fastapi_web_app``: the websocket, the static files, Flet's lifespan) for an ASGI server to
run. Mutual adds the fallback fonts the client asks for (:mod:`.fallback_fonts`: Chinese, Arabic,
Korean… names offline), wraps it in :class:`~.web_key.KeyGate` and runs it with uvicorn as Flet does
(``ws="websockets-sansio"``, the log level of the ``flet`` logger).
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
import logging
import os
import socket
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .web_key import WILDCARD_HOSTS, AllowedHosts, KeyGate, is_loopback, keep_out_of_logs, new_key

GRACEFUL_SECONDS = 5  # open sessions get this long to close when the server is stopped
# Container and VM bridges: a phone on the Wi-Fi cannot reach those addresses, so they come last.
VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "cni", "flannel")


@dataclass(frozen=True)
class WebSite:
    """Where the web mode listens, and the links that open it: each carries this run's key."""

    host: str
    port: int
    key: str = field(default_factory=new_key, repr=False)

    @property
    def local_url(self) -> str:
        """The link for a browser on this machine."""
        if self.host in WILDCARD_HOSTS:
            return self.url("::1" if self.host == "::" else "127.0.0.1")
        return self.url("127.0.0.1" if self.host.lower() == "localhost" else self.host)

    def lan_urls(self) -> list[str]:
        """Links for other devices on the network (none when bound to loopback)."""
        if is_loopback(self.host):
            return []
        return [self.url(address) for address in (lan_addresses() if self.host in WILDCARD_HOSTS else [self.host])]

    def url(self, address: str) -> str:
        return f"http://{f'[{address}]' if ':' in address else address}:{self.port}/?key={self.key}"


def announce(site: WebSite, reason: str = "", out: TextIO | None = None, *, first_line: bool = True) -> None:
    """Print the link (and for other machines a QR code of it, and what the key does not protect)."""
    out = out or sys.stdout

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    if first_line and reason:
        say(f"{reason}, so Mutual is served at {site.local_url} instead: open it in a browser on this machine.")
    elif first_line:
        say(f"Mutual is served at {site.local_url}")
    say("Only a browser that opens this link gets in; the key in it changes each time Mutual starts.")
    if is_loopback(site.host):
        return
    others = site.lan_urls()
    if others:
        if others[0] != site.local_url:
            say(f"On a phone or another computer on this network, open {others[0]} or scan this code:")
        else:
            say("On a phone on this network, scan this code:")
        try:
            say(text_qr(others[0], colours=out.isatty() and os.name != "nt"))
        except UnicodeEncodeError:  # a terminal without block characters
            say("(this terminal cannot show the code: type the link instead)")
        for url in others[1:]:
            say(f"This machine is also at {url}")
    else:
        say(f"Mutual could not tell this machine's network address: on another device, open {site.local_url} "
            "with 127.0.0.1 replaced by it.")
    say(f"Warning: {site.host} is reachable from other machines. The key keeps out anyone without the link, but "
        "anyone on the network can see the traffic, your contacts and the key included (plain HTTP, no "
        "encryption): use --host only on a network you trust.")


class _Terminal(io.StringIO):
    """A buffer that asks for the terminal colours qrcode writes to a tty (light modules on black)."""

    def isatty(self) -> bool:
        return True


def text_qr(data: str, *, colours: bool) -> str:
    """A QR code in block characters, two modules a line.

    With ``colours`` it sets black and white itself, so it reads on a dark or a light terminal;
    without, dark modules are blocks (read as printed, dark on light).
    """
    import qrcode

    code = qrcode.QRCode(border=4)
    code.add_data(data)
    out = _Terminal() if colours else io.StringIO()
    code.print_ascii(out=out, tty=colours)
    return out.getvalue().rstrip("\n")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other devices may reach, found without sending a packet."""
    found: list[str] = []
    for address in _interface_addresses() or _host_name_addresses():
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified) and address not in found:
            found.append(address)
    return found


def _interface_addresses() -> list[str]:
    """Linux: each interface's IPv4 address (SIOCGIFADDR), container bridges last."""
    if not sys.platform.startswith("linux"):
        return []
    import fcntl

    siocgifaddr = 0x8915
    named: list[tuple[bool, str]] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                raw = fcntl.ioctl(sock.fileno(), siocgifaddr, struct.pack("256s", name.encode()[:15]))
            except OSError:  # no IPv4 address on this interface
                continue
            named.append((name.startswith(VIRTUAL_INTERFACES), socket.inet_ntoa(raw[20:24])))
    return [address for _, address in sorted(named, key=lambda pair: pair[0])]


def _host_name_addresses() -> list[str]:
    try:
        return [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        return []


def serve(main: Callable[..., Any], site: WebSite, *, assets_dir: str, on_listening: Callable[[], None]) -> None:
    """Serve ``main`` behind the key until the process is told to stop; ``on_listening`` runs in a
    thread once the port accepts connections."""
    import flet as ft
    import uvicorn

    from . import fallback_fonts

    keep_out_of_logs(site.key)
    app = ft.run(main, export_asgi_app=True, assets_dir=assets_dir, no_cdn=True)
    fallback_fonts.add_route(app)  # inside the app the key guards, like every other file
    gate = KeyGate(app, site.key, site.port, AllowedHosts.bound_to(site.host))
    config = uvicorn.Config(gate, host=site.host, port=site.port, log_level=_log_level(), ws="websockets-sansio",
                            loop="asyncio", proxy_headers=False, timeout_graceful_shutdown=GRACEFUL_SECONDS)
    asyncio.run(_serve(uvicorn.Server(config), on_listening))


async def _serve(server: Any, on_listening: Callable[[], None]) -> None:
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():
        await asyncio.sleep(0.02)
    if server.started:
        threading.Thread(target=on_listening, name="web-listening", daemon=True).start()
    await serving


def _log_level() -> str:
    """uvicorn logs at the level of the ``flet`` logger (``FLET_LOG_LEVEL``), as ``ft.run`` has it do."""
    level = logging.getLogger("flet").getEffectiveLevel()
    return "critical" if level in (logging.CRITICAL, logging.NOTSET) else logging.getLevelName(level).lower()
