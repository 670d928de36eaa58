"""What ``--json`` prints, in one place: the shape of every record and summary a command writes.

Scripts read these: a key renamed here breaks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..followups import QueueItem
    from ..interop import ExportSummary, ImportSummary
    from ..intros import IntroIdea, Profile, Suggestion
    from ..models import Contact, Event, MyCard
    from ..store import ScanResult, Store
    from ..store.people import PossibleDuplicate
    from ..vcard import FittedPayload


def contact_json(store: Store, contact: Contact) -> dict[str, Any]:
    events = {}
    meetings = []
    for m in store.meetings.of(contact.id):
        if m.event_id and m.event_id not in events:
            events[m.event_id] = event_name(store, m.event_id)
        followup = store.followups.for_meeting(m.id)
        meetings.append({
            "id": m.id, "event": events.get(m.event_id, ""), "event_id": m.event_id, "met_at": m.met_at,
            "need": m.need, "help": m.help, "promise": m.promise, "note_done": m.has_note,
            "follow_up": followup.due if followup and not followup.is_done else "",
        })
    return {
        "id": contact.id, "name": contact.full_name, "display_name": contact.display_name,
        "given": contact.given, "family": contact.family,
        "title": contact.title, "organization": contact.organization, "emails": contact.emails,
        "phones": contact.phones, "urls": contact.urls, "offers": contact.offers, "seeking": contact.seeking,
        "note": contact.note, "tags": contact.tags, "created": contact.created, "updated": contact.updated,
        "meetings": meetings,
    }


def event_name(store: Store, event_id: str) -> str:
    """The event's name, or "" when it is gone."""
    try:
        return store.events.get(event_id).name
    except NotFoundError:
        return ""


def event_json(event: Event, people: int) -> dict[str, Any]:
    return {
        "id": event.id, "name": event.name, "place": event.place, "date": event.date,
        "intention": event.intention, "running": event.is_running, "ended_at": event.ended_at, "people": people,
    }


def card_json(card: MyCard, fitted: FittedPayload) -> dict[str, Any]:
    doc = card.to_doc()
    doc["qr_payload"] = fitted.text
    doc["qr_dropped"] = fitted.dropped
    return doc


def duplicate_json(item: PossibleDuplicate) -> dict[str, Any]:
    return {
        "id": item.contact.id, "name": item.contact.display_name,
        "other_id": item.other.id if item.other else "", "other_name": item.other.display_name if item.other else "",
        "reason": item.reason,
    }


def scanned_json(store: Store, source: str, result: ScanResult, message: str) -> dict[str, Any]:
    return {
        "source": source, "ok": True, "new": result.is_new_contact,
        "changes": [c.describe() for c in result.changes],
        "possibly_same_as": [{"id": m.contact.id, "name": m.contact.display_name, "reason": m.reason}
                             for m in result.possible],
        "message": message, "contact": contact_json(store, result.contact),
    }


def scan_refused_json(source: str, error: str) -> dict[str, Any]:
    return {"source": source, "ok": False, "error": error}


def followup_json(item: QueueItem) -> dict[str, Any]:
    return {
        "bucket": item.bucket, "contact_id": item.contact.id, "name": item.contact.display_name,
        "event": item.event.name if item.event else "", "promise": item.meeting.promise if item.meeting else "",
        "help": item.meeting.help if item.meeting else "", "need": item.meeting.need if item.meeting else "",
        "due": item.due, "followup_id": item.followup.id if item.followup else "",
    }


def intro_json(suggestion: Suggestion, profiles: Mapping[str, Profile]) -> dict[str, Any]:
    from ..intros import explain

    return {
        "seeker_id": suggestion.seeker_id, "seeker": profiles[suggestion.seeker_id].name,
        "helper_id": suggestion.helper_id, "helper": profiles[suggestion.helper_id].name,
        "score": round(suggestion.score, 3), "mutual": suggestion.mutual, "reasons": list(suggestion.reasons),
        "reason": explain(suggestion, profiles),
    }


def intro_idea_json(store: Store, idea: IntroIdea) -> dict[str, Any]:
    """``intros --for``: one person I could introduce them to, and why."""
    from ..intros import explain

    suggestion = idea.suggestion
    profiles = {pid: store.intros.profile(pid) for pid in (idea.person_id, idea.other_id)}
    return {
        "contact_id": idea.other_id, "name": idea.other_name, "reason": idea.reason, "topic": idea.topic,
        "note_line": idea.line, "seeker_id": suggestion.seeker_id, "helper_id": suggestion.helper_id,
        "score": round(suggestion.score, 3), "mutual": suggestion.mutual, "reasons": list(suggestion.reasons),
        "explanation": explain(suggestion, profiles),
    }


def backup_json(path: Path) -> dict[str, Any]:
    return {"path": str(path)}


def export_json(summary: ExportSummary, path: Path) -> dict[str, Any]:
    return {"format": summary.format, "path": str(path), "count": summary.count, "what": summary.noun,
            "bytes": summary.size, "left_out": summary.left_out}


def import_json(summary: ImportSummary) -> dict[str, Any]:
    return {"format": summary.format, "source": summary.source, "added": summary.added,
            "merged": summary.merged, "unchanged": summary.unchanged, "skipped": summary.skipped,
            "ignored_columns": summary.ignored_columns, "contact_ids": summary.contact_ids,
            "restored": summary.restored, "backup_of_before": summary.backup_of_before}


def sync_status_json(status: Any) -> dict[str, Any]:
    """``sync status --json``: :class:`networking_app.sync.engine.SyncStatus`."""
    return {
        "folder": status.folder,
        "folder_missing": status.folder_missing,
        "device": {"id": status.device, "name": status.name},
        "devices": [{"id": d.device, "name": d.name, "last_change": d.last_change, "last_synced": d.last_seen}
                    for d in status.devices if not d.this_device],
        "waiting": status.waiting,
        "last_sync": status.last_sync,
    }
