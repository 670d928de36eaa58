"""What a link from a stranger's card points to, and whether Mutual may open it (networking_app.links).

Only http(s) links open, always with their real host shown; a scheme that runs code or reads
files, a user name hiding the host, and look-alike hosts are named in a plain sentence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networking_app.links import MAX_URL, card_problem, inspect_url, mailto, tel
from tests.support.hostile_strategies import SCHEMES


# -- which links open ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("link, scheme", [
    ("javascript:alert(1)", "javascript"), ("JavaScript:alert(1)", "javascript"), ("data:text/html,<b>hi</b>", "data"),
    ("file:///etc/passwd", "file"), ("intent://scan/#Intent;scheme=zxing;end", "intent"), ("ftp://files.example.org/", "ftp"),
    ("vbscript:msgbox(1)", "vbscript"),
])
def test_a_link_that_is_not_http_s_never_opens_and_says_its_scheme(link: str, scheme: str) -> None:
    info = inspect_url(link)
    assert (info.openable, info.url, info.host) == (False, "", "")
    assert info.warning == f"Mutual never opens {scheme}: links like this one."


def test_a_plain_web_link_opens_as_written_with_its_host() -> None:
    info = inspect_url("  https://www.example.org/ana?x=1  ")
    assert (info.openable, info.url, info.host, info.warning) == (True, "https://www.example.org/ana?x=1", "www.example.org", "")
    assert inspect_url("HTTP://Example.ORG/A").host == "example.org"  # the host in lower case, the path as written


def test_a_link_written_without_a_scheme_opens_over_https() -> None:
    assert inspect_url("linkedin.com/in/ana").url == "https://linkedin.com/in/ana"
    info = inspect_url("example.com:8080/talk")  # a host and a port, not a scheme called "example.com"
    assert (info.url, info.host) == ("https://example.com:8080/talk", "example.com")


@pytest.mark.parametrize("text", ["Ana Lima", "nodot", "//evil.example/x", "two words.example"])
def test_text_that_is_not_a_web_address_is_not_a_link(text: str) -> None:
    info = inspect_url(text)
    assert not info.openable and info.warning == "This is not a web link."


def test_a_user_name_in_front_of_the_host_is_refused_naming_the_real_host() -> None:
    info = inspect_url("https://paypal.com@evil.example/login")
    assert not info.openable and info.host == "evil.example"
    assert info.warning == "This link hides its real host (evil.example) behind a user name."


@pytest.mark.parametrize("link, says", [
    ("https://a.example:99999/", "This link is malformed."),
    ("https:///path", "This link has no host."),
    ("https://" + "a" * MAX_URL + ".example", "This link is too long to be safe to open."),
])
def test_a_broken_or_oversized_link_is_refused_in_a_sentence(link: str, says: str) -> None:
    info = inspect_url(link)
    assert not info.openable and info.warning == says
    assert len(info.text) <= 81  # a link too long to open is also too long to show whole


# -- look-alike hosts ------------------------------------------------------------------------------------------
def test_a_host_mixing_alphabets_shows_its_real_name_and_a_warning() -> None:
    for link in ("https://xn--pypal-4ve.com/login", "https://p\u0430ypal.com/login"):  # a Cyrillic а
        info = inspect_url(link)
        assert info.openable and info.host == "p\u0430ypal.com (xn--pypal-4ve.com)"
        assert info.warning == ("This address mixes alphabets (Cyrillic, Latin) and may imitate another site: "
                                "its real name is xn--pypal-4ve.com.")


def test_a_host_in_one_other_alphabet_asks_to_check_it() -> None:
    info = inspect_url("https://пример.рф/")
    assert info.openable and info.host == "пример.рф (xn--e1afmkfd.xn--p1ai)"
    assert info.warning == "This address is written in another alphabet; check that you expected пример.рф."


def test_an_accented_latin_host_opens_with_its_dns_name_shown_and_no_warning() -> None:
    info = inspect_url("https://münchen.de/")
    assert (info.openable, info.host, info.warning) == (True, "münchen.de (xn--mnchen-3ya.de)", "")


# -- any text ----------------------------------------------------------------------------------------------------
@settings(max_examples=500, deadline=None)
@given(st.tuples(st.sampled_from(SCHEMES + ["mailto:", "tel:", "HTTPS://", " https://", "https://user:pw@"]),
                 st.text(max_size=60)).map("".join))
def test_a_link_is_opened_only_as_http_s_with_its_real_host_shown(text: str) -> None:
    info = inspect_url(text)
    if info.openable:
        assert info.url.lower().startswith(("http://", "https://")), info
        parts = urlsplit(info.url)
        assert info.host and not parts.username and not parts.password, info  # no user name hiding the host
        assert parts.hostname and parts.hostname.encode("idna").decode().lower() in info.host, info
        ascii_host = info.host.split(" (")[-1].rstrip(")")
        assert ascii_host.isascii(), info  # the DNS name is always shown
    else:
        assert info.url == "" and info.warning.endswith("."), info


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_mailto_and_tel_links_carry_nothing_but_the_address(text: str) -> None:
    email, phone = mailto(text), tel(text)
    assert email == "" or (email == f"mailto:{text.strip()}" and email.count("@") == 1
                           and not any(c.isspace() or c in "<>\"'" for c in email))
    assert phone == "" or all(c in "+0123456789" for c in phone[4:])


# -- mailto: and tel: ---------------------------------------------------------------------------------------------
def test_mailto_is_made_for_a_plausible_address_only() -> None:
    assert mailto("  ana@lima.example ") == "mailto:ana@lima.example"
    for not_an_address in ("ana", "ana@lima", "a b@lima.example", "<ana@lima.example>", "a@b@lima.example", ""):
        assert mailto(not_an_address) == "", not_an_address


def test_tel_keeps_the_digits_and_a_leading_plus() -> None:
    assert tel("+44 (20) 7946-0001") == "tel:+442079460001"
    assert tel("020.7946.0001") == "tel:02079460001"
    for not_a_number in ("call me", "12", "+1 555 0100;ext=2", ""):
        assert tel(not_a_number) == "", not_a_number


# -- my own card -----------------------------------------------------------------------------------------------------
def test_my_card_is_refused_for_the_first_value_others_could_not_use() -> None:
    assert card_problem("Ana Lima", ["ana@lima.example"], ["+46 70 123 45 67"], ["https://lima.example", "lima.example/ana"]) == ""
    assert card_problem("  ", ["ana@lima.example"], [], []) == "Your card needs a name."
    assert card_problem("Ana", [], [], []) == ""  # the command line may set a name first
    assert card_problem("Ana", [], [], [], require_reach=True) == \
        "Add at least one way to reach you: an email, a phone number or a link."
    assert card_problem("Ana", [], [], ["lima.example/ana"], require_reach=True) == ""
    assert card_problem("Ana", ["ana-at-lima"], [], []) == \
        "“ana-at-lima” is not an email address (it needs an @, like name@example.org)."
    assert card_problem("Ana", [], ["---"], []) == "“---” is not a phone number (digits, spaces and + ( ) - only)."
    problem = card_problem("Ana", [], [], ["https://lima.example", "javascript:alert(1)"])
    assert problem.startswith("“javascript:alert(1)” cannot be a link on your card: ") and "never opens javascript:" in problem
