"""Measure Mutual's UI speed targets in Debian's Chromium (Playwright), over the web mode.

Run: ``uv run python bench/bench_ui.py [--rounds N] [--scans N] [--contacts N]``
(defaults 5, 5, 10,000; a few minutes on 2 cores). Never runs ``playwright install``:
it drives /usr/bin/chromium (``$CHROMIUM`` overrides).

1. **First paint vs a minimal Flet app, same run.** Wall time from ``subprocess.Popen`` of the
   Python process to the thing being painted in a fresh headless page: for Mutual (a store
   with my card and a running event, so it lands on the Scan screen) the ``img`` "QR code of
   the card of Ana Lima" visible in the semantics tree *and* a screenshot of it decoding to my
   card; for ``bench/minimal_flet_app.py`` (a Text and a Button) its button visible and its
   screenshot not blank. Both: the browser is already running, a new context is opened
   before Popen, ``goto`` is issued as soon as the port answers (and retried until it
   loads; see :func:`goto_when_up`), then the loading logo is awaited and semantics are
   enabled by clicking ``flt-semantics-placeholder``. The end is the moment the confirming
   screenshot was taken (both apps polled alike: see :func:`painted_at`); the moment the
   semantics node was visible is shown too, and what one screenshot and check cost. Rounds
   alternate which app goes first, after one unreported warm-up each; reported: medians, the
   ratio of the medians (target: Mutual ≤ 1.15 × minimal), the median of the per-round
   ratios, and the server process's CPU time at paint (steadier than wall time on a
   shared machine).
2. **Image chosen → prompt.** On the Scan screen, ``expect_file_chooser`` + ``set_files`` on
   "Open a photo": from ``set_files`` returning to the review sheet's "Save contact" visible,
   then from the click on "Save contact" to "How can I help them?" visible; a new person
   each time. Median of each and of their sums (target ≤ 1 s).
3. **Event-loop lag.** Mutual started with ``MUTUAL_LOOP_MONITOR=file`` (see
   ``networking_app/ui/loop_monitor.py``) on a store seeded with N contacts, driven through a
   realistic session (each tab, a search typed key by key, a person, my card, 3 scans with
   notes). Every late wake of the 10 ms tick is assigned to the step running then (a step
   lasts until the next begins), with the loop thread's CPU time over that wait: on a busy
   machine a tick is also late when the process waits for a core, so min(lag, CPU) is
   reported too ("busy": Python computing on the loop, robust to that noise). Silences
   ≥ 40 ms come with snapshots of the loop thread's stack: they name the handler, or show
   the loop idle in select() (it waited for a core or the GIL, not for a handler).

Both apps' processes read Python's bytecode from a cache of the bench's own
(``PYTHONPYCACHEPREFIX`` in its temporary folder), written by the unreported warm-up start:
what every start after the first looks like on a person's machine, where Python keeps
``__pycache__``. ``--bytecode source`` makes every start compile every module from source
instead (what this sandbox's ``PYTHONDONTWRITEBYTECODE=1`` did to every start before
2026-12-03: Mutual imports ~120 modules more than the minimal app).

Visibility is polled every 20 ms with ``is_visible()`` (Playwright's own waits back off to
100–500 ms between checks, too coarse here). Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import Browser, Locator, Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from networking_app.models import Card  # noqa: E402
from networking_app.payload import parse_payload  # noqa: E402
from networking_app.qr_decode import decode_image  # noqa: E402
from networking_app.qr_image import qr_png  # noqa: E402
from networking_app.store import Store  # noqa: E402
from networking_app.vcard import fit_card_for_qr  # noqa: E402
from tools.demo_data import ME  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 430, "height": 900}
SEM = "flt-semantics-host"
QR_LABEL = f"QR code of the card of {ME.full_name}"
POLL = 0.02
POLL_MODE = "socket"  # how goto_when_up waits for the port: "socket" or "goto" (see there)
TARGET_RATIO = 1.15
TARGET_SCAN_MS = 1000
TARGET_LAG_MS = 50
# Same environment for both apps; no DISPLAY, so Flet never tries to open a browser itself.
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MUTUAL_LOOP_MONITOR")}


def use_bytecode(mode: str, cache: Path) -> None:
    """Both apps' bytecode in ``cache``: written and reused ("cached"), or never ("source")."""
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(cache)
    if mode == "cached":
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        CHILD_ENV["PYTHONDONTWRITEBYTECODE"] = "1"


