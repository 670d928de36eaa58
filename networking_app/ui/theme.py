"""Colours, spacing and the light/dark themes (following the system)."""

from __future__ import annotations

import flet as ft

SEED = "#1F7A6D"  # a calm teal: friendly, readable in both themes
MAX_WIDTH = 720  # content column width on wide screens
WIDE = 840  # from this page width on, a navigation rail replaces the bottom bar
GAP = 12


def apply(page: ft.Page) -> None:
    page.theme_mode = ft.ThemeMode.SYSTEM
    page.theme = ft.Theme(color_scheme_seed=SEED)
    page.dark_theme = ft.Theme(color_scheme_seed=SEED)
