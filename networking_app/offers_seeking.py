"""Offers and seeking as people write them, in a card's NOTE and in its ``X-`` properties.

People and other apps do not write Mutual's labels: they write "Can help with: payments
APIs", "• I'm looking for UX researchers", "Biete: Workshops", "Je cherche un associé",
"Busco cofundador técnico", "Procuro investidores", "Cerco un socio". A line that starts
with one of these phrasings (in English, German, French, Spanish, Portuguese or Italian;
whatever its case and accents, after bullets or emoji, with or without a leading "I")
gives offers or seeking; every other line stays the card's note.

A phrase followed by a colon or a dash is always a label. Without one, only phrasings
that cannot start an ordinary sentence of a note count ("Looking for…", "Suche…",
"Busco…"), not single nouns such as "Needs" or "Offer". A label with nothing after it
("Looking for:") takes the lines below it, up to a blank line or the next label.
A line may hold both: "Can help with X. Looking for Y." is split before the second label.

What Mutual writes on its own card: "Can help with: …" and "Looking for: …" (the words
its onboarding asks with), which read naturally in any contacts app; the older
"Offers:"/"Seeking:" lines are read back like every other phrasing.
"""

from __future__ import annotations

import functools
import re
import unicodedata

OFFERS, SEEKING = "offers", "seeking"
WRITTEN_LABELS = {OFFERS: "Can help with", SEEKING: "Looking for"}
MAX_FOLLOWING_LINES = 12  # lines a bare "Looking for:" heading takes below it

# Phrasings as they are folded (lower case, no accents, "’" as "'"). A phrase in FREE also
# counts without a colon; the others (nouns, third persons) need ":" or a dash after them.
_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    OFFERS: {
        "free": (
            # English
            "can help with", "can help you with", "i can help with", "i can help you with",
            "happy to help with", "happy to help you with", "glad to help with", "i help with",
            "ask me about", "ask me anything about", "i can offer", "can offer", "offering", "i offer",
            "how i can help", "i can help", "can help", "happy to help",
            # German
            "biete", "ich biete", "biete an", "wir bieten", "ich kann helfen bei", "kann helfen bei",
            "ich kann helfen mit", "kann helfen mit", "ich helfe bei", "ich helfe gerne bei",
            "helfe gerne bei", "helfe bei", "frag mich nach", "frag mich zu", "fragt mich nach",
            "fragen sie mich nach", "sprich mich an auf", "ich kann helfen", "kann helfen",
            # French
            "je propose", "nous proposons", "je peux aider avec", "je peux aider sur", "je peux aider pour",
            "je peux vous aider avec", "je peux vous aider sur", "je peux vous aider pour",
            "je peux t'aider avec", "je peux t'aider sur", "je peux aider", "je peux vous aider",
            "j'offre", "je peux apporter", "parlez-moi de", "demandez-moi", "je peux offrir",
            # Spanish
            "ofrezco", "ofrecemos", "puedo ayudar con", "puedo ayudar en", "puedo ayudarte con",
            "puedo ayudarte en", "te puedo ayudar con", "le puedo ayudar con", "puedo ayudar",
            "preguntame por", "preguntame sobre", "ayudo con", "puedo aportar",
            # Portuguese
            "ofereco", "oferecemos", "posso ajudar com", "posso ajudar em", "posso te ajudar com",
            "posso ajuda-lo com", "posso ajudar", "pergunte-me sobre", "me pergunte sobre",
            "me pergunta sobre", "ajudo com", "posso contribuir com",
            # Italian
            "offro", "offriamo", "posso aiutare con", "posso aiutare in", "posso aiutarti con",
            "posso aiutarti in", "posso aiutare", "chiedimi di", "chiedimi su", "chiedetemi di",
            "aiuto con", "posso dare una mano con",
        ),
        "labelled": (
            "offers", "offer", "what i offer", "expertise", "my expertise", "skills", "help with",
            "angebot", "bieten", "kompetenzen",
            "propose", "offre", "ce que je propose", "competences",
            "ofrece", "oferta", "competencias",
            "oferece", "offerta", "competenze",
        ),
    },
    SEEKING: {
        "free": (
            # English
            "looking for", "i'm looking for", "i am looking for", "im looking for", "we're looking for",
            "we are looking for", "currently looking for", "seeking", "i seek", "i need", "we need",
            "in need of", "searching for", "i'm searching for", "would love to meet", "want to meet",
            "looking to meet", "hoping to meet", "i'd love to meet", "on the lookout for",
            # German
            "suche", "ich suche", "wir suchen", "suchen", "ich brauche", "brauche", "ich benotige",
            "benotige", "auf der suche nach", "ich bin auf der suche nach", "bin auf der suche nach",
            "gesucht",
            # French
            "je cherche", "cherche", "je recherche", "nous cherchons", "nous recherchons",
            "j'ai besoin de", "j'ai besoin d'", "a la recherche de", "a la recherche d'",
            "je suis a la recherche de", "je suis a la recherche d'",
            # Spanish
            "busco", "buscamos", "estoy buscando", "buscando", "necesito", "necesitamos", "en busca de",
            # Portuguese
            "procuro", "procuramos", "estou procurando", "procurando", "estou a procura de",
            "a procura de", "preciso de", "precisamos de",
            # Italian
            "cerco", "cerchiamo", "sto cercando", "cercasi", "ho bisogno di", "ho bisogno d'",
            "sono alla ricerca di", "alla ricerca di",
        ),
        "labelled": (
            "seeking", "needs", "need", "wanted", "what i need", "hiring", "wishlist", "looking",
            "gesucht", "bedarf", "ich suche nach",
            "recherche", "besoin", "besoins", "je cherche a",
            "necesita", "necesidades", "busca",
            "precisa", "necessidades", "procura",
            "cerca", "bisogno", "esigenze",
        ),
    },
}
_PRONOUN = r"(?P<pronoun>(?:i|i'm|im|i am|we|we're|we are)\s+)?"
_SEPARATOR = re.compile(r"\s*(?:[:：=]+|[-–—>→]+(?=\s|$)|\s(?=\S)|$|(?<='))\s*")
_LABEL_MARK = re.compile(r"[:：=\-–—>→]")


