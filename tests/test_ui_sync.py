"""The Sync section of Your data, in-process: set up, sync now, what came in, devices listed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import flet as ft
import pytest

from networking_app.models import Card, MyCard
from networking_app.store import Store
from networking_app.sync.engine import Sync
from tests.support.ui_client import button, field, open_app, texts, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]
TODAY = date(2026, 12, 3)


@pytest.fixture
def laptop(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "laptop", today=lambda: TODAY, daily_backup=False)
    store.cards.save(MyCard(given="Ana", family="Lima", formatted="Ana Lima", emails=["ana@lima.example"]))
    yield store
    store.close()


async def test_setting_up_sync_in_your_data_syncs_and_says_what_went_out(laptop: Store, tmp_path: Path) -> None:
    laptop.people.record_scan(Card(formatted="张伟", emails=["wei@example.cn"]), event_id="")
    client = await open_app(laptop, route="/data")
    await wait_for(client, lambda: any(isinstance(c, ft.TextField) and c.label == "Sync folder"
                                       for c in client.find(lambda c: True)))
    assert "Sync between your devices" in texts(client)
    client.session.apply_patch(field(client, "Sync folder")._i, {"value": str(tmp_path / "Sync")})
    client.session.apply_patch(field(client, "This device's name")._i, {"value": "Ana's laptop"})
    await client.click(button(client, "Start syncing"))
    await wait_for(client, lambda: any(t.startswith("Synced at") for t in texts(client)), seconds=15)
    line = next(t for t in texts(client) if t.startswith("Synced at"))
    assert line.endswith("Nothing new came in. 3 changes sent.")  # my card, 张伟 and the meeting
    assert Sync(laptop).settings().name == "Ana's laptop"
    assert button(client, "Sync now")  # now set up: the section offers to sync again


async def test_an_empty_folder_field_is_marked_and_nothing_is_set_up(laptop: Store) -> None:
    client = await open_app(laptop, route="/data")
    await wait_for(client, lambda: bool(client.find(lambda c: isinstance(c, ft.TextField) and c.label == "Sync folder")))
    await client.click(button(client, "Start syncing"))
    await wait_for(client, lambda: field(client, "Sync folder").error == "Type the folder your sync app shares.")
    assert not Sync(laptop).settings().enabled


async def test_what_came_in_from_another_device_is_said_and_shown(laptop: Store, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    with Store.open(tmp_path / "phone", daily_backup=False) as phone:
        Sync(phone).set_up(folder, "Ana's phone")
        phone.people.record_scan(Card(formatted="محمد علي", emails=["m@example.eg"]), event_id="")
        Sync(phone).run()
    Sync(laptop).set_up(folder, "Ana's laptop")
    client = await open_app(laptop, route="/data")
    # the app syncs on start: what it brought is said (a click racing it would find nothing new)
    await wait_for(client, lambda: "1 person from Ana's phone." in " ".join(texts(client)), seconds=15)
    await wait_for(client, lambda: "Ana's phone" in texts(client))  # listed among my other devices
    assert [c.full_name for c in laptop.people.all()] == ["محمد علي"]
    await client.click(button(client, "Sync now"))
    await wait_for(client, lambda: "Nothing new came in." in " ".join(texts(client)), seconds=15)


async def test_a_long_first_sync_moves_the_progress_bar_on_screen(laptop: Store, tmp_path: Path, monkeypatch) -> None:
    import time

    import networking_app.sync.engine as engine
    import networking_app.sync.folder as folder_module

    folder = tmp_path / "Sync"
    monkeypatch.setattr(folder_module, "SEGMENT_BYTES", 1500)  # several log files
    with Store.open(tmp_path / "phone", daily_backup=False) as phone:
        Sync(phone).set_up(folder, "Ana's phone")
        for n in range(30):
            phone.people.add(Card(formatted=f"Λένα {n}", emails=[f"lena{n}@example.gr"]))
        Sync(phone).run()
    real_read = engine.read_log

    def slow_read(path: Path, position: int):  # noqa: ANN202  # as a phone reads a big log: a file at a time
        time.sleep(0.15)
        return real_read(path, position)

    monkeypatch.setattr(engine, "read_log", slow_read)
    client = await open_app(laptop, route="/data")
    await wait_for(client, lambda: any(isinstance(c, ft.TextField) and c.label == "Sync folder"
                                       for c in client.find(lambda c: True)))
    client.session.apply_patch(field(client, "Sync folder")._i, {"value": str(folder)})
    [bar] = client.find(lambda c: isinstance(c, ft.ProgressBar))
    sent_before = len(client.conn.messages)
    await client.click(button(client, "Start syncing"))
    await wait_for(client, lambda: any(t.startswith("Synced at") for t in texts(client)), seconds=15)
    shown = [v for m in client.conn.messages[sent_before:] if m.action.name == "PATCH_CONTROL"
             for v in _values_sent(m.body, bar._i)]
    assert any(0 < v < 1 for v in shown), shown  # the client was told, not only the server's control
    assert shown == sorted(shown)
    assert len(laptop.people.ids()) == 30


def _values_sent(body: Any, control_id: int) -> list[float]:
    """The ``value``s a PATCH_CONTROL message sets on one control (its patch: [path], [op, index, name, value]…)."""
    if body.id != control_id:
        return []
    return [float(op[3]) for op in body.patch[1:] if len(op) == 4 and op[2] == "value" and op[3] is not None]


async def test_a_sync_finishing_after_the_tab_closed_makes_no_coroutine_it_never_runs(laptop: Store, tmp_path: Path) -> None:
    """The web server logged "coroutine … show was never awaited" when a sync finished after a tab
    closed: the toast's coroutine was made before scheduling it failed."""
    import gc
    import warnings

    from networking_app.sync.auto import AutoSync, Outcome
    from networking_app.sync.report import Incoming, SyncReport

    Sync(laptop).set_up(tmp_path / "Sync", "Laptop")
    client = await open_app(laptop, route="/people")
    auto = AutoSync.for_store(laptop)
    await wait_for(client, lambda: auto.listeners, "the app listening to syncs")
    await client.session.disconnect(60)  # the tab went away
    report = SyncReport(incoming={"phone": Incoming("Phone")})
    report.incoming["phone"].counts["people"] = 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for listener in list(auto.listeners):
            listener(Outcome(report=report))
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]
