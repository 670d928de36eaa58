"""Everyone I met: search as I type (name, organisation, title, notes, offers/seeking),
filter by event and tag, most recently met first."""

from __future__ import annotations

from typing import Any

import flet as ft

from ...local_dates import local_day
from ...models import Contact
from ..widgets import empty_state, isolated, muted, named_dropdown, page_body
from .base import Screen

PAGE = 20  # rows rendered at once; "Show more" adds the next ones
ALL = "all"


class PeopleScreen(Screen):
    title = "People"
    route = "/people"
    nav_route = "/people"

    def build(self) -> ft.Control:
        self.shown = PAGE
        self._searching = False
        self.query = ft.TextField(label="Search people", prefix_icon=ft.Icons.SEARCH, on_change=self._search,
                                  hint_text="name, company, notes, what they offer or seek")
        events = self.store.events.all()
        self.event_filter = ft.Dropdown(
            label="Event", value=ALL, expand=True, on_select=self._search,
            options=[ft.DropdownOption(key=ALL, text="All events")] + [
                ft.DropdownOption(key=e.id, text=f"{isolated(e.name)} · {e.date}") for e in events[:50]],
        )
        tags = self.store.people.all_tags()
        self.tag_filter = ft.Dropdown(
            label="Tag", value=ALL, expand=True, on_select=self._search, visible=bool(tags),
            options=[ft.DropdownOption(key=ALL, text="All tags")] + [ft.DropdownOption(key=t, text=t) for t in tags],
        )
        self.count = muted("", size=13)
        self.results = ft.Column(spacing=0)
        self._show(*self._query())
        return page_body([
            ft.Row([ft.FilledTonalButton("Suggested introductions", icon=ft.Icons.HANDSHAKE_OUTLINED,
                                         on_click=lambda e: self.app.go("/intros")),
                    ft.OutlinedButton("Import / export", icon=ft.Icons.IMPORT_EXPORT,
                                      on_click=lambda e: self.app.go("/data"))], wrap=True),
            self.query,
            ft.Row([named_dropdown(self.event_filter), named_dropdown(self.tag_filter)]),
            self.count,
            self.results,
        ])

    def _filters(self) -> dict[str, Any]:
        event = self.event_filter.value if self.event_filter.value not in (None, ALL) else None
        tag = self.tag_filter.value if self.tag_filter.value not in (None, ALL) else ""
        return {"query": self.query.value or "", "event_id": event, "tag": tag}

    def _query(self, filters: dict[str, Any] | None = None) -> tuple[list[Contact], int, dict[str, str]]:
        """Runs in a worker thread when typing: the store lookup, not the controls."""
        filters = filters or self._filters()
        ids = self.store.people.ids(**filters)
        page = [self.store.people.get(cid) for cid in ids[: self.shown]]
        met = {c.id: local_day(m).isoformat() if (m := self.store.people.last_met(c.id)) else "" for c in page}
        return page, len(ids), met

    def _show(self, page: list[Contact], total: int, met: dict[str, str]) -> None:
        filtered = any((self.query.value, self.event_filter.value not in (None, ALL), self.tag_filter.value not in (None, ALL)))
        self.count.value = (f"{total} {'person matches' if total == 1 else 'people match'}" if filtered
                            else f"{total} {'person' if total == 1 else 'people'}")
        rows: list[ft.Control] = [ft.ListTile(
            leading=ft.CircleAvatar(content=ft.Text(c.display_name[:1].upper())),
            title=ft.Text(c.display_name),
            subtitle=ft.Text(" · ".join(p for p in (", ".join(x for x in (c.title, c.organization) if x),
                                                    ("met " + met[c.id]) if met.get(c.id) else "",
                                                    ", ".join(c.tags)) if p) or c.offers, max_lines=1,
                             overflow=ft.TextOverflow.ELLIPSIS),
            on_click=lambda e, c=c: self.app.go(f"/person/{c.id}"),
        ) for c in page]
        if total > len(page):
            rows.append(ft.TextButton(f"Show more ({total - len(page)} more)", icon=ft.Icons.EXPAND_MORE, on_click=self._more))
        if not rows:
            rows = [empty_state(ft.Icons.PEOPLE_OUTLINE, "No match" if filtered else "No one yet",
                                "Try another word or filter." if filtered else "People you scan appear here.")]
        self.results.controls = rows

    async def _search(self, e: Any) -> None:
        """One search at a time: keys typed meanwhile are folded into the next one.

        The first key searches at once (lowest latency); a burst of keys costs at most
        one search in flight plus one for the latest text, never a thread per key.
        """
        self.shown = PAGE
        if self._searching:
            return  # the running search looks at the filters again when it ends
        self._searching = True
        try:
            while True:
                asked = self._filters()
                result = await self.app.work(self._query, asked)
                if asked == self._filters():  # a newer keystroke wins: never show stale results
                    self._show(*result)
                    return
        finally:
            self._searching = False

    async def _more(self, e: Any) -> None:
        self.shown += PAGE
        self._show(*await self.app.work(self._query))
