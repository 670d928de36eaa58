"""Sync between a person's devices through a folder their sync app shares (docs/SYNC.md).

No Flet here: the engine is used by the command line, the app and the tests alike.
"""
