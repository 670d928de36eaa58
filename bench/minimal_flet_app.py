"""The reference for bench_ui.py's first-paint figure: the smallest Flet 1.0 web app (a Text and a Button).

Run: ``uv run python bench/minimal_flet_app.py PORT`` (serves http://127.0.0.1:PORT/, offline).
"""

from __future__ import annotations

import sys

import flet as ft


def main(page: ft.Page) -> None:
    page.add(ft.Text("Hello from a minimal Flet app"), ft.Button("Press me", on_click=lambda e: None))


if __name__ == "__main__":
    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(sys.argv[1]), no_cdn=True)
