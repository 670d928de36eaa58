"""The command line as a script would use it: commands, JSON, exit codes, plain errors."""

from __future__ import annotations

import argparse
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from networking_app.cli import COMMANDS, build_parser, run
from networking_app.models import Card
from networking_app.qr_decode import decode_image
from networking_app.qr_image import qr_png
from networking_app.vcard import fit_card_for_qr

ROOT = Path(__file__).resolve().parent.parent
CONTACT_KEYS = {"id", "name", "title", "organization", "emails", "phones", "urls", "offers", "seeking", "meetings"}


class Cli:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")  # bytes, as a pipe gives
        try:
            code = run(["--data-dir", str(self.folder), *args], out, err)
        finally:
            sys.stdin = old_stdin
        return code, out.getvalue(), err.getvalue()

    def json(self, *args: str) -> object:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


def card_png(tmp_path: Path, name: str, email: str, **fields: str) -> Path:
    given, family = name.split()
    path = tmp_path / f"{given.lower()}.png"
    path.write_bytes(qr_png(fit_card_for_qr(Card(given=given, family=family, emails=[email], **fields)).text))
    return path


def test_card_set_show_and_qr_make_a_code_that_decodes_to_my_card(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("card", "set", "--name", "Ana María López", "--title", "CTO", "--org", "Lima Labs",
                       "--email", "ana@lima.example", "--phone", "+34 600 000 000", "--url", "https://lima.example",
                       "--offers", "Python mentoring", "--seeking", "a co-founder")
    assert code == 0 and "Ana María López" in out
    shown = cli.json("card", "show")
    assert (shown["given"], shown["family"], shown["offers"]) == ("Ana María", "López", "Python mentoring")
    code, out, _ = cli("card", "qr", str(tmp_path / "me.png"))
    assert code == 0
    [payload] = decode_image(tmp_path / "me.png")
    assert payload == shown["qr_payload"] and "FN:Ana María López" in payload and "Can help with: Python mentoring" in payload


def test_card_set_chooses_what_the_qr_keeps_when_it_cannot_hold_everything(cli: Cli) -> None:
    cli("card", "set", "--name", "Ana Lima", "--title", "Director of Partnerships", "--email", "ana@lima.example",
        "--url", "https://www.linkedin.com/in/ana-lima-partnerships",
        "--offers", "intros to climate investors, feedback on pitch decks, hiring advice",
        "--seeking", "a technical co-founder with battery chemistry experience, pilot customers")
    shown = cli.json("card", "show")
    assert shown["qr_keeps"] == "link" and "title" not in shown["qr_dropped"]  # the link and title by default
    assert "linkedin.com/in/ana-lima-partnerships" in shown["qr_payload"]
    cli("card", "set", "--name", "Ana Lima", "--qr-keeps", "offers")
    shown = cli.json("card", "show")
    assert shown["qr_dropped"][:2] == ["title", "web address"] and "linkedin" not in shown["qr_payload"]


def test_card_set_keeps_fields_not_given(cli: Cli) -> None:
    cli("card", "set", "--name", "Ana Lima", "--email", "ana@lima.example", "--offers", "mentoring")
    cli("card", "set", "--name", "Ana Lima", "--title", "CTO")
    shown = cli.json("card", "show")
    assert (shown["emails"], shown["offers"], shown["title"]) == (["ana@lima.example"], "mentoring", "CTO")


def test_a_batch_of_images_and_payloads_is_saved_to_the_event(cli: Cli, tmp_path: Path) -> None:
    cli("event", "start", "PyCon", "--place", "Berlin", "--date", "2026-11-20")
    bob = card_png(tmp_path, "Bob Stone", "bob@stone.example", offers="hardware intros")
    mecard = tmp_path / "cy.txt"
    mecard.write_text("MECARD:N:Camera,Cy;EMAIL:cy@camera.example;;")
    code, out, err = cli("scan", str(bob), str(mecard), "-", stdin="mailto:dee@example.org")
    assert code == 0, err
    assert out.count("new contact") == 3 and "met at PyCon" in out
    people = cli.json("contacts", "--event", "PyCon")
    assert {p["display_name"] for p in people} == {"Bob Stone", "Cy Camera", "dee@example.org"}
    assert {p["name"] for p in people} == {"Bob Stone", "Cy Camera", ""}  # no name was given
    assert all(CONTACT_KEYS <= p.keys() for p in people)
    assert all(p["meetings"][0]["event"] == "PyCon" for p in people)
    events = cli.json("event", "list")
    assert [(e["name"], e["people"], e["running"]) for e in events] == [("PyCon", 3, True)]


def test_scanning_without_an_event_saves_the_contact_all_the_same(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("scan", str(card_png(tmp_path, "Bob Stone", "bob@stone.example")))
    assert code == 0
    [bob] = cli.json("contacts")
    assert bob["meetings"][0]["event"] == "" and bob["meetings"][0]["event_id"] == ""


def test_intros_for_one_person_lists_whom_to_introduce_them_to_best_first(cli: Cli) -> None:
    people = [(f"X{k} Bystander", f"{hobby} lessons", "") for k, hobby in enumerate(["Sailing", "Pottery", "Chess"])]
    people += [
        ("Leila Haddad", "Usability studies, user interviews", ""),
        ("Bo Berg", "", "A Rust mentor for my team"),
        ("Sam Lee", "Rust mentoring", "usability testing"),
        ("Quiet Person", "", ""),
    ]
    for name, offers, seeking in people:
        note = "\\n".join(f"{label}: {text}" for label, text in (("Offers", offers), ("Seeking", seeking)) if text)
        vcard = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nNOTE:{note}\r\nEND:VCARD\r\n"
        code, _, err = cli("scan", "-", stdin=vcard)
        assert code == 0, err
    ids = {c["display_name"]: c["id"] for c in cli.json("contacts")}
    rows = cli.json("intros", "--for", ids["Sam Lee"][:6])
    assert [(r["name"], r["reason"]) for r in rows] == [
        ("Bo Berg", "seeks Rust mentor"), ("Leila Haddad", "offers usability studies")]
    assert rows[1]["note_line"] == "Intro to Leila Haddad (usability studies)"
    assert rows[1]["seeker_id"] == ids["Sam Lee"] and rows[1]["helper_id"] == ids["Leila Haddad"]
    assert rows[0]["explanation"].startswith("Bo Berg is looking for a Rust mentor")
    code, out, _ = cli("intros", "--for", ids["Sam Lee"][:6], "--limit", "1")
    assert code == 0 and out.splitlines() == [
        "You could introduce Sam Lee to:", f"1. Bo Berg — seeks Rust mentor  (id {ids['Bo Berg'][:8]})"]
    code, out, _ = cli("intros", "--for", ids["Quiet Person"][:6])
    assert code == 0 and out.startswith("No one to introduce Quiet Person to yet")


def test_a_failed_item_in_a_batch_is_reported_and_the_rest_saved(cli: Cli, tmp_path: Path) -> None:
    wifi = tmp_path / "wifi.txt"
    wifi.write_text("WIFI:S:CafeNet;T:WPA;P:secret;;")
    blank = tmp_path / "blank.png"
    blank.write_bytes(qr_png("x")[:40])  # a truncated PNG
    bob = card_png(tmp_path, "Bob Stone", "bob@stone.example")
    code, out, err = cli("scan", str(wifi), str(blank), str(bob))
    assert code == 1
    assert "Wi-Fi" in err and "secret" not in err and "Bob Stone" in out
    assert [p["name"] for p in cli.json("contacts")] == ["Bob Stone"]


def test_every_card_code_of_an_image_is_saved_and_a_code_that_is_no_card_refused_on_its_own(
        cli: Cli, tmp_path: Path) -> None:
    codes = [card_png(tmp_path, "Bob Stone", "bob@stone.example"), tmp_path / "wifi.png",
             card_png(tmp_path, "Cy Camera", "cy@camera.example")]
    codes[1].write_bytes(qr_png("WIFI:S:CafeNet;T:WPA;P:secret;;"))
    tiles = [Image.open(path).convert("L") for path in codes]
    sheet = Image.new("L", (sum(t.width + 40 for t in tiles), max(t.height for t in tiles)), 255)
    for index, tile in enumerate(tiles):
        sheet.paste(tile, (sum(t.width + 40 for t in tiles[:index]), 0))
    sheet.save(tmp_path / "three-codes.png")
    code, out, err = cli("scan", str(tmp_path / "three-codes.png"))
    assert code == 1
    assert "three-codes.png (code 1): Bob Stone (new contact" in out
    assert "three-codes.png (code 3): Cy Camera (new contact" in out
    assert "three-codes.png (code 2): This code is Wi-Fi login details" in err and "secret" not in err
    assert sorted(p["name"] for p in cli.json("contacts")) == ["Bob Stone", "Cy Camera"]


def test_the_note_command_takes_an_id_prefix_and_feeds_the_follow_up_queue(cli: Cli, tmp_path: Path) -> None:
    cli("scan", str(card_png(tmp_path, "Bob Stone", "bob@stone.example")))
    cli("scan", str(card_png(tmp_path, "Cy Camera", "cy@camera.example")))
    people = {p["name"]: p["id"] for p in cli.json("contacts")}
    code, out, _ = cli("note", people["Bob Stone"][:6], "--need", "a contractor", "--help", "intro to Grace",
                       "--follow-up", "2099-01-10")
    assert code == 0 and "2099-01-10" in out
    cli("note", people["Cy Camera"][:6], "--promise", "send the deck", "--follow-up", "2099-01-20")
    queue = cli.json("followups")
    # both are due "later"; within a bucket the promise I made comes first
    assert [(row["name"], row["due"], row["bucket"]) for row in queue] == [
        ("Cy Camera", "2099-01-20", "later"), ("Bob Stone", "2099-01-10", "later")]
    cli("scan", str(card_png(tmp_path, "Dana Doe", "dana@doe.example")))  # a promise with no date reaches the queue
    dana = {p["name"]: p["id"] for p in cli.json("contacts")}["Dana Doe"]
    code, out, _ = cli("note", dana[:6], "--promise", "send the deck")
    assert code == 0 and "Your promise waits in followups, with no date." in out
    code, out, _ = cli("followups")
    assert out.splitlines()[:2] == ["== no date", "  Dana Doe — promised: send the deck"]
    assert cli.json("followups")[0]["bucket"] == "no date"
    [bob] = cli.json("contacts", "--search", "contractor")
    assert (bob["name"], bob["meetings"][0]["help"], bob["meetings"][0]["follow_up"]) == ("Bob Stone", "intro to Grace", "2099-01-10")


def test_errors_are_one_plain_sentence_with_a_non_zero_exit(cli: Cli) -> None:
    for args, expected in [
        (("note", "zz", "--need", "x"), "at least the first 4 characters"),
        (("note", "abcd1234"), "Nothing to save: give --need, --help, --promise or --follow-up."),
        (("event", "start", "  "), "An event needs a name."),
        (("card", "set", "--name", " "), "Your card needs a name."),
        (("card", "set", "--name", "Ana", "--email", "ana-at-lima"), "“ana-at-lima” is not an email address"),
        (("card", "set", "--name", "Ana", "--url", "javascript:alert(1)"), "cannot be a link on your card"),
        (("card", "set", "--name", "Ana", "--phone", "abc"), "“abc” is not a phone number"),
        (("card", "show", "--label", "Job search"), "You have no card labelled “Job search”"),
        (("restore", "/no/such/backup.json"), "Nothing was restored from /no/such/backup.json"),
        (("intros", "--limit", "0"), "expected a whole number from 1 up"),
        (("intros", "--for", "abcd1234"), "No contact has an id starting with abcd1234"),
        (("note", "abcd1234", "--need", "x"), "No contact has an id starting with abcd1234"),
        (("event", "start", "X", "--date", "tomorrow"), "is not a date"),
        (("contacts", "--event", "Nope"), "No event is called “Nope”"),
        (("card", "show"), "You have no card yet"),
        (("frobnicate",), "invalid choice"),
        (("scan", "/no/such/file.png"), "Cannot open /no/such/file.png"),
    ]:
        code, _, err = cli(*args)
        assert code != 0, args
        assert expected in err, (args, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_note_help_alone_shows_the_help_and_help_text_is_the_note(cli: Cli) -> None:
    code, out, err = cli("note", "--help")
    assert code == 0 and "--help [TEXT]" in out and "how I can help" in out and not err


def test_a_bare_note_help_shows_the_help_only_when_it_comes_last(cli: Cli, tmp_path: Path) -> None:
    cli("scan", str(card_png(tmp_path, "Bob Stone", "bob@stone.example")))
    [bob] = cli.json("contacts")
    code, out, _ = cli("note", bob["id"][:8], "--help", "an intro", "--help")
    assert code == 0 and "--help [TEXT]" in out
    code, out, _ = cli("note", bob["id"][:8], "--help", "--help", "an intro to Grace")
    assert code == 0 and out == "Saved the note on Bob Stone.\n"
    [bob] = cli.json("contacts")
    assert bob["meetings"][0]["help"] == "an intro to Grace"


def test_every_command_names_its_handler_and_takes_data_dir_after_it() -> None:
    def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
        groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not groups:
            return [(path, parser)]
        itself = [] if groups[0].required or not path else [(path, parser)]  # `sync` runs alone too
        return itself + [leaf for name, sub in groups[0].choices.items() for leaf in leaves(sub, (*path, name))]

    found = leaves(build_parser(), ())
    assert list(dict.fromkeys(path[0] for path, _ in found)) == list(COMMANDS)  # in the registry's order
    assert len(found) == 22  # card set|show|qr, event start|list|end, sync and sync status, 14 without subcommands
    for path, parser in found:
        assert callable(parser.get_default("run")), path
        assert any("--data-dir" in action.option_strings for action in parser._actions), path


def test_data_dir_after_the_command_is_the_folder_used(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["card", "set", "--name", "Ana Lima", "--data-dir", str(tmp_path / "late")], out, err) == 0, err
    assert run(["--data-dir", str(tmp_path / "late"), "card", "show"], out, err) == 0
    assert "Ana Lima  [My card, default]" in out.getvalue()


def test_an_empty_data_dir_or_a_file_is_refused_never_the_real_store(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["--data-dir", "", "contacts"], out, err) == 1
    assert err.getvalue() == "--data-dir was given no folder; name one, or leave the option out.\n"
    (tmp_path / "afile").write_text("x")
    err = io.StringIO()
    assert run(["--data-dir", str(tmp_path / "afile"), "contacts"], out, err) == 1
    assert "is a file, not a folder" in err.getvalue()


def test_scan_refuses_a_file_of_several_cards_and_reads_utf16(cli: Cli, tmp_path: Path) -> None:
    from networking_app.vcard import serialize_vcards

    many = tmp_path / "three.vcf"
    many.write_text(serialize_vcards([Card(given=n, emails=[f"{n.lower()}@x.org"]) for n in ("Ana", "Bo", "Cy")]))
    code, _, err = cli("scan", str(many))
    assert code == 1 and f"holds 3 cards; scan reads one. For a file of contacts use: import {many}" in err
    one = tmp_path / "gina.vcf"
    one.write_bytes(fit_card_for_qr(Card(given="Gina", family="Hale", emails=["gina@x.org"])).text.encode("utf-16"))
    code, out, err = cli("scan", str(one))
    assert code == 0, err
    [gina] = cli.json("contacts")
    assert gina["name"] == "Gina Hale" and gina["emails"] == ["gina@x.org"]


def test_scan_reads_a_payload_file_that_is_not_utf8_as_windows_1252(cli: Cli, tmp_path: Path) -> None:
    """It was read as Latin-1, which turns Windows' curly apostrophe into an invisible control."""
    card = tmp_path / "sean.vcf"
    card.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nN:O’Brien;Seán\r\nEMAIL:sean@x.ie\r\nEND:VCARD\r\n".encode("cp1252"))
    code, _, err = cli("scan", str(card))
    assert code == 0, err
    [sean] = cli.json("contacts")
    assert sean["name"] == "Seán O’Brien"


def test_a_second_event_of_the_same_name_leaves_the_first_reachable_by_id(cli: Cli) -> None:
    cli("event", "start", "PyCon Berlin", "--date", "2025-10-01")
    cli("event", "start", "PyCon Berlin")
    first, second = sorted(cli.json("event", "list"), key=lambda e: e["date"])
    assert cli("contacts", "--event", first["id"][:8])[0] == 0
    code, out, _ = cli("event", "list")
    assert code == 0 and first["id"][:8] in out and second["id"][:8] in out  # the id to name the older one by
    code, _, err = cli("contacts", "--event", "PyCon Berlin")  # the newer one is meant, and it says so
    assert code == 0 and err.strip() == (f"2 events are called “PyCon Berlin”: this is the running one, "
                                         f"{second['id'][:8]} ({second['date']}); for another, give its id: "
                                         f"{first['id'][:8]} (2025-10-01).")
    code, out, _ = cli("event", "start", "Other")
    assert code == 0 and out.startswith("Ended “PyCon Berlin”.")


def test_the_real_program_never_prints_a_traceback(tmp_path: Path) -> None:
    store_file = tmp_path / "data" / "mutual.json"
    store_file.parent.mkdir()
    store_file.write_text("{broken")
    proc = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "contacts"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Mutual cannot read its data file {store_file}")
    assert "Traceback" not in proc.stderr


def test_data_dir_comes_from_the_environment_when_not_given(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MUTUAL_DATA_DIR", str(tmp_path / "env-data"))
    assert run(["event", "start", "Env"], io.StringIO(), io.StringIO()) == 0
    assert (tmp_path / "env-data" / "mutual.json").exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_import_draws_a_progress_bar_on_a_terminal_and_nothing_for_a_script(tmp_path: Path) -> None:
    rows = [f"Person{i},Family{i},https://www.linkedin.com/in/p{i},,Org{i % 50},Engineer,01 Jan 2024"
            for i in range(1000)]
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows) + "\n")
    out, err = io.StringIO(), Terminal()
    assert run(["--data-dir", str(tmp_path / "a"), "import", str(csv)], out, err) == 0
    frames = err.getvalue().split("\r")[1:]
    assert frames[0].startswith("Importing [") and frames[0].endswith("] 0 of 1,000")
    assert frames[-1] == f"Importing [{'#' * 30}] 1,000 of 1,000\n"  # ended by a newline before the summary
    assert [f.rsplit("] ", 1)[1].rstrip() for f in frames][1:4] == ["200 of 1,000", "400 of 1,000", "600 of 1,000"]
    assert out.getvalue().startswith("Imported 1,000 people from Connections.csv: 1,000 new")
    script_err = io.StringIO()
    assert run(["--data-dir", str(tmp_path / "b"), "import", str(csv)], io.StringIO(), script_err) == 0
    assert script_err.getvalue() == ""


# -- Ctrl-C -------------------------------------------------------------------------------------
INTERRUPTING = """
import runpy, sys
where, args = sys.argv[1], sys.argv[2:]

class InterruptTheImport:  # Ctrl-C lands while Python imports this module
    def find_spec(self, name, path=None, target=None):
        if name == where:
            raise KeyboardInterrupt

def interrupt(*args, **kwargs):
    raise KeyboardInterrupt

if where == "Store.open":
    from networking_app.store import Store
    Store.open = interrupt
elif where == "import_cards":
    from networking_app.store.people import People
    People.import_cards = interrupt
else:
    sys.meta_path.insert(0, InterruptTheImport())
sys.argv = ["main.py", *args]
runpy.run_path("main.py", run_name="__main__")
"""


@pytest.mark.parametrize(("where", "command"), [
    ("networking_app.cli", ("contacts",)),
    ("networking_app.store", ("contacts",)),
    ("tinydb", ("contacts",)),
    ("flet", ("--web",)),
    ("Store.open", ("contacts",)),
    ("import_cards", ("import", "CARDS")),
])
def test_ctrl_c_anywhere_while_starting_or_working_exits_130_without_a_traceback(
        tmp_path: Path, where: str, command: tuple[str, ...]) -> None:
    cards = tmp_path / "cards.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byron\r\nEND:VCARD\r\n")
    args = [str(cards) if a == "CARDS" else a for a in command]
    proc = subprocess.run([sys.executable, "-c", INTERRUPTING, where, "--data-dir", str(tmp_path / "data"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr
    assert proc.stderr in ("", "Interrupted; everything saved before was kept.\n")


def test_a_real_ctrl_c_during_a_long_import_exits_130_quietly_and_imports_nothing(tmp_path: Path) -> None:
    cards = tmp_path / "many.vcf"
    cards.write_text("".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEMAIL:p{i}@example.org\r\nEND:VCARD\r\n"
                             for i in range(30_000)))
    data = tmp_path / "data"
    # Ctrl-C as a terminal delivers it: a job started in the background by a shell without job
    # control (some CI runners) inherits SIGINT ignored, and so would this child without the reset
    proc = subprocess.Popen([sys.executable, "main.py", "--data-dir", str(data), "import", str(cards)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while not (data / "mutual.lock").exists() and time.monotonic() < deadline:  # the store is open
        time.sleep(0.01)
    time.sleep(0.3)  # well into the import of 30,000 cards (seconds)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "Interrupted; everything saved before was kept.\n"
    out, err = io.StringIO(), io.StringIO()
    assert run(["--data-dir", str(data), "contacts", "--json"], out, err) == 0
    assert json.loads(out.getvalue()) == []  # an import is all or nothing


def test_scanning_a_big_card_file_or_a_binary_file_says_what_to_do_in_one_sentence(cli: Cli, tmp_path: Path) -> None:
    import random

    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 20_000  # as a phone exports a card with its photo
    big = tmp_path / "John_Doe_IPHONE.vcf"
    big.write_bytes(f"BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:John Doe\r\r\n{photo}\r\r\nEND:VCARD\r\r\n".encode())
    code, _, err = cli("scan", str(big))
    assert code != 0 and err.count("\n") == 1 and f"for a card file use: import {big}" in err
    noise = tmp_path / "noise.bin"
    noise.write_bytes(random.Random(7).randbytes(8000))
    code, _, err = cli("scan", str(noise))
    assert code != 0 and err.strip().endswith("This file is neither an image Mutual reads nor a card's text; "
                                              "nothing was saved.")
    code, _, _ = cli("import", str(big))
    assert code == 0 and [c["name"] for c in cli.json("contacts")] == ["John Doe"]
