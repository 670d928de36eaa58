"""Colours, spacing, touch targets and the light/dark themes (following the system)."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

SEED = "#1F7A6D"  # a calm teal: friendly, readable in both themes
MAX_WIDTH = 720  # content column width on wide screens
WIDE = 840  # from this page width on, a navigation rail replaces the bottom bar
GAP = 12
TOUCH = 48  # px: the smallest target a finger hits reliably (Material, WCAG 2.5.8's spirit)


@dataclass
class _DefaultTransitions:
    """Encodes as ``{}``, as ``ft.Theme``'s default ``PageTransitionsTheme()`` does."""


@dataclass
class _Padding:
    """Encodes as ``ft.Padding`` does."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass
class _ButtonStyle:
    """The one field of ``ft.ButtonStyle`` Mutual sets, encoded as Flet encodes it."""

    padding: _Padding


@dataclass
class _ButtonTheme:
    style: _ButtonStyle


def _buttons(vertical: float, horizontal: float) -> _ButtonTheme:
    return _ButtonTheme(_ButtonStyle(_Padding(horizontal, vertical, horizontal, vertical)))


@dataclass
class SeedTheme:
    """Sent exactly as ``ft.Theme(color_scheme_seed=seed, …)`` is, without importing ``flet.controls.theme``.

    That module builds some 140 dataclasses when imported: 0.4-0.6 s of CPU on two cores, before
    the first paint. ``tests/test_ui.py`` checks both encode to the same message.

    Touch targets: a browser on a desktop makes Flutter compact (32 px buttons, 40 px icon
    buttons). Standard density and these paddings make every button and icon button
    :data:`TOUCH` px tall: a label's 20 px line plus 14 px above and below; a 24 px icon plus 12.
    """

    color_scheme_seed: str
    page_transitions: _DefaultTransitions = field(default_factory=_DefaultTransitions)
    visual_density: str = "standard"
    button_theme: _ButtonTheme = field(default_factory=lambda: _buttons(14, 20))
    filled_button_theme: _ButtonTheme = field(default_factory=lambda: _buttons(14, 20))
    outlined_button_theme: _ButtonTheme = field(default_factory=lambda: _buttons(14, 20))
    text_button_theme: _ButtonTheme = field(default_factory=lambda: _buttons(14, 14))
    icon_button_theme: _ButtonTheme = field(default_factory=lambda: _buttons(12, 12))


def flet_theme(seed: str) -> ft.Theme:
    """The ``ft.Theme`` :class:`SeedTheme` stands for (tests compare the two; the app never builds it)."""
    def buttons(vertical: float, horizontal: float) -> ft.ButtonStyle:
        return ft.ButtonStyle(padding=ft.Padding(horizontal, vertical, horizontal, vertical))

    return ft.Theme(color_scheme_seed=seed, visual_density=ft.VisualDensity.STANDARD,
                    button_theme=ft.ButtonTheme(style=buttons(14, 20)),
                    filled_button_theme=ft.FilledButtonTheme(style=buttons(14, 20)),
                    outlined_button_theme=ft.OutlinedButtonTheme(style=buttons(14, 20)),
                    text_button_theme=ft.TextButtonTheme(style=buttons(14, 14)),
                    icon_button_theme=ft.IconButtonTheme(style=buttons(12, 12)))


def apply(page: ft.Page) -> None:
    page.theme_mode = ft.ThemeMode.SYSTEM
    page.theme_animation_style = ft.AnimationStyle.no_animation()
    page.theme = SeedTheme(SEED)  # type: ignore[assignment]
    page.dark_theme = SeedTheme(SEED)  # type: ignore[assignment]
