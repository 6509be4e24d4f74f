"""The build-time guard: a reader's contact never leaves the site's sources."""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from from_the_floor.core import guard
from from_the_floor.errors import FloorError


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "a.md").write_text(
        "---\nquestion: A?\nasked: 2026-11-01\ncontact: sam@example.org   # private\n---\n", encoding="utf-8"
    )
    (questions / "b.md").write_text(
        '---\r\nquestion: B?\r\ncontact: "@handle_on_mastodon"\r\n---\r\n', encoding="utf-8"
    )
    # a broken file still has its contact protected
    (questions / "broken.md").write_bytes(b'---\nquestion: "open\ncontact: caf\xe9@example.net\n---\n')
    (questions / "short.md").write_text("---\ncontact: ab\n---\n", encoding="utf-8")
    return questions


def test_contacts_are_read_from_raw_lines(sources: Path) -> None:
    found = guard.contacts_in([sources, sources.parent / "missing"])
    assert found == {"sam@example.org", "@handle_on_mastodon", "caf\ufffd@example.net"}


@pytest.mark.parametrize(
    "leak",
    [
        "Write to sam@example.org",
        "Write to SAM@Example.ORG",
        "mailto:sam%40example.org",
        "sam&#64;example.org",
        "sam&#x40;example.org",
        '{"email": "sam\\u0040example.org"}',
    ],
)
def test_scan_finds_common_encodings(tmp_path: Path, leak: str) -> None:
    out = tmp_path / "output"
    (out / "floor" / "x").mkdir(parents=True)
    (out / "floor" / "x" / "index.html").write_text(f"<p>{leak}</p>", encoding="utf-8")
    (out / "clean.html").write_text("<p>nothing here</p>", encoding="utf-8")
    assert guard.scan(out, {"sam@example.org"}) == [(out / "floor" / "x" / "index.html", "sam@example.org")]


def test_check_output_names_files_but_not_the_contact(tmp_path: Path, sources: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "feed.xml").write_text("<entry>@handle_on_mastodon</entry>", encoding="utf-8")
    with pytest.raises(FloorError) as info:
        guard.check_output(out, [sources])
    message = info.value.message
    assert str(out / "feed.xml") in message
    assert "handle_on_mastodon" not in message
    assert "refused" in message


def test_a_clean_output_passes(tmp_path: Path, sources: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("<p>sam at example dot org is not the string</p>", encoding="utf-8")
    guard.check_output(out, [sources])
    guard.check_output(tmp_path / "not-built-yet", [sources])


def test_contacts_are_read_as_yaml_values_whatever_they_hold(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "a.md").write_text(
        "---\nquestion: A?\nasked: 2026-11-01\n"
        "contact: o'brien@example.org  # the comment is not the contact\n"
        "also_asked_by:\n"
        "  - contact: ab#c@example.org\n"
        "    asked: 2026-11-02\n"
        "  - {contact: '\"john doe\"@example.org', asked: 2026-11-03}\n"
        "  - asked: 2026-11-04\n"
        "---\nBody with contact: not-a-contact-line\n",
        encoding="utf-8",
    )
    (questions / "b.md").write_text(  # does not parse (a tab), still protected line by line
        "---\nquestion: B?\n\tbad: indent\ncontact: 'it''s-me@example.org' # mine\n"
        'also_asked_by:\n  - contact: "x#y@example.org"\n---\n',
        encoding="utf-8",
    )
    assert guard.contacts_in([questions]) == {
        "o'brien@example.org",
        "ab#c@example.org",
        '"john doe"@example.org',
        "it's-me@example.org",
        "x#y@example.org",
    }


@pytest.mark.parametrize(
    "text",
    [
        "<p>Call the office on 020 7946 0959, or 20794609581.</p>",  # another number; a longer one
        "<p>Order 4420794609587 is not +44 20 7946 095.</p>",
        "<p>sam at example dot org</p>",
        "<p>sam@example.com, ann@example.org</p>",
    ],
)
def test_near_misses_are_not_leaks(tmp_path: Path, text: str) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "page.html").write_text(text, encoding="utf-8")
    found = guard.scan(out, {"+44 20 7946 0958", "sam@example.org"})
    assert found == []


# --- real-world addresses: the is_email test set (tests/fixtures/guard/SOURCES.md) ---------

FIXTURES = Path(__file__).parent.parent / "fixtures" / "guard"
VALID = {"ISEMAIL_VALID_CATEGORY", "ISEMAIL_RFC5321"}


def _isemail_addresses() -> list[str]:
    from defusedxml import ElementTree

    root = ElementTree.parse(FIXTURES / "isemail-tests.xml").getroot()
    found = [t.findtext("address") or "" for t in root.iter("test") if t.findtext("category") in VALID]
    return sorted({a for a in found if "@" in a and len(a) >= guard.MIN_LENGTH})


