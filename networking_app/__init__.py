"""Mutual: a networking-event companion.

The package is a pure core (cards, vCard codec, QR, store, domain rules) with no
Flet import; the Flet UI lives in :mod:`networking_app.ui` and only calls the core.
"""

__version__ = "0.1.0"
