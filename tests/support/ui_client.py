"""Mutual's screens on the in-process Flet client (``flet_fake_client``): open the app, find
its controls by what a person reads, and wait for what a person waits for.

Handlers that hand work to a thread or a task (``app.work``, ``page.run_task``) finish after
the click that started them returns, so a test waits for the change it expects to see —
a control shown, a dialog opened or closed, a record stored — never for a fixed time.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import flet as ft

from networking_app.store import Store
from networking_app.ui.app import make_main
from tests.support.flet_fake_client import FakeClient, start

WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.01


async def open_app(store: Store, route: str = "/", **results: Any) -> FakeClient:
    """A session of the app on ``store`` at ``route``; ``results`` answer the client's services."""
    client = await start(make_main(store), route=route, **results)
    assert not client.conn.errors
    return client


# -- what is on screen ------------------------------------------------------------------------------------
def texts(client: FakeClient) -> list[str]:
    return [t for t in client.texts() if t]


def field(client: FakeClient, label: str) -> ft.TextField:
    found = client.find(lambda c: isinstance(c, ft.TextField) and c.label == label)
    assert found, f"no field {label!r}"
    return found[-1]


def read_pasted(client: FakeClient) -> ft.Control:
    """The send button at the end of the paste field."""
    [found] = client.find(lambda c: isinstance(c, ft.IconButton) and c.tooltip == "Read pasted text")
    return found


BUTTONS = (ft.Button, ft.TextButton, ft.OutlinedButton, ft.FilledButton, ft.FilledTonalButton)


def buttons(client: FakeClient, label: str) -> list[ft.Control]:
    return client.find(lambda c: isinstance(c, BUTTONS) and c.content == label)


def button(client: FakeClient, label: str, index: int = -1) -> ft.Control:
    """A button by its label; the last one on the page unless ``index`` says otherwise."""
    found = buttons(client, label)
    assert found, f"no button {label!r}"
    return found[index]


def open_snacks(client: FakeClient) -> list[ft.SnackBar]:
    return [c for c in client.find(lambda c: isinstance(c, ft.SnackBar)) if c.open]


def snack_says(client: FakeClient, start: str) -> bool:
    """A SnackBar beginning with ``start`` is showing."""
    return any(isinstance(s.content, ft.Text) and (s.content.value or "").startswith(start) for s in open_snacks(client))


def dialog_open(client: FakeClient) -> bool:
    return any(d.open for d in client.find(lambda c: isinstance(c, ft.AlertDialog)))


def sheet_open(client: FakeClient) -> bool:
    return any(s.open for s in client.find(lambda c: isinstance(c, ft.BottomSheet)))


def routed_to(client: FakeClient, route: str) -> bool:
    """The app asked the client to go to ``route`` (the last navigation it asked for)."""
    pushed = [args["route"] for name, args in client.conn.invoked if name == "push_route"]
    return bool(pushed) and pushed[-1] == route


# -- waiting ------------------------------------------------------------------------------------------------
async def wait_for(client: FakeClient, condition: Callable[[], Any], what: str = "",
                   seconds: float = WAIT_SECONDS) -> None:
    """Let the session run until ``condition()`` holds; after ``seconds`` fail, naming ``what``
    (or the condition's source line) and what the screen shows."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            if condition():
                return
            raise AssertionError(f"waited {seconds:g} s for {what or _source(condition)}; "
                                 f"the screen shows {texts(client)[:40]!r}")
        await asyncio.sleep(_POLL_SECONDS)
        await client.conn.settle()


def _source(condition: Callable[[], Any]) -> str:
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)
