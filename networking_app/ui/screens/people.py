"""Everyone I met, searchable as I type."""

from __future__ import annotations

from typing import Any

import flet as ft

from ..widgets import empty_state, page_body
from .base import Screen

PAGE = 50


class PeopleScreen(Screen):
    title = "People"
    route = "/people"
    nav_route = "/people"

    def build(self) -> ft.Control:
        self.query = ft.TextField(label="Search people", prefix_icon=ft.Icons.SEARCH, on_change=self._search)
        self.results = ft.Column(spacing=0)
        self._fill("")
        return page_body([self.query, self.results])

    def _fill(self, query: str) -> None:
        found = self.store.contacts(query=query, limit=PAGE)
        self.results.controls = [ft.ListTile(
            leading=ft.CircleAvatar(content=ft.Text(c.display_name[:1].upper())),
            title=ft.Text(c.display_name),
            subtitle=ft.Text(", ".join(p for p in (c.title, c.organization) if p) or c.offers, max_lines=1),
            on_click=lambda e, c=c: self.app.go(f"/person/{c.id}"),
        ) for c in found] or [empty_state(ft.Icons.PEOPLE_OUTLINE, "No one yet" if not query else "No match",
                                          "People you scan appear here." if not query else "Try another word.")]

    async def _search(self, e: Any) -> None:
        query = self.query.value or ""
        await self.app.work(self._fill, query)