def _alternation(phrases: tuple[str, ...]) -> str:
    # The longest first, so "i can help with" wins over "i can help"; "'" and "-" as written.
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p.rstrip(":")).replace(r"\ ", r"\s+") for p in ordered)


def _pattern(kind: str) -> re.Pattern[str]:
    phrases = _PHRASES[kind]
    return re.compile(
        rf"{_PRONOUN}(?:(?P<free>{_alternation(phrases['free'])})|(?P<labelled>{_alternation(phrases['labelled'])}))"
        r"(?:(?<=')|(?![\w']))"
    )


_PATTERNS = {kind: _pattern(kind) for kind in (OFFERS, SEEKING)}
_LEADING_MARKS = re.compile(r"(?:[\W_]|\d{1,2}[.)](?=\s))+")  # bullets, emoji, "1." before a label
_INLINE_BREAK = re.compile(r"(?:(?<=[.!;|·•])|\s[|·•/–—-])\s+(?=\S)")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "’‘`´":
        return "'"
    decomposed = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return folded if folded.strip() or char.isspace() else char  # "¯" is not a space


def fold_for_labels(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the original one it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def label_of(line: str) -> tuple[str, str] | None:
    """``(kind, value)`` when ``line`` starts with an offers or seeking phrasing, else None.

    ``value`` is what follows the label ("" for a bare heading such as "Looking for:").
    """
    stripped = line.strip()
    marks = _LEADING_MARKS.match(stripped)
    start = marks.end() if marks else 0
    if start >= len(stripped) or len(stripped) - start > 4000:
        return None
    body = stripped[start:]
    folded, origin = fold_for_labels(body)
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(folded)
        if match is None:
            continue
        separator = _SEPARATOR.match(folded, match.end())
        if separator is None:
            continue
        first_person = match.group("free") is not None or match.group("pronoun") is not None
        if not first_person and not _LABEL_MARK.search(separator.group()):
            continue  # "Needs a lawyer" is a sentence; "Needs: a lawyer" and "I need a lawyer" are labels
        end = separator.end()
        return kind, (body[origin[end]:] if end < len(folded) else "").strip()
    return None


def _split_inline(line: str) -> list[str]:
    """A line holding two labels ("Can help with X. Looking for Y.") as two lines."""
    parts, start = [], 0
    for match in _INLINE_BREAK.finditer(line):
        if match.end() > start and label_of(line[match.end():]) is not None:
            parts.append(line[start:match.start()].rstrip(" |·•/–—-"))
            start = match.end()
    parts.append(line[start:])
    return parts


def _bullet_text(line: str) -> str:
    marks = _LEADING_MARKS.match(line.strip())
    return line.strip()[marks.end():] if marks else line.strip()


def find_offers_seeking(note: str, skip: frozenset[str] = frozenset()) -> tuple[dict[str, str], str]:
    """The first offers and seeking that ``note`` states, and the note without those lines.

    ``skip`` names kinds whose lines stay note (the card said elsewhere it has none).
    """
    lines: list[str] = []
    for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines += _split_inline(line) if len(line) <= 2000 else [line]
    found: dict[str, str] = {}
    rest: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        labelled = label_of(line)
        if labelled is None or labelled[0] in found or labelled[0] in skip:
            rest.append(line)
            continue
        kind, value = labelled
        if not value:  # a heading: the lines below it, to a blank line or the next label
            taken: list[str] = []
            while index < len(lines) and lines[index].strip() and len(taken) < MAX_FOLLOWING_LINES:
                if label_of(lines[index]) is not None:
                    break
                taken.append(_bullet_text(lines[index]))
                index += 1
            value = "; ".join(t for t in taken if t)
            if not value:
                rest.append(line)
                continue
        found[kind] = value
    return found, "\n".join(rest)


@functools.lru_cache(maxsize=512)
def x_property_kind(name: str) -> str | None:
    """OFFERS or SEEKING for an ``X-`` property that holds them (X-MUTUAL-OFFERS, X-LOOKING-FOR,
    X-CAN-HELP-WITH, X-SUCHE…), else None."""
    if not name.upper().startswith("X-") or len(name) > 64:
        return None
    words = name[2:].replace("_", "-").lower().split("-")
    for skip in range(min(2, len(words))):  # a vendor's prefix: X-MUTUAL-OFFERS, X-ACME-LOOKING-FOR
        phrase = " ".join(words[skip:])
        for kind, pattern in _PATTERNS.items():
            match = pattern.fullmatch(_fold_words(phrase))
            if match is not None:
                return kind
    return None


def _fold_words(text: str) -> str:
    return fold_for_labels(text)[0]


def written_lines(offers: str, seeking: str) -> list[str]:
    """The note lines Mutual writes for offers and seeking (see the module's docstring)."""
    return [f"{WRITTEN_LABELS[kind]}: {value}" for kind, value in ((OFFERS, offers), (SEEKING, seeking)) if value]
