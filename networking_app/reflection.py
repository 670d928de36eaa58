"""After an event: how it went, and how networking gets easier over time.

The trend is computed from what the store already knows (people met, notes
written, help offered) plus the comfort I gave each event (1-5).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Event, Meeting


@dataclass(frozen=True)
class TrendPoint:
    """One event on the trend: the x axis is time, one bar per measure."""

    event_id: str
    name: str
    date: str
    met: int
    notes_done: int
    helped: int  # meetings where I noted how I can help or promised something
    comfort: int  # 1-5, 0 when not answered


def point_for(event: Event, meetings: list[Meeting]) -> TrendPoint:
    return TrendPoint(
        event.id,
        event.name,
        event.date or event.started_at[:10],
        met=len(meetings),
        notes_done=sum(1 for m in meetings if m.has_note),
        helped=sum(1 for m in meetings if m.help or m.promise),
        comfort=event.comfort,
    )


def describe_trend(points: list[TrendPoint]) -> str:
    """One sentence a person (and a screen reader) gets from the chart."""
    if len(points) < 2:
        return "After two events you will see how networking gets easier."
    first, last = points[0], points[-1]
    # words, not "→": the app's font has no arrow (it showed as a box), and a screen reader reads words
    parts = [f"people met per event went from {first.met} to {last.met}",
             f"help offered from {first.helped} to {last.helped}"]
    rated = [p for p in points if p.comfort]
    if len(rated) >= 2:
        parts.insert(0, f"comfort from {rated[0].comfort}/5 to {rated[-1].comfort}/5")
    return f"Over your last {len(points)} events: " + "; ".join(parts) + "."
