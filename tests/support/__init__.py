"""What the test modules share, one module per concept; a test module imports from here, never
from another test module.

- ``ui_client``: Mutual's screens on the in-process Flet client (``flet_fake_client``).
- ``flutter_page``: Mutual's web page in Chromium, through Flutter's semantics tree (tests/e2e).
- ``camera_video``: the QR video Chromium's fake camera films.
- ``vcard_corpus``: the real-world vCards of tests/corpus and what each holds.
- ``qr_scenes``: pictures with QR codes in them (also timed by bench/bench_qr.py).
- ``hostile_strategies``: hypothesis strategies for what strangers hand over.
- ``writer``, ``crash_writer``: processes that write until they are killed (durability, crash trials).
- ``small_filesystem``, ``fault_filesystem``: a full or read-only disk, inside ``unshare -rm``.
"""
