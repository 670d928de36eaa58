"""atheris harness: vcard.iter_vcards on any bytes (a .vcf file from anywhere).

Allowed outcomes: cards (each clean and bounded), or ImportFormatError with a sentence.
"""

import sys

import atheris
import common

with atheris.instrument_imports(include=["networking_app"]):
    from networking_app.card_fields import MAX_ITEMS, clean_card
    from networking_app.errors import ImportFormatError
    from networking_app.vcard import iter_vcards


def test_one_input(data: bytes) -> None:
    with common.bounded("iter_vcards"):
        try:
            for line, card in iter_vcards(data):
                assert line >= 1
                assert clean_card(card) == card, "every field of a read card is clean"
                assert max(len(card.emails), len(card.phones), len(card.urls)) <= MAX_ITEMS
        except ImportFormatError as error:
            common.check_sentence(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
