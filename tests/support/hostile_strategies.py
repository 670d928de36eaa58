"""Hypothesis strategies for what strangers hand over: text with disguising characters, vCards,
payloads of every kind and links of every scheme."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters a stranger can use to disguise text: bidi controls, zero-width and invisible ones,
# C0/C1 controls, line separators, Hangul fillers, a BOM.
HOSTILE_CHARS = list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d"
                     "\u2060\ufeff\u00ad\u3164\u115f\x00\x07\x1b\x7f\x85\x9b\u2028\u2029\t\r")
hostile_text = st.text(st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(blacklist_categories=("Cs",))),
                        max_size=40)
FIELDS = ["FN:", "N:", "ORG:", "TITLE:", "EMAIL:", "TEL:", "URL:", "NOTE:", "X-SOCIALPROFILE:", "X-MUTUAL-OFFERS:"]
SCHEMES = ["javascript:", "JavaScript:", "data:text/html,", "file:///", "intent://", "vbscript:", "blob:",
           "https://", "http://", "www.", "ftp://", "//", ""]


@st.composite
def hostile_vcards(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{draw(hostile_text)}x", f"EMAIL:{draw(hostile_text)}a@b.example"]
    for _ in range(draw(st.integers(0, 8))):
        field = draw(st.sampled_from(FIELDS))
        value = draw(st.sampled_from(SCHEMES)) + draw(hostile_text) if field in ("URL:", "X-SOCIALPROFILE:") \
            else draw(hostile_text)
        lines.append(field + value.replace("\n", " ").replace("\r", " "))
    return "\r\n".join([*lines, "END:VCARD", ""])


@st.composite
def hostile_payloads(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["vcard", "mecard", "text", "url"]))
    if kind == "vcard":
        return draw(hostile_vcards())
    if kind == "mecard":
        return (f"MECARD:N:{draw(hostile_text)};EMAIL:{draw(hostile_text)}a@b.example;"
                f"URL:{draw(st.sampled_from(SCHEMES))}{draw(hostile_text)};;")
    if kind == "url":
        return draw(st.sampled_from(SCHEMES)) + draw(hostile_text)
    return f"{draw(hostile_text)}\n{draw(hostile_text)} a@b.example\n+44 20 7946 {draw(st.integers(1000, 9999))}"
