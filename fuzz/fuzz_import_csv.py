"""atheris harness: the interop csv importer (interop.import_bytes, format "csv") on any bytes.

Allowed outcomes: an import (rolled back here), or a MutualError with a sentence.
"""

import sys

import atheris
import common  # noqa: F401
from importing import import_bytes


def test_one_input(data: bytes) -> None:
    import_bytes(data, "fuzz.csv", "csv")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
