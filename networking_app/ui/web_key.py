"""The key that opens the web mode: only a browser that opened the printed link gets in.

Each launch makes a new key. The printed link carries it (``/?key=…``); opening it sets an
HttpOnly, SameSite=Strict cookie and redirects to the clean URL, so the key leaves the address
bar and the history. :class:`KeyGate` wraps the ASGI app Flet builds and answers 403 to every
request and websocket upgrade that holds neither the key nor the cookie, whose Host is not a
name the server is bound to (DNS rebinding), or whose Origin is another page (another server on
127.0.0.1 is the same *site*, so SameSite alone would still send it the cookie).
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import HTTPConnection

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KEY_BYTES = 24  # 192 bits, URL-safe: 32 characters in the link
QUERY_NAME = "key"
REFUSED_SENTENCE = "Open the link Mutual printed when it started."
REFUSED_PAGE = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Mutual</title></head>"
    "<body style=\"font: 18px/1.5 system-ui, sans-serif; max-width: 32em; margin: 4em auto; padding: 0 1em\">"
    f"<h1 style=\"font-size: 1.4em\">Mutual</h1><p>{REFUSED_SENTENCE}</p></body></html>"
).encode()
MOVING_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta http-equiv=\"refresh\" content=\"0; url={0}\"><title>Mutual</title></head>"
               "<body><p><a href=\"{0}\">Open Mutual</a></p></body></html>")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
_HOST_HEADER = re.compile(r"^(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[^:\[\]/@\s]+))(?::\d{1,5})?$", re.IGNORECASE)


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def cookie_name(port: int) -> str:
    """One cookie per port: cookies ignore ports, and two Mutuals must not overwrite each other's."""
    return f"mutual-key-{port}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class AllowedHosts:
    """The names a request's Host header may carry: the ones the server is bound to.

    Bound to one address, that address (and the loopback names when it is loopback). Bound to
    every address (0.0.0.0, ::), the loopback names and any IP address: the machine's addresses
    change with the network, and DNS rebinding needs a name, never an address.
    """

    names: frozenset[str]
    any_address: bool = False

    @classmethod
    def bound_to(cls, host: str) -> AllowedHosts:
        if host in WILDCARD_HOSTS:
            return cls(LOOPBACK_NAMES, any_address=True)
        names = {host.lower().strip("[]")}
        return cls(frozenset(names | LOOPBACK_NAMES if is_loopback(host) else names))

    def allows(self, host_header: str | None) -> bool:
        match = _HOST_HEADER.match(host_header or "")
        if match is None:
            return False
        name = (match["v6"] or match["name"]).lower()
        return name in self.names or (self.any_address and _is_address(name))


class KeyGate:
    """ASGI middleware in front of Flet's app: the key or its cookie, a known Host, no foreign Origin."""

    def __init__(self, app: ASGIApp, key: str, port: int, hosts: AllowedHosts) -> None:
        self.app = app
        self._key = key.encode()
        self.cookie = cookie_name(port)
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan: Flet's start-up and shut-down
            await self.app(scope, receive, send)
            return
        request = HTTPConnection(scope)
        if not self._from_a_known_place(request):
            await _refuse(scope, receive, send)
            return
        if self._holds(request.query_params.get(QUERY_NAME)):
            if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
                await self._let_in(request, send)
            else:
                await self.app(scope, receive, send)
        elif self._holds(request.cookies.get(self.cookie)):
            await self.app(scope, receive, send)
        else:
            await _refuse(scope, receive, send)

    def _holds(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self._key)

    def _from_a_known_place(self, request: HTTPConnection) -> bool:
        host = request.headers.get("host")
        if not self.hosts.allows(host):
            return False
        origin = request.headers.get("origin")
        return origin is None or urlsplit(origin).netloc.lower() == (host or "").lower()

    async def _let_in(self, request: HTTPConnection, send: Send) -> None:
        """Set the cookie and send the browser to the same page without the key in its URL.

        Followed from a link on another site, a redirect would arrive without the SameSite=Strict
        cookie it just set (and a reload too): then the page moves itself, as this site's own
        navigation, which carries it.
        """
        rest = [(name, value) for name, value in request.query_params.multi_items() if name != QUERY_NAME]
        raw_path = (request.scope.get("raw_path") or request.scope["path"].encode()).decode("latin-1")
        location = "/" + raw_path.lstrip("/") + (f"?{urlencode(rest)}" if rest else "")  # never //other.host
        headers = [(b"set-cookie", f"{self.cookie}={self._key.decode()}; Path=/; HttpOnly; SameSite=Strict".encode()),
                   (b"cache-control", b"no-store"), (b"referrer-policy", b"no-referrer")]
        if request.headers.get("sec-fetch-site") == "cross-site":
            status, body = 200, MOVING_PAGE.format(html.escape(location)).encode()
            headers.append((b"content-type", b"text/html; charset=utf-8"))
        else:
            status, body = 303, b""
            headers.append((b"location", location.encode("latin-1")))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if request.scope["method"] == "HEAD" else body})


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # the connect event; closing before accepting answers the upgrade with 403
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 403, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(REFUSED_PAGE)).encode()),
        (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else REFUSED_PAGE})


def keep_out_of_logs(secret: str, mask: str = "…") -> None:
    """Every log record made in this process from now on has ``secret`` replaced by ``mask``.

    The server logs each request line (uvicorn's access log, its websocket log), and the first
    request carries the key; a record factory catches it whatever the logger or handler. The
    arguments are masked one by one, because formatters such as uvicorn's access log read them.
    """
    make_record = logging.getLogRecordFactory()

    def hide(value: Any) -> Any:
        return value.replace(secret, mask) if isinstance(value, str) else value

    def masked(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports it itself
            return record
        if secret in message:
            record.msg = hide(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(hide(arg) for arg in record.args)
            elif isinstance(record.args, dict):
                record.args = {name: hide(arg) for name, arg in record.args.items()}
            if secret in record.getMessage():  # held in an argument that is not text
                record.msg, record.args = message.replace(secret, mask), None
        return record

    logging.setLogRecordFactory(masked)
