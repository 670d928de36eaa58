"""The Flet 1.0 app: a thin layer of screens over the core; no data logic lives here."""