def test_real_world_addresses_are_read_back_from_question_files(tmp_path: Path) -> None:
    from from_the_floor.core.frontmatter_text import dump_scalar

    addresses = _isemail_addresses()
    assert any(a.startswith('"') for a in addresses), "the set has quoted local parts"
    questions = tmp_path / "questions"
    questions.mkdir()
    for n, address in enumerate(addresses):
        text = f"---\nquestion: Q{n}?\nasked: 2026-11-01\ncontact: {dump_scalar(address)}\n---\n"
        (questions / f"q{n}.md").write_text(text, encoding="utf-8")
    assert guard.contacts_in([questions]) == set(addresses)


ENCODINGS = {
    "as typed": lambda a: a,
    "html-escaped": lambda a: html.escape(a, quote=True),
    "an entity per character": lambda a: "".join(f"&#{ord(c)};" for c in a),
    "a percent-encoded mailto link": lambda a: f'<a href="mailto:{quote(a, safe="@")}">mail</a>',
    "upper case": str.upper,
}


def test_real_world_addresses_are_found_in_every_encoding(tmp_path: Path) -> None:
    addresses = _isemail_addresses()
    out = tmp_path / "output"
    out.mkdir()
    expected = []
    for n, address in enumerate(addresses):
        for name, encode in ENCODINGS.items():
            path = out / f"{n}-{name.replace(' ', '-')}.html"
            path.write_text(f"<p>Write to {encode(address)} soon.</p>", encoding="utf-8")
            expected.append(path)
    found = {path for path, _ in guard.scan(out, set(addresses))}
    assert sorted(found) == sorted(expected)


def test_a_real_punycode_domain_is_found_written_in_unicode(tmp_path: Path) -> None:
    import idna

    punycoded = [a for a in _isemail_addresses() if "xn--" in a.rsplit("@", 1)[1]]
    assert punycoded, "the set has an internationalised domain"
    out = tmp_path / "output"
    out.mkdir()
    for n, address in enumerate(punycoded):
        local, domain = address.rsplit("@", 1)
        (out / f"{n}.html").write_text(f"<p>{local}@{idna.decode(domain)}</p>", encoding="utf-8")
    assert len(guard.scan(out, set(punycoded))) == len(punycoded)


# --- real-world phone numbers: libphonenumber's example number for every region -------------


def _example_numbers() -> list[tuple[str, object]]:
    import phonenumbers

    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        # a national number of five digits or fewer is matched only with its country code
        if number is not None and len(phonenumbers.national_significant_number(number)) >= 6:
            found.append((region, number))
    return found


def test_every_regions_example_number_is_found_however_it_is_written() -> None:
    import phonenumbers
    from phonenumbers import PhoneNumberFormat as Format

    examples = _example_numbers()
    assert len(examples) > 200
    missed = []
    for region, number in examples:
        contact = phonenumbers.format_number(number, Format.INTERNATIONAL)
        detector = guard.Detector({contact})
        for form in (Format.NATIONAL, Format.E164, Format.RFC3966, Format.INTERNATIONAL):
            written = phonenumbers.format_number(number, form)
            if detector.find(f"<p>Call {html.escape(written)} after six.</p>") != contact:
                missed.append((region, written))
    assert missed == []


# libphonenumber's own example mobile numbers (the phonenumbers package's metadata), written
# nationally as a reader of a column in that country gives them
_EXAMPLES = ["GB", "DE", "FR", "AU", "JP", "IN"]


def _example(region: str):
    import phonenumbers

    return phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)


@pytest.mark.parametrize("region", _EXAMPLES)
def test_the_sites_phone_region_places_a_nationally_written_number(tmp_path: Path, region: str) -> None:
    """FLOOR_PHONE_REGION (else the time zone's country), as intake reads numbers: a reader's
    ``07400 123456`` on a British column is found as ``+44 7400 123456``, and the same digits
    after another country code, a longer number or an order number ending in them are not."""
    import phonenumbers
    from from_the_floor.core import settings as settings_mod

    number = _example(region)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    nsn = phonenumbers.national_significant_number(number)
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "a.md").write_text(f"---\nquestion: A?\ncontact: {national}\n---\n", encoding="utf-8")
    other = "1" if number.country_code != 1 else "44"
    detector = guard.folder_detector([folder], settings_mod.phone_region({"FLOOR_PHONE_REGION": region}))
    assert detector.find(f"Call me on {international}.") == national
    assert detector.find(f"Call me on {national}.") == national
    assert detector.find(f"Call +{other} {nsn} instead.") is None, "another country's number"
    assert detector.find(f"Call {international}7 instead.") is None, "a longer number"
    assert detector.find(f"Your order 48{nsn} has shipped.") is None, "an order number ending in it"


