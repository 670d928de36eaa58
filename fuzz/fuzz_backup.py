"""atheris harness: backups.decode_backup and load_backup on any bytes (a backup file to restore).

Allowed outcomes: the tables (never partial), or ImportFormatError / SchemaTooNewError with a sentence.
What load_backup gives back is ready to restore: every record clean and every reference resolved.
"""

import sys

import atheris
import common

with atheris.instrument_imports(include=["networking_app"]):
    from networking_app.backups import decode_backup, load_backup, tables_digest
    from networking_app.errors import ImportFormatError, SchemaTooNewError
    from networking_app.record_rules import clean_tables


def test_one_input(data: bytes) -> None:
    with common.bounded("decode_backup"):
        try:
            tables = decode_backup(data, "fuzz.json")
        except (ImportFormatError, SchemaTooNewError) as error:
            common.check_sentence(error)
            return
    assert isinstance(tables, dict) and all(isinstance(t, dict) for t in tables.values())
    tables_digest(tables)  # what a restore computes again
    with common.bounded("load_backup"):
        try:
            ready = load_backup(data, "fuzz.json")
        except (ImportFormatError, SchemaTooNewError) as error:
            common.check_sentence(error)
            return
    assert clean_tables(ready, ready["meta"]["1"]["schema"]) == ready  # clean already: nothing left to change


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
