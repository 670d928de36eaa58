"""Colours, spacing and the light/dark themes (following the system)."""

from __future__ import annotations

from dataclasses import dataclass, field
import flet as ft

SEED = "#1F7A6D"  # a calm teal: friendly, readable in both themes
MAX_WIDTH = 720  # content column width on wide screens
WIDE = 840  # from this page width on, a navigation rail replaces the bottom bar
GAP = 12


@dataclass
class _DefaultTransitions:
    """Encodes as ``{}``, as ``ft.Theme``'s default ``PageTransitionsTheme()`` does."""


@dataclass
class SeedTheme:
    """Sent exactly as ``ft.Theme(color_scheme_seed=seed)`` is, without importing ``flet.controls.theme``.

    That module builds some 140 dataclasses when imported: 0.4-0.6 s of CPU on two cores, before
    the first paint, for one colour. ``tests/test_ui.py`` checks both encode to the same message.
    """

    color_scheme_seed: str
    page_transitions: _DefaultTransitions = field(default_factory=_DefaultTransitions)


def apply(page: ft.Page) -> None:
    page.theme_mode = ft.ThemeMode.SYSTEM
    page.theme = SeedTheme(SEED)  # type: ignore[assignment]
    page.dark_theme = SeedTheme(SEED)  # type: ignore[assignment]