def test_without_a_region_setting_the_time_zone_gives_it(tmp_path: Path) -> None:
    from from_the_floor.core import settings as settings_mod

    assert settings_mod.phone_region({"TIMEZONE": "Europe/Berlin"}) == "DE"
    assert settings_mod.phone_region({"TIMEZONE": "Europe/Berlin", "FLOOR_PHONE_REGION": "gb"}) == "GB"
    assert settings_mod.phone_region({"TIMEZONE": "Europe/Berlin", "FLOOR_PHONE_REGION": ""}) is None
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "a.md").write_text("---\nquestion: A?\ncontact: 01512 3456789\n---\n", encoding="utf-8")
    berlin = guard.folder_detector([folder], settings_mod.phone_region({"TIMEZONE": "Europe/Berlin"}))
    assert berlin.find("+49 1512 3456789") and not berlin.find("+44 1512 3456789")


def test_readers_kept_apart_are_protected_too(tmp_path: Path) -> None:
    """A question many readers asked keeps the readers past the first twenty in
    questions/readers/<id>.jsonl (readers_file.py): their contacts are looked for as well, and the
    readers file itself (private, never on a page) is not a leak."""
    from from_the_floor.core import source_check

    folder = tmp_path / "questions"
    (folder / "readers").mkdir(parents=True)
    (folder / "many.md").write_text(
        "---\nquestion: Many?\nasked: 2026-11-01\ncontact: first@example.org\nmore_readers: 2\n---\n",
        encoding="utf-8",
    )
    (folder / "readers" / "many.jsonl").write_text(
        '{"asked": "2026-11-02", "contact": "twenty.first@example.org"}\n'
        '{"asked": "2026-11-03", "contact": "+44 20 7946 0958"}\n',
        encoding="utf-8",
    )
    assert guard.contacts_in([folder]) == {
        "first@example.org",
        "twenty.first@example.org",
        "+44 20 7946 0958",
    }
    page = tmp_path / "page.md"
    page.write_text(
        "Title: Thanks\n\nThanks, twenty.first@example.org!\nCall 020 7946 0958.\n", encoding="utf-8"
    )
    detector = guard.folder_detector([folder])
    files = [page, folder / "many.md", folder / "readers" / "many.jsonl"]
    assert source_check.leaks_in(files, detector, question_folders=[folder]) == [(page, 3), (page, 4)]


def test_opened_contacts_are_kept_sealed_and_a_forged_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    """The guard opens each sealed contact once: the opened ones are kept in one file sealed to
    the site's own key and keyed with its private key (guard._Opened). A file someone made with
    only the public key (mapping a contact to something harmless) is refused."""
    import pyrage
    from from_the_floor.core import sealing

    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    site = tmp_path / "site"
    (site / "questions").mkdir(parents=True)
    (site / ".cache").mkdir()
    (site / "pelicanconf.py").write_text("", encoding="utf-8")
    key_text, public = sealing.generate()
    sealing.write_key_file(site / sealing.KEY_FILE, key_text)
    sealed = sealing.seal_text("kept.reader@example.org", public)
    (site / "questions" / "a.md").write_text(f"---\nquestion: A?\ncontact: {sealed}\n---\n", encoding="utf-8")
    folders = [site / "questions"]
    opened_file = site / guard._Opened.FILE
    assert guard.contacts_in(folders) == {"kept.reader@example.org"}
    assert opened_file.is_file()
    assert b"kept.reader" not in opened_file.read_bytes(), "sealed at rest"
    sealing._OPENED.clear()
    guard._contacts_memo.clear()
    opens: list[str] = []
    real_open = sealing.Keys.open
    monkeypatch.setattr(sealing.Keys, "open", lambda self, v, **k: opens.append(v) or real_open(self, v, **k))
    assert guard.contacts_in(folders) == {"kept.reader@example.org"}
    assert opens == [], "taken from the kept file, not opened again"
    # a forged file: sealed to the public key, but without the private key's tag
    forged = {"mac": "0" * 64, "opened": {guard._Opened(sealing.keys_near(folders))._key(sealed): "x@y.z"}}
    recipient = pyrage.x25519.Recipient.from_str(public)
    opened_file.write_bytes(pyrage.encrypt(json.dumps(forged).encode(), [recipient]))
    guard._contacts_memo.clear()
    assert guard.contacts_in(folders) == {"kept.reader@example.org"}
    assert opens == [sealed], "the forged file was refused: the contact was opened afresh"