# -- small helpers -----------------------------------------------------------------------------------
def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def med(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def poll(check: Callable[[], bool], timeout: float, what: str) -> float:
    """Call ``check`` every 20 ms until it is true; the perf_counter time the successful check began
    (what it saw was there then; a check that ends later does not make it later)."""
    deadline = now() + timeout
    while True:
        began = now()
        try:
            if check():
                return began
        except PlaywrightError:
            pass
        if now() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(POLL)


def visible(locator: Locator, timeout: float = 30, what: str = "") -> float:
    return poll(lambda: locator.first.is_visible(), timeout, what or str(locator))


def hidden(locator: Locator, timeout: float = 30, what: str = "") -> float:
    return poll(lambda: not locator.first.is_visible(), timeout, what or str(locator))


def text(page: Page, value: str | re.Pattern[str], exact: bool = True) -> Locator:
    return page.locator(SEM).get_by_text(value, exact=exact)


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str  # without the key: http://127.0.0.1:PORT/
    started: float  # perf_counter at Popen
    printed: Path | None = None  # Mutual's stdout: the link with this run's key

    def link(self, timeout: float = 90) -> str:
        """The address to open: Mutual's printed link (written before its port opens)."""
        if self.printed is None:  # the minimal app has no key
            return self.url
        deadline = now() + timeout
        while not (found := re.search(re.escape(self.url) + r"\?key=[\w-]+", self.printed.read_text())):
            _check_alive(self, timeout)
            if now() > deadline:
                raise RuntimeError("Mutual printed no link")
            time.sleep(POLL)
        return found[0]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def spawn(app: str, data_dir: Path | None, log: Path, env: dict[str, str] | None = None) -> Server:
    """Start Mutual or the minimal app on a free port; returns at once (the clock starts at Popen)."""
    port = free_port()
    printed = None
    if app == "mutual":
        cmd = [sys.executable, str(ROOT / "main.py"), "--web", "--port", str(port), "--data-dir", str(data_dir)]
        printed = log.with_name(f"{log.stem}-{port}.out")
    else:
        cmd = [sys.executable, str(ROOT / "bench" / "minimal_flet_app.py"), str(port)]
    with log.open("ab") as err, (printed or Path(os.devnull)).open("wb") as out:
        started = now()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env=env or CHILD_ENV)
    return Server(proc, f"http://127.0.0.1:{port}/", started, printed)


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), ms; NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK"), 0)
    except (OSError, ValueError, IndexError):
        return float("nan")


def goto_when_up(page: Page, server: Server, timeout: float = 90) -> float:
    """``goto`` as soon as the port answers (retried until it loads); the perf_counter time it did.

    The port is probed with a plain TCP connect every 20 ms and ``goto`` is issued once it
    accepts: retrying ``goto`` itself every 50 ms makes Chromium render an error page each
    time, and on 2 cores that CPU comes out of the starting server (measured: the minimal
    app's port opened after ~7 s instead of ~2 s). ``--poll goto`` restores that mode.
    """
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    while True:
        if POLL_MODE == "socket":
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                _check_alive(server, timeout)
                time.sleep(POLL)
                continue
        try:
            page.goto(server.link(timeout), wait_until="commit", timeout=30_000)
            return now()
        except PlaywrightError:
            _check_alive(server, timeout)
            time.sleep(0.05)


def _check_alive(server: Server, timeout: float) -> None:
    if server.proc.poll() is not None:
        raise RuntimeError(f"the server exited with {server.proc.returncode}")
    if now() - server.started > timeout:
        raise TimeoutError("the server never answered")


ENABLE_SEMANTICS = """() => {
  const p = document.querySelector('flt-semantics-placeholder');
  if (!p) return false;
  p.click();
  return true;
}"""


def boot(page: Page) -> None:
    """After the first response: the loading logo gone, then semantics enabled (same for both apps)."""
    page.wait_for_function("() => !document.getElementById('loading')", polling=int(POLL * 1000), timeout=90_000)
    page.wait_for_function(ENABLE_SEMANTICS, polling=int(POLL * 1000), timeout=90_000)


def shot(page: Page, locator: Locator) -> Image.Image:
    box = locator.first.bounding_box()
    if not box:
        raise PlaywrightError("no bounding box yet")
    return Image.open(io.BytesIO(page.screenshot(clip=box)))


def drawn(image: Image.Image) -> bool:
    lo, hi = image.convert("L").getextrema()
    return hi - lo > 64  # something is drawn there, not a blank box


def my_qr_in(image: Image.Image) -> bool:
    found = decode_image(image)
    return len(found) == 1 and parse_payload(found[0]).card.full_name == ME.full_name


