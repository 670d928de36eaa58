"""Every Python process the test suite starts imports this (the folder is on PYTHONPATH):
it installs the same network guard as the pytest process (see mutual_netguard.py)."""

import os

if os.environ.get("MUTUAL_NETGUARD_LOG"):
    import mutual_netguard

    mutual_netguard.install()
