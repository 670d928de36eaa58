"""Days and times shown where the person is, days picked in the calendar read as picked, and names
set inside sentences in their own direction.

Found by a new-user run in Chromium: east of Greenwich a picked 20 December was saved as the
19th (Flet sends the picked day as the UTC moment its local midnight began), and the time we
met was shown in UTC (18:42 for a meeting at 19:42 in Berlin; the 3rd for the 4th in Kiritimati).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from networking_app.local_dates import local_day, local_time
from networking_app.ui.widgets import picked_day, short_date


@pytest.fixture
def zone() -> Iterator[object]:
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize(("name", "offset"), [("Europe/Berlin", 1), ("Pacific/Auckland", 13), ("Pacific/Kiritimati", 14),
                                              ("UTC", 0), ("America/Los_Angeles", -8), ("Pacific/Pago_Pago", -11)])
def test_a_picked_day_is_the_day_picked_in_every_time_zone(zone, name: str, offset: int) -> None:
    zone(name)
    began = datetime(2026, 12, 20, tzinfo=timezone(timedelta(hours=offset)))  # local midnight of the 20th…
    assert picked_day(began.astimezone(UTC)) == date(2026, 12, 20)  # …as Flet delivers it, in UTC
    assert picked_day(date(2026, 12, 20)) == date(2026, 12, 20) and picked_day(None) is None


def test_when_we_met_reads_in_local_time(zone) -> None:
    met = "2026-12-03T18:42:00+00:00"
    zone("Europe/Berlin")
    assert (local_time(met), short_date(met)) == ("2026-12-03 19:42", "Thu 03 Dec")
    zone("Pacific/Kiritimati")
    assert (local_day(met), short_date(met)) == (date(2026, 12, 4), "Fri 04 Dec")
    zone("America/Los_Angeles")
    assert local_time(met) == "2026-12-03 10:42"
    assert short_date("2026-12-03") == "Thu 03 Dec"  # a plain day is that day everywhere


def test_a_right_to_left_name_inside_a_sentence_keeps_its_direction_to_itself() -> None:
    """Found by a new-user run: "At ملتقى الشبكات 2026 · 0 people met so far" was drawn as
    "At 0 · 2026 ملتقى الشبكات people met so far" (the count taken into the Arabic run)."""
    from networking_app.ui.widgets import isolated

    assert isolated("ملتقى الشبكات 2026") == "\u2068ملتقى الشبكات 2026\u2069"
    assert isolated("כנס 2026") == "\u2068כנס 2026\u2069"
    assert isolated("PyCon 2026") == "PyCon 2026" and isolated("Λένα 2026") == "Λένα 2026"  # no marks needed
