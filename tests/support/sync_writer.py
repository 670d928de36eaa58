"""A device that writes and syncs in a loop, to be killed with SIGKILL at any moment.

    python -m tests.support.sync_writer DATA_DIR RUN

Adds people numbered 1, 2… ("Person RUN-N"), prints ``ack N`` once each is committed,
then syncs (writing its log, reading the other device's, maybe compacting) and prints
``synced``. The campaign kills it anywhere in there and checks that nothing acknowledged is
lost, here or on the other device.
"""

from __future__ import annotations

import sys
from pathlib import Path

from networking_app.models import Card
from networking_app.store import Store
from networking_app.sync.engine import Sync


def main() -> None:
    data, run, number = Path(sys.argv[1]), sys.argv[2], 1
    with Store.open(data, daily_backup=False) as store:
        sync = Sync(store)
        while True:
            store.people.add(Card(formatted=f"Person {run}-{number}", emails=[f"p{run}-{number}@example.org"]))
            print(f"ack {number}", flush=True)
            number += 1
            sync.run()
            print("synced", flush=True)


if __name__ == "__main__":
    main()
