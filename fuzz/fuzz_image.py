"""atheris harness: the image path, scanning.read_image on any bytes (a photo from a stranger).

decode_image (Pillow's header checks, the size limits, zxing-cpp) then parse_payload on each
text found. Allowed outcomes: a card, or UnreadableImageError (ImageTooLargeError included),
NotACardError, PayloadTooLargeError, with a sentence.
"""

import sys

import atheris
import common

with atheris.instrument_imports(include=["networking_app", "PIL"]):
    from networking_app.errors import NotACardError, PayloadTooLargeError, UnreadableImageError
    from networking_app.scanning import read_image


def test_one_input(data: bytes) -> None:
    with common.bounded("read_image"):
        try:
            read_image(data)
        except (UnreadableImageError, NotACardError, PayloadTooLargeError) as error:
            common.check_sentence(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
