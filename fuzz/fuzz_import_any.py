"""atheris harness: interop.detect then the importer it picks (vCard, CSV, iCalendar, backup).

What the command line's `import FILE` does with a file of any content. Allowed outcomes: an
import (rolled back here), or a MutualError with a sentence (a backup asks for confirmation).
"""

import sys

import atheris
import common  # noqa: F401
from importing import import_bytes

NAMES = ("contacts.vcf", "contacts.csv", "followups.ics", "backup.json", "file")


def test_one_input(data: bytes) -> None:
    name = NAMES[data[0] % len(NAMES)] if data else "file"
    import_bytes(data[1:], name, None)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
