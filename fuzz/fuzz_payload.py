"""atheris harness: payload.parse_payload on any bytes or text (what a QR code or a paste holds).

Allowed outcomes: a ParsedPayload, or NotACardError / PayloadTooLargeError with a sentence.
Run through fuzz/run.py, or: uv run python fuzz/fuzz_payload.py -max_total_time=60 CORPUS_DIR
"""

import sys

import atheris
import common

with atheris.instrument_imports(include=["networking_app"]):
    from networking_app.card_fields import clean_card
    from networking_app.errors import NotACardError, PayloadTooLargeError
    from networking_app.payload import parse_payload


def test_one_input(data: bytes) -> None:
    if data[:1] == b"\x00":  # the first byte chooses: raw bytes, or text decoded from them
        payload: str | bytes = data[1:]
    else:
        payload = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    with common.bounded("parse_payload"):
        try:
            parsed = parse_payload(payload)
        except (NotACardError, PayloadTooLargeError) as error:
            common.check_sentence(error)
            return
    card = parsed.card
    assert not card.is_empty(), "a parsed card holds something"
    assert clean_card(card) == card, "every field of a parsed card is clean"


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
