"""Time Mutual's vCard codec against vobject on the same generated .vcf.

Run: ``uv run python bench/bench_vcard.py [cards]`` (default 10,000 cards). Parses a
typical 10-line-per-card export and Mutual's own richer export, and serialises the cards;
vobject reads and writes the same data in the same run for comparison.
"""

from __future__ import annotations

import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import vobject

from networking_app.models import Card
from networking_app.vcard import parse_vcards, serialize_vcards

GIVEN = ["Jane", "Zoë", "Ahmed", "Mei", "Lars", "Ana", "Kofi", "Ólafur", "Priya", "Tom"]
FAMILY = ["Doe", "Ångström", "Haddad", "Chen", "Berg", "Silva", "Mensah", "Árnason", "Rao", "Lee"]
ORGS = ["Acme, Inc.", "Globex", "Initech; Labs", "Umbrella", "Hooli", "Vandelay Industries"]


def make_cards(count: int, seed: int = 7) -> list[Card]:
    rng = random.Random(seed)
    cards = []
    for i in range(count):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        cards.append(
            Card(
                given=given,
                family=family,
                title=rng.choice(["CTO", "Designer", "Founder", "Engineer"]),
                organization=rng.choice(ORGS),
                emails=[f"{given.lower()}.{i}@example.com"],
                phones=[f"+1 555 {i:07d}"],
                urls=[f"https://example.com/{i}"],
                offers="Intros to climate investors, feedback on pitch decks",
                seeking="A co-founder with hardware experience",
            )
        )
    return cards


def typical_vcf(cards: list[Card]) -> str:
    """A 10-line-per-card export like a phone's or Google's, written independently of us."""
    out = []
    for c in cards:
        org = c.organization.replace(",", "\\,").replace(";", "\\;")
        out.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{c.given} {c.family}\r\n"
            f"N:{c.family};{c.given};;;\r\nORG:{org}\r\nTITLE:{c.title}\r\n"
            f"EMAIL;TYPE=INTERNET:{c.emails[0]}\r\nTEL;TYPE=CELL:{c.phones[0]}\r\n"
            f"URL:{c.urls[0]}\r\nEND:VCARD\r\n"
        )
    return "".join(out)


def best_of(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall-clock time of ``repeat`` runs (the machine is shared), and the result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def vobject_read(text: str) -> list[Any]:
    return list(vobject.readComponents(io.StringIO(text)))


def vobject_write(components: list[Any]) -> str:
    return "".join(component.serialize() for component in components)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cards = make_cards(count)
    typical = typical_vcf(cards)
    ours = serialize_vcards(cards)
    print(f"{count:,} cards: typical file {typical.count(chr(10)):,} lines "
          f"({len(typical.encode()) / 1e6:.1f} MB); Mutual's export {ours.count(chr(10)):,} lines "
          f"(with NOTE, X-MUTUAL-*, PRODID)\n")  # fmt: skip
    rows = [
        ("parse typical file", lambda: parse_vcards(typical), lambda: vobject_read(typical)),
        ("parse Mutual export", lambda: parse_vcards(ours), lambda: vobject_read(ours)),
    ]
    print(f"{'seconds (best of 5 / 1)':26}{'Mutual':>9}{'vobject':>9}{'ratio':>8}")
    for label, mine, theirs in rows:
        our_time, parsed = best_of(mine, 5)
        their_time, components = best_of(theirs, 1)
        assert len(parsed) == len(components) == count
        print(f"{label:26}{our_time:>9.3f}{their_time:>9.3f}{their_time / our_time:>7.1f}x")
    our_time, _ = best_of(lambda: serialize_vcards(cards), 5)
    components = vobject_read(typical)
    their_time, _ = best_of(lambda: vobject_write(components), 1)
    label = f"serialise {count:,} cards"
    print(f"{label:26}{our_time:>9.3f}{their_time:>9.3f}{their_time / our_time:>7.1f}x")


if __name__ == "__main__":
    main()
