"""Starting the app: where no window can open, one sentence and the web mode on 127.0.0.1."""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from main import wants_app
from networking_app.ui import web_key
from networking_app.ui.launcher import desktop_unavailable_reason
from networking_app.ui.web_key import AllowedHosts, is_loopback
from networking_app.ui.web_server import lan_addresses, text_qr

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
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")


def test_host_headers_are_read_with_or_without_a_port_and_ipv6_brackets() -> None:
    loopback = AllowedHosts.bound_to("127.0.0.1")
    assert all(loopback.allows(h) for h in ("127.0.0.1", "127.0.0.1:8550", "LOCALHOST:1", "[::1]:8550"))
    assert not any(loopback.allows(h) for h in (None, "", "evil.example", "127.0.0.1.evil.example", "127.0.0.1:x",
                                                 "user@127.0.0.1", "127.0.0.1 :80", "[::1", "::1:80", "192.168.1.2"))
    lan = AllowedHosts.bound_to("192.168.1.20")
    assert lan.allows("192.168.1.20:8550") and not lan.allows("127.0.0.1:8550") and not lan.allows("192.168.1.21")
    every = AllowedHosts.bound_to("0.0.0.0")
    assert every.allows("10.1.2.3:8550") and every.allows("[fe80::1]:8550") and every.allows("localhost")
    assert not every.allows("mutual.example:8550")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow  # starts the web server
