"""Stored moments (kept in UTC) as the person's clock and calendar say them.

A meeting at 18:42 UTC on the 3rd was on the 4th in Kiritimati: every day or time a person
reads — on a screen or in a file Mutual writes for another app — is the device's local one.
"""

from __future__ import annotations

from datetime import date, datetime


def local_moment(iso: str) -> datetime | None:
    """A stored moment (kept in UTC, e.g. when we met) in this device's time zone; None for a plain day."""
    if len(iso) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo else moment


def local_day(iso: str) -> date:
    """The day of a stored day or moment, where the person is: 18:42 UTC on the 3rd is the 4th in Kiritimati."""
    moment = local_moment(iso)
    return moment.date() if moment else date.fromisoformat(iso[:10])


def local_time(iso: str) -> str:
    """"2026-12-03 19:42": a stored moment as the clock on the wall said it."""
    moment = local_moment(iso)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else iso[:10]
