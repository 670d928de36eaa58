"""Who to follow up with: promises first."""

from __future__ import annotations


import flet as ft

from ..widgets import empty_state, muted, page_body, section
from .base import Screen


class FollowupsScreen(Screen):
    title = "Follow-ups"
    route = "/followups"
    nav_route = "/followups"

    def build(self) -> ft.Control:
        queue = self.store.followup_queue(limit=100)
        if not queue:
            return page_body([empty_state(ft.Icons.TASK_ALT, "Nothing to follow up",
                                          "Promises and follow-ups from your notes appear here.")])
        groups: dict[str, list[ft.Control]] = {}
        for item in queue:
            groups.setdefault(item.bucket, []).append(ft.ListTile(
                title=ft.Text(item.contact.display_name),
                subtitle=ft.Text(("Promised: " + item.meeting.promise) if item.is_promise else (item.what or "No note yet"), max_lines=2),
                trailing=muted(item.due, size=12),
                on_click=lambda e, i=item: self.app.go(f"/person/{i.contact.id}"),
            ))
        return page_body([section(bucket.capitalize(), *rows) for bucket, rows in groups.items()])