def test_uv_run_main_py_without_a_display_serves_the_web_mode_on_loopback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.Popen([sys.executable, "main.py", "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("There is no display here, so Mutual is served at http://127.0.0.1:")
        assert re.search(r"/\?key=[\w-]{22,} instead: open it in a browser on this machine\.$", line), line
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


# -- the web mode opens only with the printed link ---------------------------------------------------------------
def _web_env(**extra: str) -> dict[str, str]:
    """No display (no browser opens) and every log the server can write, to look for the key in."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return dict(env, FLET_LOG_LEVEL="debug", **extra)


class WebMode:
    """``main.py --web`` in a child process, its stdout and stderr in files; reached through 127.0.0.1 only."""

    def __init__(self, folder: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.host = extra[extra.index("--host") + 1] if "--host" in extra else "127.0.0.1"
        self.out, self.err = folder / "stdout.txt", folder / "stderr.txt"
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "--web", "--port", str(self.port), "--data-dir", str(folder / "data"), *extra],
            cwd=ROOT, env=env or _web_env(), stdout=self.out.open("w"), stderr=self.err.open("w"))
        deadline = time.monotonic() + 60
        while not (found := re.search(r"key=([\w-]+)", self.out.read_text())):
            assert self.proc.poll() is None and time.monotonic() < deadline, "Mutual printed no link"
            time.sleep(0.05)
        self.key = found[1]
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                assert self.proc.poll() is None and time.monotonic() < deadline, "the web mode never listened"
                time.sleep(0.05)
        self.announcement = self.out.read_text()  # all printed before the server starts

    @property
    def cookie(self) -> str:
        return f"mutual-key-{self.port}={self.key}"

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response

    def websocket_status(self, path: str = "/ws", headers: dict[str, str] | None = None) -> str:
        """The status line the server answers a websocket upgrade with."""
        fields = {"Host": f"127.0.0.1:{self.port}", "Upgrade": "websocket", "Connection": "Upgrade",
                  "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(), "Sec-WebSocket-Version": "13"}
        lines = [f"GET {path} HTTP/1.1"] + [f"{name}: {value}" for name, value in {**fields, **(headers or {})}.items()]
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            return sock.makefile("rb").readline().decode().strip()

    def logs(self) -> str:
        """What the server wrote: stdout (uvicorn's access log goes there) and stderr. Each record is
        flushed before its response is sent."""
        return self.out.read_text() + self.err.read_text()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module", params=["127.0.0.1", "0.0.0.0"], ids=["loopback", "host-0.0.0.0"])
def web(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebMode]:
    extra = () if request.param == "127.0.0.1" else ("--host", request.param)
    server = WebMode(tmp_path_factory.mktemp("web"), *extra)
    yield server
    server.stop()


ASSET = "/flutter_bootstrap.js"  # one of Flet's static files


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_without_the_key_the_page_its_files_uploads_and_the_websocket_are_refused(web: WebMode) -> None:
    for path in ("/", ASSET, "/main.dart.js", "/favicon.png", "/event"):
        response = web.get(path)
        assert response.status == 403, path
        assert "Open the link Mutual printed when it started." in response.body.decode()  # type: ignore[attr-defined]
    assert web.get("/upload", method="PUT").status == 403
    assert web.get("/", method="HEAD").status == 403
    assert web.websocket_status() == "HTTP/1.1 403 Forbidden"
    # the same requests with the cookie are served: what was refused exists
    assert web.get(ASSET, {"Cookie": web.cookie}).status == 200
    assert web.websocket_status(headers={"Cookie": web.cookie}) == "HTTP/1.1 101 Switching Protocols"


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_a_wrong_key_in_the_link_or_the_cookie_is_refused(web: WebMode) -> None:
    wrong = web.key[:-1] + ("A" if web.key[-1] != "A" else "B")
    name = f"mutual-key-{web.port}"
    assert web.get(f"/?key={wrong}").status == 403
    assert web.get("/", {"Cookie": f"{name}={wrong}"}).status == 403
    assert web.get("/", {"Cookie": f"{name}="}).status == 403
    assert web.get("/", {"Cookie": f"mutual-key-{web.port + 1}={web.key}"}).status == 403  # another port's cookie
    assert web.websocket_status(f"/ws?key={wrong}") == "HTTP/1.1 403 Forbidden"
    assert web.websocket_status(headers={"Cookie": f"{name}={wrong}"}) == "HTTP/1.1 403 Forbidden"


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_a_host_the_server_is_not_bound_to_is_refused_even_with_the_key(web: WebMode) -> None:
    """DNS rebinding: a page of attacker.example whose name now resolves to 127.0.0.1."""
    for host in ("attacker.example", f"attacker.example:{web.port}", f"localhost.attacker.example:{web.port}",
                 f"127.0.0.1.nip.io:{web.port}", ""):
        assert web.get("/", {"Host": host, "Cookie": web.cookie}).status == 403, host
        assert web.get(f"/?key={web.key}", {"Host": host}).status == 403, host
        assert web.websocket_status(headers={"Host": host, "Cookie": web.cookie}) == "HTTP/1.1 403 Forbidden"
    for host in (f"localhost:{web.port}", f"127.0.0.1:{web.port}", "localhost"):
        assert web.get("/", {"Host": host, "Cookie": web.cookie}).status == 200, host
    # bound to every address, any address of the machine may be asked for (a name may not): only a header here
    expected = 200 if web.host == "0.0.0.0" else 403
    assert web.get("/", {"Host": f"192.0.2.77:{web.port}", "Cookie": web.cookie}).status == expected


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_a_page_of_another_origin_cannot_open_the_websocket_with_the_cookie(web: WebMode) -> None:
    """Another server on 127.0.0.1 is the same site: the browser sends it the SameSite cookie."""
    for origin in (f"http://127.0.0.1:{web.port + 1}", "http://attacker.example", "null"):
        status = web.websocket_status(headers={"Cookie": web.cookie, "Origin": origin})
        assert status == "HTTP/1.1 403 Forbidden", origin
    same = web.websocket_status(headers={"Cookie": web.cookie, "Origin": f"http://127.0.0.1:{web.port}"})
    assert same == "HTTP/1.1 101 Switching Protocols"


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_the_printed_link_sets_a_strict_http_only_cookie_and_leads_to_the_clean_url(web: WebMode) -> None:
    response = web.get(f"/?key={web.key}")
    assert response.status in (302, 303)
    assert response.getheader("Location") == "/"
    cookie = SimpleCookie(response.getheader("Set-Cookie"))[f"mutual-key-{web.port}"]
    assert cookie.value == web.key
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert web.get(f"/event?key={web.key}&tab=2").getheader("Location") == "/event?tab=2"  # other parameters stay
    page = web.get("/", {"Cookie": f"{cookie.key}={cookie.value}"})
    assert page.status == 200 and b"flutter_bootstrap.js" in page.body  # type: ignore[attr-defined]
    # followed from a link on another site, the page moves itself: a redirect would lose the Strict cookie
    moving = web.get(f"/?key={web.key}", {"Sec-Fetch-Site": "cross-site"})
    assert moving.status == 200 and SimpleCookie(moving.getheader("Set-Cookie"))[cookie.key].value == web.key
    assert b'<meta http-equiv="refresh" content="0; url=/">' in moving.body  # type: ignore[attr-defined]
    assert web.get(f"//attacker.example/?key={web.key}").getheader("Location") == "/attacker.example/"


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_the_key_is_never_written_to_the_logs(web: WebMode) -> None:
    web.get(f"/?key={web.key}")
    web.get(f"/favicon.png?key={web.key}")
    assert web.websocket_status(f"/ws?key={web.key}") == "HTTP/1.1 101 Switching Protocols"
    web.get(f"/?key={web.key}", {"Host": "attacker.example"})
    logs = web.logs()
    printed = [line for line in logs.splitlines() if web.key in line]
    assert printed and all(line in web.announcement.splitlines() for line in printed), printed
    assert '"GET /?key=… HTTP/1.1" 303' in logs  # the requests were logged, without the key
    assert "WebSocket /ws?key=…" in logs


@pytest.mark.slow  # the web server of the module's `web` fixture
def test_the_link_for_this_machine_and_for_other_machines(web: WebMode) -> None:
    lines = web.announcement.splitlines()
    assert lines[0] == f"Mutual is served at http://127.0.0.1:{web.port}/?key={web.key}"
    assert len(web.key) >= 22  # 128 bits or more in URL-safe base64
    if web.host != "0.0.0.0":
        assert "Warning" not in web.announcement and "scan" not in web.announcement
        return
    warning = next(line for line in lines if line.startswith("Warning: 0.0.0.0 is reachable from other machines."))
    assert "see the traffic" in warning and "no encryption" in warning and "network you trust" in warning
    others = lan_addresses()
    if not others:
        assert "could not tell this machine's network address" in web.announcement
        return
    lan_url = f"http://{others[0]}:{web.port}/?key={web.key}"
    assert f"open {lan_url} or scan this code:" in web.announcement
    assert read_text_qr(web.announcement, colours=False) == lan_url


@pytest.mark.parametrize("colours", [False, True], ids=["plain", "terminal-colours"])
def test_the_text_qr_code_reads_back_as_the_link(colours: bool) -> None:
    url = f"http://192.168.100.200:65535/?key={web_key.new_key()}"
    assert read_text_qr(text_qr(url, colours=colours), colours=colours) == url


def read_text_qr(text: str, *, colours: bool) -> str:
    """Decode a QR code drawn in block characters (two modules a character, one upper, one lower)."""
    from PIL import Image

    from networking_app.qr_decode import decode_first

    rows = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text.splitlines()]
    rows = [row for row in rows if row and set(row) <= set("\u00a0 ▀▄█")]
    width = max(len(row) for row in rows)
    image = Image.new("L", (width, 2 * len(rows)), 255)
    for y, row in enumerate(rows):
        for x, char in enumerate(row):
            for half, drawn in ((0, char in "▀█"), (1, char in "▄█")):
                # plain: a drawn half is a dark module; with colours it is a white one on black
                if drawn != colours:
                    image.putpixel((x, 2 * y + half), 0)
    return decode_first(image.resize((width * 8, len(rows) * 16), Image.NEAREST))


@pytest.mark.slow  # starts the web server
def test_where_there_is_a_desktop_the_browser_opens_the_link_with_the_key(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {opened}\n")
    browser.chmod(0o755)
    server = WebMode(tmp_path, env=_web_env(DISPLAY=":99", BROWSER=str(browser)))
    try:
        deadline = time.monotonic() + 30
        while not opened.exists() or not opened.read_text():
            assert time.monotonic() < deadline, "no browser was opened"
            time.sleep(0.1)
        assert opened.read_text() == f"http://127.0.0.1:{server.port}/?key={server.key}"
        assert server.get(f"/?key={server.key}").status == 303
    finally:
        server.stop()


def test_the_warm_up_loads_every_screen_and_the_intros_index_after_the_first_paint(tmp_path: Path) -> None:
    """In a fresh interpreter: after the warm-up, no screen's first visit imports its module on the
    event loop, nor does the first scan its parser, decoder or note sheet, and the introductions
    index is ready for the first note sheet."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from networking_app.models import MyCard\n"
        "from networking_app.store import Store\n"
        "from networking_app.ui import launcher, routes\n"
        "launcher.DECODER_DELAY = 0\n"
        f"store = Store.open(Path({str(tmp_path / 'd')!r}), daily_backup=False)\n"
        "store.cards.save(MyCard(given='Λένα', family='Παππά', formatted='Λένα Παππά', emails=['l@example.gr']))\n"
        "launcher._warm_up(store)\n"
        "targets = [*routes.SIMPLE.values(), *routes.WITH_ID.values()]\n"
        "missing = [t for t in targets if 'networking_app.ui.screens.' + t.split(':')[0] not in sys.modules]\n"
        "first_scan = ['networking_app.payload', 'networking_app.qr_decode', 'networking_app.ui.note_sheet']\n"
        "missing += [m for m in first_scan if m not in sys.modules]\n"
        "print(missing, store.records.ix.intros is not None)\n"
    )
    said = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert said.stdout.strip() == "[] True", said.stderr
