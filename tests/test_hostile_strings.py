"""Every string of a real third-party list of hostile text, in every field a reader fills in.

The list is the Big List of Naughty Strings (tests/fixtures/hostile/SOURCES.md): 515 strings
that broke real software (markup, script, SQL, shell, bidi overrides, terminal escapes, zalgo,
emoji, RTL, control characters, very long words). Each one goes through the kit's real intake
paths into the question's text, its details, the asker's name, a tag and the contact; the
batched questions are answered, published and built, and every output is then read the way a
browser, a feed reader, a search page, a terminal and the desk read it.

Strings are batched (50 to a question, each one also a tag of its own, and one queued question
per string through a form CSV), so the site is built once, not 515 times. No string is skipped.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import http.client
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import html5lib
import pytest
from from_the_floor.intake import intake
from helpers_floor import fails_cleanly, ok, run_floor

BLNS = Path(__file__).resolve().parent / "fixtures" / "hostile" / "blns.json"
STRINGS: list[str] = json.loads(BLNS.read_text(encoding="utf-8"))
BATCH = 50
BATCHES = [STRINGS[i : i + BATCH] for i in range(0, len(STRINGS), BATCH)]
ASKED = "2026-01-01"
TODAY = "2026-11-09"
SEPARATOR = " ~ "
# the strings longer than a tag may be (intake.MAX_TAG_LENGTH), once intake has cleaned them
TOO_LONG_FOR_A_TAG = [s for s in STRINGS if intake.tag_problem(intake.clean_text(s))]

# What a terminal acts on rather than shows: C0 controls but tab and newline, DEL, C1 controls,
# and the bidi controls that reorder what follows them (the "Trojan Source" characters).
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


# What intake takes out of a reader's text and a page or search record would act on: controls and
# the bidi controls that reorder what follows; the direction marks (U+200E/F, U+061C) stay there,
# as writing needs them, and only the terminal shows them as escapes (core/unprintable.py)
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def acting(text: str) -> list[str]:
    """The characters in ``text`` intake drops that a page would act on."""
    return sorted(
        {repr(c) for c in text if (unicodedata.category(c) == "Cc" and c not in "\t\n") or c in REORDERING}
    )


def raw_controls(text: str) -> list[str]:
    """The characters in ``text`` a terminal would obey instead of print."""
    return sorted(
        {
            repr(c)
            for c in text
            if (unicodedata.category(c) == "Cc" and c not in "\t\n") or c in BIDI
        }
    )


def floor(site: Path, *args: str, input: str | None = None):
    return run_floor(*args, cwd=site, today=TODAY, input=input)


def _eml(batch_no: int, batch: list[str]) -> bytes:
    """A reader's email: the subject, the sender's name and the body are the batch's strings."""
    msg = EmailMessage(policy=SMTP)
    # a header cannot hold a line break: the email package folds or refuses those, as a mail
    # client does, so the subject takes the strings with their vertical space made spaces
    msg["Subject"] = " ".join(re.sub(r"\s", " ", s) for s in batch[:20])
    sender = re.sub(r"\s", " ", batch[batch_no % len(batch)])
    msg["From"] = Address(display_name=sender, addr_spec=f"mail{batch_no}@example.org")
    msg["To"] = "column@example.org"
    msg["Message-ID"] = f"<hostile-{batch_no}@example.org>"
    msg["Date"] = "Thu, 01 Jan 2026 10:00:00 +0000"
    msg.set_content("\n\n".join(batch))
    return msg.as_bytes()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A `floor init` site fed every string, built; what the intake commands said, by path."""
    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    ok(run_floor("init", site, "--no-git", "--title", "Hostile Column", "--author", "Ada", cwd=root))
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        # every answered question goes out in this one run: one post per weekly slot since then
        conf.write('\nFLOOR_CATCH_UP = "all"\nFLOOR_START = "2026-01-05"\n')
    said: dict[str, str] = {}

    # `floor ask`: 50 strings to a question, each string also a tag of its own; a string too long
    # to name a page is refused as a tag, alone, with one line (test_a_tag_too_long_is_refused)
    asked = []
    for n, batch in enumerate(BATCHES):
        tags = [arg for s in batch if s not in TOO_LONG_FOR_A_TAG for arg in ("--tag", s)]
        text = SEPARATOR.join(batch)
        out = ok(
            floor(
                site, "ask", "--asker", SEPARATOR.join(batch), "--credit",
                "--contact", f"reader{n}@example.org", "--details", "\n\n".join(batch),
                "--asked", ASKED, *tags, "--", text,
            )
        )
        asked.append(out.strip().splitlines()[-1])

    # emails, one per batch
    mail = root / "mail"
    mail.mkdir()
    for n, batch in enumerate(BATCHES):
        (mail / f"{n:02d}.eml").write_bytes(_eml(n, batch))
    said["eml"] = ok(floor(site, "intake", "eml", *sorted(mail.glob("*.eml"))))

    # a form's CSV: one row per string, the string in every column a reader fills in but the
    # contact (test_each_string_as_a_contact is sealed or refused, on a site of its own: a
    # contact that is also a published question's words refuses the build, as it should)
    rows = root / "form.csv"
    with rows.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["question", "asker", "contact", "tags", "asked"])
        for i, s in enumerate(STRINGS):
            w.writerow([f"Row {i}: {s}", s, f"row{i}@example.org", s, ASKED])
    csv_run = floor(site, "intake", "csv", rows)
    said["csv"] = csv_run.stdout + csv_run.stderr
    assert csv_run.returncode == 0, said["csv"]

    queue = json.loads(ok(floor(site, "queue", "--json")))
    for entry in queue if isinstance(queue, list) else queue["questions"]:
        qid = entry["id"]
        if qid in asked or not qid.startswith("row-"):
            ok(floor(site, "answer", qid, "--quick", "Short answer.", "--body", "A longer answer."))
    said["publish"] = ok(floor(site, "publish"))
    said["build"] = ok(floor(site, "build"))
    return {"site": site, "said": said, "asked": asked}


# --- the reader's site ----------------------------------------------------------------------


def test_a_tag_too_long_is_refused_in_one_line(tmp_path: Path) -> None:
    assert 0 < len(TOO_LONG_FOR_A_TAG) < 20
    site = tmp_path / "site"
    ok(run_floor("init", site, "--no-git", "--title", "T", "--author", "A", cwd=tmp_path))
    for s in TOO_LONG_FOR_A_TAG:
        said = fails_cleanly(floor(site, "ask", "--tag", s, "Is this too long?"))
        assert said.startswith("error: tags: a tag of ") and said.count("\n") == 1, said
    assert not list((site / "questions").glob("*.md"))


def test_each_string_as_a_contact_is_sealed_or_left_out_in_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    ok(run_floor("init", site, "--no-git", "--title", "T", "--author", "A", cwd=tmp_path))
    rows = tmp_path / "contacts.csv"
    with rows.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["question", "contact", "asked"])
        for s in STRINGS:
            # words no other row has (the duplicate finder reads past numbers)
            w.writerow([f"Question {hashlib.sha256(s.encode()).hexdigest()[:16]}?", s, ASKED])
    run = floor(site, "intake", "csv", rows)
    said = run.stdout + run.stderr
    assert run.returncode == 0 and "Traceback" not in said, said
    assert not raw_controls(said)
    # every row is a question; a contact that reaches no one is left out (one note line), the
    # question kept: a form's "n/a" must not cost the reader their question
    left_out = re.findall(r"contact left out: it holds no email address", said)
    files = sorted((site / "questions").glob("*.md"))
    summary = re.search(r"^(\d+) added, 0 merged, (\d+) already imported, 0 rejected$", said, re.M)
    assert summary, said  # a string the list holds twice is the same row twice: "already imported"
    assert len(files) == int(summary[1]) == len(STRINGS) - int(summary[2]) and int(summary[2]) < 10
    assert len(files) > 500 and len(left_out) > 400  # most of the list is no way to reach anyone
    sealed = 0
    for path in files:
        stored = re.search(r"^contact: (.*)$", path.read_text(encoding="utf-8"), re.M)
        assert stored is None or stored.group(1).startswith("age:"), path  # sealed, never plain
        sealed += stored is not None
    assert sealed + len(left_out) <= len(files)  # the rest were blank once cleaned: no contact
    for s in STRINGS:
        if len(s) >= 8 and not s.isdigit():
            assert s not in said, s  # a contact is never printed, kept or not


def _pages(site: Path) -> Iterator[Path]:
    yield from sorted((site / "output").rglob("*.html"))


def test_every_batch_was_published(hostile: dict) -> None:
    posts = {p.stem for p in (hostile["site"] / "content" / "floor").glob("*.md")}
    # each email asks what a `floor ask` asked (or is merged into it as a second reader)
    assert set(hostile["asked"]) <= posts and len(posts) >= len(BATCHES), hostile["said"]["publish"]


def test_pages_parse_and_carry_no_element_or_attribute_from_a_string(hostile: dict) -> None:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    pages = list(_pages(hostile["site"]))
    assert len(pages) > 20
    for page in pages:
        tree = parser.parse(page.read_bytes(), transport_encoding="utf-8")
        for el in tree.iter():
            tag = el.tag if isinstance(el.tag, str) else ""
            where = f"{page.relative_to(hostile['site'])} <{tag}>"
            if tag == "script":
                kind = el.get("type", "")
                # the kit's own: JSON-LD, or its scripts from its own folder
                assert kind == "application/ld+json" or (el.get("src") or "").startswith(
                    ("/theme/", "/pagefind/", "../", "/")
                ), where
                if kind != "application/ld+json" and not el.get("src"):
                    assert "alert" not in (el.text or ""), where
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (where, name, value)
                if name in ("href", "src", "action", "formaction", "xlink:href") and not (
                    tag == "link" and value == "data:,"  # the theme's own empty icon
                ):
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                        where,
                        name,
                        value,
                    )
            assert tag not in ("iframe", "object", "embed", "img", "svg", "base", "frame"), where
            if tag == "form":  # the theme's search box
                assert (el.get("action") or "").startswith("/"), where


def test_json_ld_parses_and_never_closes_its_script(hostile: dict) -> None:
    blocks = 0
    for page in _pages(hostile["site"]):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S | re.I):
            blocks += 1
            json.loads(block)
            assert "<!--" not in block and "<script" not in block.lower(), page
    assert blocks > len(BATCHES)


def test_feeds_parse_without_complaint(hostile: dict) -> None:
    feeds = sorted((hostile["site"] / "output" / "feeds").rglob("*.xml"))
    assert len(feeds) > 10
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        ET.parse(path)
    for path in (hostile["site"] / "output").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_the_search_records_are_json(hostile: dict) -> None:
    """Pagefind's fragments (one per post: its address, title and words) are JSON, and hold no
    control or reordering character (intake takes them out); the search page shows their words
    as text (theme/static/js)."""
    fragments = sorted((hostile["site"] / "output" / "pagefind").rglob("*.pf_fragment"))
    assert len(fragments) >= len(BATCHES)
    for path in fragments:
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        assert record["url"].startswith("/floor/"), path
        for text in (record["content"], *record["meta"].values()):
            assert not acting(text), (path, acting(text))


def _unsafe_path(part: str) -> str | None:
    if part in ("..", ".") or "\\" in part or "/" in part:
        return "separator or dot segment"
    if raw_controls(part) or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in part):
        return "control or format character"
    return None


def test_file_names_and_addresses_made_from_titles_and_tags_are_safe(hostile: dict) -> None:
    site = hostile["site"]
    for folder in ("output", "questions", "content"):
        for path in (site / folder).rglob("*"):
            part = path.name
            assert _unsafe_path(part) is None, (path, _unsafe_path(part))
    sitemap = site / "output" / "sitemap.xml"
    urls = [el.text or "" for el in ET.parse(sitemap).getroot().iter() if el.tag.endswith("loc")]
    for page in _pages(site):  # the site's own addresses (a reader's links in their details are theirs)
        urls += re.findall(r'href="(/[^"]*)"', page.read_text(encoding="utf-8"))
    assert len(urls) > 100
    for url in urls:
        path = unquote(urlsplit(url).path)
        for part in path.split("/"):
            assert part != "..", url
            assert not raw_controls(part), url
            assert "\\" not in part, url


# --- the terminal and the desk --------------------------------------------------------------


def test_intake_says_what_it_did_without_raw_controls(hostile: dict) -> None:
    said = hostile["said"]["csv"]
    assert "Traceback" not in said
    assert not raw_controls(said), raw_controls(said)


def test_terminal_output_shows_no_raw_control_character(hostile: dict) -> None:
    site = hostile["site"]
    outputs = dict(hostile["said"])
    outputs["queue"] = ok(floor(site, "queue"))
    outputs["queue --all"] = floor(site, "queue", "--all").stdout
    check = floor(site, "check")
    outputs["check"] = check.stdout + check.stderr
    queued = json.loads(ok(floor(site, "queue", "--json")))
    ids = [e["id"] for e in (queued if isinstance(queued, list) else queued["questions"])]
    for qid in ids[:: max(1, len(ids) // 40)]:
        shown = floor(site, "show", qid)
        outputs[f"show {qid}"] = shown.stdout + shown.stderr
    for name, text in outputs.items():
        assert "Traceback" not in text, name
        assert not raw_controls(text), (name, raw_controls(text))


def _desk_pages(site: Path, paths: list[str]) -> dict[str, str]:
    from from_the_floor.core.site import Site
    from from_the_floor.desk import server

    pages = {}
    with server.running(Site(site), 0, today=TODAY) as run:

        def get(path: str, cookie: str = "") -> http.client.HTTPResponse:
            conn = http.client.HTTPConnection("127.0.0.1", run.port, timeout=60)
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{run.port}", "Cookie": cookie})
            return conn.getresponse()

        signed = get(f"/?token={run.keys.token}")
        cookie = signed.getheader("set-cookie").split(";", 1)[0]
        for path in paths:
            reply = get(path, cookie)
            assert reply.status == 200, path
            pages[path] = reply.read().decode("utf-8")
    return pages


def test_the_desk_escapes_every_string(hostile: dict) -> None:
    site = hostile["site"]
    queued = json.loads(ok(floor(site, "queue", "--json")))
    ids = [e["id"] for e in (queued if isinstance(queued, list) else queued["questions"])]
    pages = _desk_pages(site, ["/", *(f"/q/{qid}" for qid in ids)])
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    for path, text in pages.items():
        tree = parser.parse(text)
        for el in tree.iter():
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag == "script":
                assert (el.get("src") or "").startswith("/static/"), (path, el.text)
            if tag == "iframe":  # the desk's own preview of the post, from the desk itself
                assert (el.get("src") or "").startswith("/"), (path, el.attrib)
            assert tag not in ("object", "embed", "img", "svg", "base", "frame"), (path, tag)
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (path, name, value)
                if name in ("href", "src", "action", "formaction"):  # a form's value is only text
                    assert not value.strip().lower().startswith("javascript:"), (path, name, value)
