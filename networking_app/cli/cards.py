"""``card set | show | qr``: my own cards, the ones I hand out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..models import KEEP_LINK, KEEP_OFFERS, MyCard, split_name
from .command import Command, subcommands
from .json_shapes import card_json

if TYPE_CHECKING:
    from ..store import Store
    from .output import Output


def _define(card: argparse.ArgumentParser) -> None:
    sub = subcommands(card)
    setter = sub.add_parser("set", help="create or update my default card")
    setter.add_argument("--name", required=True)
    setter.add_argument("--title")
    setter.add_argument("--org")
    setter.add_argument("--email", action="append")
    setter.add_argument("--phone", action="append")
    setter.add_argument("--url", action="append")
    setter.add_argument("--offers", help="I can help with…")
    setter.add_argument("--seeking", help="I'm looking for…")
    setter.add_argument("--label", help="which card, e.g. 'Job search' (default: the default card)")
    setter.add_argument("--qr-keeps", choices=(KEEP_LINK, KEEP_OFFERS),
                        help="when the QR code cannot hold everything, keep my link and title (link, the "
                             "default) or what I offer and seek (offers) longest")
    setter.set_defaults(run=set_card)
    show = sub.add_parser("show")
    show.add_argument("--json", action="store_true")
    show.add_argument("--label", help="which card (default: the default card)")
    show.set_defaults(run=show_card)
    qr = sub.add_parser("qr", help="write my card's QR code as a PNG")
    qr.add_argument("out", type=Path, metavar="OUT.png")
    qr.add_argument("--label", help="which card (default: the default card)")
    qr.set_defaults(run=write_qr)


def set_card(store: Store, args: argparse.Namespace, out: Output) -> int:
    card = _card_to_set(store, args.label)
    given, family = split_name(args.name)
    card.given, card.family, card.formatted = given, family, args.name.strip()
    texts = (("title", args.title), ("organization", args.org), ("offers", args.offers), ("seeking", args.seeking))
    for attr, value in texts:
        if value is not None:
            setattr(card, attr, value.strip())
    for attr, values in (("emails", args.email), ("phones", args.phone), ("urls", args.url)):
        if values is not None:
            setattr(card, attr, [v.strip() for v in values if v.strip()])
    if args.qr_keeps:
        card.qr_keeps = args.qr_keeps
    store.cards.save(card)
    out.line(f"Saved my card “{card.label}”: {card.full_name}.")
    return 0


def show_card(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..vcard import fit_card_for_qr

    card = _chosen_card(store, args.label)
    fitted = fit_card_for_qr(card, keep=card.qr_keeps)
    if args.json:
        out.json(card_json(card, fitted))
        return 0
    out.line(f"{card.full_name}  [{card.label}{', default' if card.is_default else ''}]")
    texts = (("Title", card.title), ("Organization", card.organization), ("Offers", card.offers),
             ("Seeking", card.seeking))
    for label, value in texts:
        if value:
            out.line(f"{label}: {value}")
    for label, values in (("Email", card.emails), ("Phone", card.phones), ("Link", card.urls)):
        for value in values:
            out.line(f"{label}: {value}")
    if fitted.dropped:
        out.warn(f"Left out of the QR code to keep it scannable: {', '.join(fitted.dropped)}.")
    return 0


def write_qr(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..output_files import write_chosen_file
    from ..qr_image import qr_png
    from ..vcard import fit_card_for_qr

    card = _chosen_card(store, args.label)
    fitted = fit_card_for_qr(card, keep=card.qr_keeps)
    write_chosen_file(args.out, qr_png(fitted.text), data_folder=store.folder)
    out.line(f"Wrote the QR code of “{card.full_name}” to {args.out} ({len(fitted.text.encode())} bytes of vCard).")
    if fitted.dropped:
        out.warn(f"Left out to keep it scannable: {', '.join(fitted.dropped)}.")
    return 0


def _chosen_card(store: Store, label: str | None) -> MyCard:
    """The card ``--label`` names, else my default card."""
    card = _card_labelled(store, label) if label else store.cards.default()
    if card is None:
        raise NotFoundError('You have no card yet. Create it with: card set --name "Your Name".')
    return card


def _find_labelled(store: Store, label: str) -> MyCard | None:
    return next((c for c in store.cards.all() if c.label.casefold() == label.strip().casefold()), None)


def _card_labelled(store: Store, label: str) -> MyCard:
    card = _find_labelled(store, label)
    if card is None:
        names = ", ".join(f"“{c.label}”" for c in store.cards.all()) or "none yet"
        raise NotFoundError(f"You have no card labelled “{label.strip()}” (your cards: {names}).")
    return card


def _card_to_set(store: Store, label: str | None) -> MyCard:
    if label:
        return _find_labelled(store, label) or MyCard(label=label.strip())
    return store.cards.default() or MyCard()


COMMANDS = (Command("card", "my card: set, show, qr", _define),)