def painted_at(page: Page, target: Locator, confirm: Callable[[Image.Image], bool], timeout: float) -> float:
    """When a screenshot of ``target`` first showed it painted: the time the screenshot began.

    Both apps are polled alike — a screenshot, then whether anything is drawn — and only a
    drawn screenshot is checked further (Mutual's decoded as my card). Before 2026-12-03 the
    time was taken after the check, and every poll of Mutual decoded its screenshot: Mutual
    was charged its own, slower check (45–230 ms a screenshot and decode, against ~50 ms for
    the button) once at the end and half of one on average before it.
    """
    deadline = now() + timeout
    while True:
        began = now()
        try:
            image = shot(page, target)
            if drawn(image) and confirm(image):
                return began
        except PlaywrightError:
            pass
        if now() > deadline:
            raise TimeoutError("timed out waiting for the first paint")
        time.sleep(POLL)


def open_mutual(browser: Browser, server: Server) -> Page:
    """A new session on Mutual (retried until it answers), on the Scan screen with my QR."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.set_default_timeout(30_000)
    goto_when_up(page, server)
    boot(page)
    visible(page.get_by_role("img", name=QR_LABEL), 60, "my QR")
    return page


# -- stores ------------------------------------------------------------------------------------------------
FIRST = ["Ana", "Bruno", "Chloé", "Dmitri", "Emeka", "Fatima", "Giulia", "Hiro", "Ines", "Jonas", "Kavya", "Lars",
         "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Ximena",
         "Yusuf", "Zoë", "Aisha", "Ben", "Carla", "Diego", "Elif", "Finn", "Grace", "Hana", "Ivan", "Julia"]
LAST = ["Nguyen", "Schmidt", "Okafor", "Rossi", "García", "Kowalski", "Tanaka", "Haddad", "Silva", "Müller",
        "Dubois", "Ivanova", "Patel", "Kim", "Larsen", "O'Brien", "Novak", "Costa", "Yilmaz", "Andersen",
        "Fischer", "Moreau", "Sato", "Mendes", "Jansen", "Kaur", "Hassan", "Popescu", "Weber", "Lindqvist"]
TITLES = ["CTO", "Founder", "Product manager", "Data scientist", "UX designer", "Engineering manager",
          "Angel investor", "Student", "Recruiter", "Backend engineer", "Head of growth", ""]
OFFERS = ["Python mentoring", "intros to seed investors", "UX reviews", "hiring advice", "battery chemistry",
          "Kubernetes help", "pitch deck feedback", "data engineering", "user research", "legal basics for startups"]
SEEKING = ["a technical co-founder", "beta testers", "a Rust contractor", "seed funding", "a summer internship",
           "design partners", "a CFO", "mentoring", "clients in climate tech", "a job in Berlin"]


def seed_small(folder: Path) -> None:
    """My card and a running event: Mutual lands on the Scan screen with my QR."""
    store = Store.open(folder, daily_backup=False)
    store.cards.save(ME)
    store.events.start("PyCon Bench", place="Berlin", intention="meet 3 people, help one")
    store.close()


def seed_big(folder: Path, contacts: int) -> float:
    """``contacts`` people over 100 past events (a third with notes, half of those with follow-ups,
    some met twice) plus a running event with 12 people; one transaction. Returns seconds taken."""
    rng = random.Random(7)
    started = now()
    store = Store.open(folder, daily_backup=False)
    store.cards.save(ME)
    events = 100
    per_event = max(1, (contacts - 12) // events)
    today = date.today()
    made = 0
    again: list[Card] = []
    with store.batch():
        for e in range(events):
            day = today - timedelta(days=7 * (events - e) + 1)
            event = store.events.start(f"Meetup #{e + 1}", place=rng.choice(["Berlin", "Lisbon", "Paris"]),
                                      day=day.isoformat(), intention="meet 3 people, help one")
            for card in again:  # met again a week later
                store.people.record_scan(card, event_id=event.id, met_at=f"{day.isoformat()}T17:30:00")
            again = []
            for i in range(per_event if e < events - 1 else contacts - 12 - made):
                k = made
                made += 1
                first, last = FIRST[k % len(FIRST)], LAST[(k // len(FIRST)) % len(LAST)]
                card = Card(given=first, family=f"{last}-{k}" if k >= len(FIRST) * len(LAST) else last,
                            title=rng.choice(TITLES), organization=f"Company {k % 700}",
                            emails=[f"person{k}@example.org"], phones=[f"+49 30 {1000000 + k}"] if k % 4 == 0 else [],
                            offers=rng.choice(OFFERS), seeking=rng.choice(SEEKING))
                met = f"{day.isoformat()}T{18 + i % 4:02d}:{i % 60:02d}:00"
                result = store.people.record_scan(card, event_id=event.id, met_at=met)
                if k % 3 == 0:
                    due = day + timedelta(days=rng.choice([1, 3, 7, 30, 90, 400])) if k % 6 == 0 else None
                    store.meetings.save_note(result.meeting.id, need=rng.choice(SEEKING), help=rng.choice(OFFERS),
                                    promise="send an intro" if k % 12 == 0 else "", follow_up=due)
                if k % 50 == 0:
                    again.append(card)
            store.events.end()
        store.events.start("PyCon Bench", place="Berlin", intention="meet 5 people, help two")
        for k in range(12):
            card = Card(given=FIRST[k], family="Current", title="Engineer", organization="Here Inc",
                        emails=[f"current{k}@example.org"], offers=rng.choice(OFFERS), seeking=rng.choice(SEEKING))
            result = store.people.record_scan(card)
            if k % 2:
                store.meetings.save_note(result.meeting.id, need="a co-founder", help="intro", promise="", follow_up=today + timedelta(days=1))
        # someone easy to search for, met at three events
        bob = Card(given="Bob", family="Stonebridge", title="CTO", organization="Stone Labs", emails=["bob@stonelabs.example"],
                   offers="intros to hardware investors", seeking="a Python contractor")
        for event in store.events.all()[:3]:
            store.people.record_scan(bob, event_id=event.id)
    counts = store.counts()
    store.close()
    assert counts["contacts"] >= contacts, counts
    return now() - started


def card_png(folder: Path, n: int, tag: str) -> Path:
    first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
    card = Card(given=first, family=f"{last} {tag}{n}", title="Founder", organization=f"Scan Co {tag}{n}",
                emails=[f"scan.{tag}{n}@scan.example"], offers=OFFERS[n % len(OFFERS)], seeking=SEEKING[n % len(SEEKING)])
    path = folder / f"card-{tag}{n}.png"
    path.write_bytes(qr_png(fit_card_for_qr(card).text))
    return path


# -- 1. first paint ---------------------------------------------------------------------------------------
def first_paint(browser: Browser, app: str, data_dir: Path, log: Path) -> dict[str, float]:
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    server = spawn(app, data_dir, log)
    try:
        answered = goto_when_up(page, server)
        cpu_port = cpu_ms(server.proc.pid)
        boot(page)
        booted = now()
        target = page.get_by_role("img", name=QR_LABEL) if app == "mutual" else page.get_by_role("button", name="Press me")
        semantic = visible(target, 90, f"{app}'s target")
        confirm = my_qr_in if app == "mutual" else drawn
        painted = painted_at(page, target, confirm, 30)
        cpu_paint = cpu_ms(server.proc.pid)
        checked = now()
        confirm(shot(page, target))  # once more, painted for sure: what one screenshot and check cost
        check_ms = ms(now() - checked)
    finally:
        ctx.close()
        server.stop()
    t0 = server.started
    return {"port_ms": ms(answered - t0), "boot_ms": ms(booted - t0), "semantics_ms": ms(semantic - t0),
            "paint_ms": ms(painted - t0), "server_cpu_port_ms": cpu_port, "server_cpu_paint_ms": cpu_paint,
            "check_ms": check_ms}


def run_first_paint(browser: Browser, rounds: int, data_dir: Path, log: Path) -> dict[str, Any]:
    print("\n1. First paint, ms from Popen: port answered · semantics node visible · confirmed painted;"
          " then the server process's CPU ms at port and at paint")
    for app in ("minimal", "mutual"):
        r = first_paint(browser, app, data_dir, log)
        print(f"   warm-up  {app:8} {r['port_ms']:7.0f} {r['semantics_ms']:7.0f} {r['paint_ms']:7.0f}"
              f"   CPU {r['server_cpu_port_ms']:5.0f} {r['server_cpu_paint_ms']:5.0f}")
    runs: dict[str, list[dict[str, float]]] = {"minimal": [], "mutual": []}
    ratios = []
    for i in range(rounds):
        order = ("minimal", "mutual") if i % 2 == 0 else ("mutual", "minimal")
        got = {}
        for app in order:
            got[app] = first_paint(browser, app, data_dir, log)
            runs[app].append(got[app])
            r = got[app]
            print(f"   round {i + 1}  {app:8} {r['port_ms']:7.0f} {r['semantics_ms']:7.0f} {r['paint_ms']:7.0f}"
                  f"   CPU {r['server_cpu_port_ms']:5.0f} {r['server_cpu_paint_ms']:5.0f}   check {r['check_ms']:4.0f}")
        ratios.append(round(got["mutual"]["paint_ms"] / got["minimal"]["paint_ms"], 3))
    out: dict[str, Any] = {}
    for app, rs in runs.items():
        out[app] = {key: med([r[key] for r in rs])
                    for key in ("port_ms", "semantics_ms", "paint_ms", "server_cpu_port_ms", "server_cpu_paint_ms",
                                "check_ms")}
        out[app]["paint_ms_all"] = [r["paint_ms"] for r in rs]
    out["ratio"] = round(out["mutual"]["paint_ms"] / out["minimal"]["paint_ms"], 3)
    out["ratio_semantics"] = round(out["mutual"]["semantics_ms"] / out["minimal"]["semantics_ms"], 3)
    out["ratio_per_round"] = ratios
    out["ratio_median_of_rounds"] = round(statistics.median(ratios), 3)
    out["target_ratio"] = TARGET_RATIO
    out["meets_target"] = out["ratio"] <= TARGET_RATIO
    return out


# -- 2. image chosen -> prompt -----------------------------------------------------------------------------
def scan_once(page: Page, image: Path, note: dict[str, str] | None = None,
              mark: Callable[[str], None] | None = None) -> dict[str, float]:
    """One scan through the file chooser; returns the two intervals in ms."""
    mark = mark or (lambda step: None)
    mark("choose an image → review sheet")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a photo").click()
    chooser.value.set_files(str(image))
    chosen = now()
    save = page.get_by_role("button", name="Save contact")
    reviewed = visible(save, 30, "Save contact")
    # Click where the button is once the sheet has stopped sliding in (not part of either interval).
    box = None
    for _ in range(50):
        b = save.first.bounding_box()
        if b and b == box:
            break
        box = b
        time.sleep(0.05)
    assert box is not None
    mark("Save contact → prompt")
    clicked = now()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    prompt = text(page, "How can I help them?")
    prompted = visible(prompt, 30, "the prompt")
    if note is None:
        mark("Later (sheet closes)")
        page.get_by_role("button", name="Later").click()
    else:
        mark("type the note, Save note")
        time.sleep(0.4)  # the sheet's content settles before typing
        for label, value in note.items():
            type_into(page, label, value)
        page.get_by_role("radio", name="Tomorrow").click()
        page.get_by_role("button", name="Save note").click()
    hidden(prompt, 30, "the sheet closing")
    time.sleep(1.8)  # the toast, and the screen refreshed behind the sheet (its 1.5 s safety net)
    return {"review_ms": ms(reviewed - chosen), "prompt_ms": ms(prompted - clicked),
            "sum_ms": ms(reviewed - chosen + prompted - clicked)}


LOST_FOCUS: dict[str, int] = {}  # field label → taps whose focus Flutter dropped at once
FOCUSED = """(label) => {
  const a = document.activeElement;
  return !!a && ['INPUT', 'TEXTAREA'].includes(a.tagName) && (a.getAttribute('aria-label') || '').startsWith(label);
}"""


def type_into(page: Page, label: str, value: str, delay: float = 0) -> None:
    """Click a field and type like a person.

    The field's aria-label gains its hint text while focused, hence the prefix match. Flutter
    sometimes drops the focus of the first tap on a field (it is back on <body> 50 ms later):
    the tap is repeated until the field keeps the focus, and the text is retyped if a
    re-render swallowed keys.
    """
    field_ = page.locator(f'{SEM} input[aria-label^="{label}"], {SEM} textarea[aria-label^="{label}"]').first
    for _ in range(4):
        field_.click(force=True)
        page.wait_for_timeout(200)
        if not page.evaluate(FOCUSED, label):
            LOST_FOCUS[label] = LOST_FOCUS.get(label, 0) + 1
            continue
        page.keyboard.type(value, delay=delay)
        try:
            poll(lambda: field_.input_value() == value, 2, label)
            return
        except TimeoutError:
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
    raise TimeoutError(f"could not type into {label!r}")


def run_scans(browser: Browser, scans: int, data_dir: Path, work: Path, log: Path) -> dict[str, Any]:
    print("\n2. Image chosen → review sheet → prompt (ms)")
    server = spawn("mutual", data_dir, log)
    try:
        page = open_mutual(browser, server)
        scan_once(page, card_png(work, 999, "w"))  # warm-up: first decode, first sheet
        rows = []
        for n in range(scans):
            r = scan_once(page, card_png(work, n, "s"))
            rows.append(r)
            print(f"   scan {n + 1}  set_files → Save contact {r['review_ms']:6.0f}   click → prompt {r['prompt_ms']:6.0f}"
                  f"   sum {r['sum_ms']:6.0f}")
        page.context.close()
    finally:
        server.stop()
    out = {key: med([r[key] for r in rows]) for key in ("review_ms", "prompt_ms", "sum_ms")}
    out["samples"] = rows
    out["target_ms"] = TARGET_SCAN_MS
    out["meets_target"] = out["sum_ms"] <= TARGET_SCAN_MS
    return out


# -- 3. event-loop lag on a big store ------------------------------------------------------------------------
@dataclass
class Steps:
    marks: list[tuple[float, str]] = field(default_factory=list)  # (wall time, step)

    def mark(self, step: str) -> None:
        self.marks.append((time.time(), step))

    def at(self, wall: float) -> str:
        name = "before the session (server start)"
        for start, step in self.marks:
            if wall >= start:
                name = step
        return name


def run_session(browser: Browser, contacts: int, work: Path, log: Path) -> dict[str, Any]:
    print(f"\n3. Event-loop lag on {contacts:,} contacts (monitor tick 10 ms)")
    big = work / "big"
    seconds = seed_big(big, contacts)
    print(f"   seeded in {seconds:.1f} s")
    lag_file = work / "loop-lag.jsonl"
    env = dict(CHILD_ENV, MUTUAL_LOOP_MONITOR=str(lag_file))
    steps = Steps()
    scans = []
    server = spawn("mutual", big, log, env=env)
    page: Page | None = None
    try:
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(30_000)
        goto_when_up(page, server)
        steps.mark("first page load → Scan screen with my QR")
        boot(page)
        visible(page.get_by_role("img", name=QR_LABEL), 60, "my QR")

        def tab(name: str, ready: Locator) -> None:
            steps.mark(f"tab {name}")
            for attempt in range(3):
                page.get_by_role("tab", name=name).click()
                try:
                    visible(ready, 10, f"the {name} screen")
                    break
                except TimeoutError:
                    page.screenshot(path=str(work / f"missed-{name}-{attempt}.png"))
                    print(f"   (the {name} tab did not show its screen within 10 s; clicking again)")
            else:
                raise TimeoutError(f"the {name} screen never showed")
            time.sleep(0.5)

        tab("Event", text(page, re.compile(r"^People met · ")))
        tab("People", page.locator(f'{SEM} input[aria-label^="Search people"]'))
        steps.mark("search People for “Stonebridge” (typed, a search per key)")
        type_into(page, "Search people", "Stonebridge", delay=70)
        bob = page.get_by_role("button", name=re.compile(r"Bob Stonebridge"))
        others = page.get_by_role("button", name=re.compile(r" Current "))
        poll(lambda: bob.first.is_visible() and others.count() == 0, 30, "the search result")
        time.sleep(0.5)
        steps.mark("open a person (Bob, met at 3 events)")
        bob.first.click()
        visible(page.get_by_role("button", name="Edit details"), 30, "the person screen")
        time.sleep(0.5)
        tab("Follow-ups", text(page, re.compile(r"^(Overdue|Today|This week|Later|Suggested)$")))
        tab("Reflect", text(page, re.compile(r"^\d+ met · \d+ of \d+ notes done")))
        steps.mark("My card")
        page.get_by_role("button", name="My card").click()
        visible(page.get_by_role("button", name="Save card"), 30, "my card")
        visible(page.get_by_role("img", name=QR_LABEL), 30, "my card's QR")
        time.sleep(0.5)
        tab("Scan", page.get_by_role("img", name=QR_LABEL))
        for n in range(3):
            r = scan_once(page, card_png(work, n, "big"), note={"What they need": "a Rust contractor",
                                                                  "How I can help": "intro to Grace",
                                                                  "What I promised": "send Grace's email"},
                          mark=lambda step, n=n: steps.mark(f"scan {n + 1}: {step}"))
            scans.append(r)
            print(f"   scan {n + 1}  set_files → Save contact {r['review_ms']:6.0f}   click → prompt {r['prompt_ms']:6.0f}"
                  f"   sum {r['sum_ms']:6.0f}")
        tab("Event", text(page, re.compile(r"^People met · ")))
        steps.mark("idle")
        if LOST_FOCUS:
            print(f"   taps on a field that lost the focus at once (tapped again): {LOST_FOCUS}")
        time.sleep(1.2)  # two monitor flushes after the last step
        page.context.close()
    except Exception:
        if page is not None:
            page.screenshot(path=str(work / "failed.png"))
            print(f"   failed during “{steps.marks[-1][1] if steps.marks else '?'}”; the page is in {work / 'failed.png'}"
                  f" (its URL: {page.url})")
        raise
    finally:
        server.stop()
    return summarize_lag(lag_file, steps, scans)


def summarize_lag(lag_file: Path, steps: Steps, scans: list[dict[str, float]]) -> dict[str, Any]:
    lines = [json.loads(line) for line in lag_file.read_text().splitlines() if line.strip()]
    if not lines:
        raise RuntimeError("the loop monitor wrote nothing: is MUTUAL_LOOP_MONITOR wired in app.py?")
    last = lines[-1]
    late = [tuple(x) for line in lines for x in line["late"]]  # (wall at wake, lag ms, loop CPU ms)
    per_step: dict[str, dict[str, float]] = {}
    for t, lag, cpu in late:
        step = steps.at(t - lag / 1000)  # a late tick wakes when the block ends: it began lag ms earlier
        row = per_step.setdefault(step, {"lag_ms": 0.0, "loop_cpu_ms": 0.0, "busy_ms": 0.0})
        if lag > row["lag_ms"]:
            row["lag_ms"], row["loop_cpu_ms"] = lag, cpu
        row["busy_ms"] = max(row["busy_ms"], min(lag, cpu))
    worst = max(late, key=lambda x: x[1]) if late else (0.0, 0.0, 0.0)
    busiest = max(late, key=lambda x: min(x[1], x[2])) if late else (0.0, 0.0, 0.0)
    print(f"   {last['ticks']} ticks · lag p50 {last['p50_ms']} ms · p99 {last['p99_ms']} ms · max {last['max_ms']} ms")
    print("   per step: worst late tick (ms) · the loop thread's CPU over that wait · busy = max over the step's"
          " ticks of min(lag, CPU),\n   i.e. Python computing on the loop. CPU ≪ lag means the loop waited: for a"
          " core or the GIL (the snapshots below then say\n   “idle in select()”), or in a blocking call inside a"
          " handler (the snapshots then name it)")
    print(f"     {'lag':>7} {'CPU':>6} {'busy':>6}  step")
    for step in ["before the session (server start)"] + [m[1] for m in steps.marks]:
        if step in per_step:
            r = per_step[step]
            flag = "   busy > 50 ms" if r["busy_ms"] > TARGET_LAG_MS else ("   lag > 50 ms" if r["lag_ms"] > TARGET_LAG_MS else "")
            print(f"     {r['lag_ms']:7.1f} {r['loop_cpu_ms']:6.1f} {r['busy_ms']:6.1f}  {step}{flag}")
    blocks = _stall_series([s for line in lines for s in line["stalls"]], steps)
    if blocks:
        print("   the loop thread while silent ≥ 40 ms (handler → innermost Mutual frame → innermost frame):")
        for b in blocks:
            print(f"     [{b['step']}] silent ≥ {b['quiet_ms']:.0f} ms")
            for line in b["snapshots"]:
                print(f"         at {line}")
    return {
        "ticks": last["ticks"], "p50_ms": last["p50_ms"], "p99_ms": last["p99_ms"], "max_ms": last["max_ms"],
        "max_step": steps.at(worst[0] - worst[1] / 1000) if late else "", "max_loop_cpu_ms": worst[2],
        "max_busy_ms": min(busiest[1], busiest[2]),
        "max_busy_step": steps.at(busiest[0] - busiest[1] / 1000) if late else "",
        "per_step": per_step, "blocks_over_40ms": blocks, "scans_on_big_store": scans,
        "taps_that_lost_focus": dict(LOST_FOCUS),
        "target_ms": TARGET_LAG_MS, "meets_target": last["max_ms"] <= TARGET_LAG_MS,
    }


def _stall_series(stalls: list[dict[str, Any]], steps: Steps) -> list[dict[str, Any]]:
    """One entry per silence of the loop (the watchdog snapshots it at 40, 80, 120, 160 ms)."""
    series: list[list[dict[str, Any]]] = []
    for s in stalls:
        if series and s["quiet_ms"] > series[-1][-1]["quiet_ms"] and s["at"] - series[-1][-1]["at"] < 0.3:
            series[-1].append(s)
        else:
            series.append([s])
    out = []
    for group in series:
        first, deepest = group[0], group[-1]
        out.append({"step": steps.at(first["at"] - first["quiet_ms"] / 1000), "quiet_ms": deepest["quiet_ms"],
                    "snapshots": [f"{snap['quiet_ms']:.0f} ms: {_describe(snap)}" for snap in group]})
    return out


def _describe(snap: dict[str, Any]) -> str:
    """The handler (outermost Mutual frame), the innermost Mutual frame, and where the loop thread was."""
    stack = [_short(f) for f in snap["loop_stack"]]
    if not stack:
        return "?"
    if "selectors.py" in stack[-1]:
        busy = [f"{name}: {_short(frames[-1])}" for name, frames in snap["other_threads"].items()
                if frames and "threading.py" not in frames[-1] and "thread.py" not in frames[-1]
                and "queue.py" not in frames[-1]]
        return "loop idle in select() (waiting for a core, or for the GIL" + (f" held by {'; '.join(busy)})" if busy else ")")
    mine = [f for f in stack if f.startswith("networking_app/") and "launcher.py" not in f]
    parts = [mine[0], *mine[-2:]] if mine else []
    imports = [f for f in stack if f.endswith("<module>") and not f.startswith("main.py")]
    if imports:
        parts.append(f"importing {imports[-1].split(':')[0]}")
    parts.append(stack[-1])
    return " → ".join(dict.fromkeys(parts))


def _short(frame: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3.11/"):
        if marker in frame:
            return frame.split(marker, 1)[1]
    return frame


# -- main ----------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="first-paint rounds (each app once per round)")
    parser.add_argument("--scans", type=int, default=5, help="scans timed in part 2")
    parser.add_argument("--contacts", type=int, default=10_000, help="contacts in part 3's store")
    parser.add_argument("--only", choices=["paint", "scan", "lag"], action="append", help="run only these parts")
    parser.add_argument("--poll", choices=["socket", "goto"], default="socket",
                        help="wait for the port with TCP probes then goto (default), or by retrying goto")
    parser.add_argument("--bytecode", choices=["cached", "source"], default="cached",
                        help="both apps read cached bytecode (default) or compile every module at every start")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, stores)")
    args = parser.parse_args()
    parts = set(args.only or ["paint", "scan", "lag"])
    global POLL_MODE
    POLL_MODE = args.poll
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium")

    from importlib import metadata

    result: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "flet": metadata.version("flet"), "playwright": metadata.version("playwright"),
        "load_start": load(), "port_poll": args.poll, "bytecode": args.bytecode,
    }
    work = Path(tempfile.mkdtemp(prefix="mutual-bench-ui-"))
    use_bytecode(args.bytecode, work / "pycache")
    log = work / "servers.log"
    small = work / "small"
    seed_small(small)
    started = now()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            result["chromium"] = browser.version
            print(f"Mutual UI bench · {result['date']} · {result['machine']} · {result['cpus']} CPUs · "
                  f"Python {result['python']} · flet {result['flet']} · Chromium {result['chromium']}")
            print(f"load average at start: {result['load_start']} · bytecode: {args.bytecode}")
            if "paint" in parts:
                result["first_paint"] = run_first_paint(browser, args.rounds, small, log)
            if "scan" in parts:
                result["scan_to_prompt"] = run_scans(browser, args.scans, small, work, log)
            if "lag" in parts:
                result["loop_lag"] = run_session(browser, args.contacts, work, log)
            browser.close()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    result["load_end"] = load()
    result["seconds"] = round(now() - started, 1)

    print("\nSummary (medians)")
    print(f"  {'figure':52} {'value':>10}  target")
    if "first_paint" in result:
        fp = result["first_paint"]
        print(f"  {'first paint, minimal Flet app (ms)':52} {fp['minimal']['paint_ms']:10.0f}")
        print(f"  {'first paint, Mutual with my QR decodable (ms)':52} {fp['mutual']['paint_ms']:10.0f}")
        print(f"  {'ratio Mutual / minimal':52} {fp['ratio']:10.3f}  ≤ {TARGET_RATIO}"
              f"  {'ok' if fp['meets_target'] else 'MISSED'}")
        print(f"  {'  median of the per-round ratios':52} {fp['ratio_median_of_rounds']:10.3f}")
        print(f"  {'  ratio on the semantics node alone':52} {fp['ratio_semantics']:10.3f}")
        print(f"  {'  server CPU to paint, minimal / Mutual (ms)':52} {fp['minimal']['server_cpu_paint_ms']:5.0f} /"
              f" {fp['mutual']['server_cpu_paint_ms']:.0f}")
    if "scan_to_prompt" in result:
        sc = result["scan_to_prompt"]
        print(f"  {'set_files → review sheet (ms)':52} {sc['review_ms']:10.0f}")
        print(f"  {'Save contact → “How can I help them?” (ms)':52} {sc['prompt_ms']:10.0f}")
        print(f"  {'sum (ms)':52} {sc['sum_ms']:10.0f}  ≤ {TARGET_SCAN_MS}"
              f"  {'ok' if sc['meets_target'] else 'MISSED'}")
    if "loop_lag" in result:
        lg = result["loop_lag"]
        print(f"  {'event-loop lag p99 (ms)':52} {lg['p99_ms']:10.1f}")
        print(f"  {'event-loop lag max (ms)':52} {lg['max_ms']:10.1f}  ≤ {TARGET_LAG_MS}"
              f"  {'ok' if lg['meets_target'] else 'MISSED'}")
        print(f"  {'  in step':52} {lg['max_step']}")
        print(f"  {'event-loop busy max (min of lag, loop CPU) (ms)':52} {lg['max_busy_ms']:10.1f}  ≤ {TARGET_LAG_MS}"
              f"  {'ok' if lg['max_busy_ms'] <= TARGET_LAG_MS else 'MISSED'}")
        print(f"  {'  in step':52} {lg['max_busy_step']}")
        if lg["scans_on_big_store"]:
            sums = [r["sum_ms"] for r in lg["scans_on_big_store"]]
            print(f"  {'image → prompt on the big store, 3 scans (ms)':52} {med(sums):10.0f}  ≤ {TARGET_SCAN_MS}")
    print(f"  load average start {result['load_start']} → end {result['load_end']}; {result['seconds']} s")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
