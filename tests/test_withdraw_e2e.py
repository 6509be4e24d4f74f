"""End to end: a `floor init` site withdraws a published answer with the real CLI and Pelican.

The reader's words leave the site's files, the post leaves every list, feed,
the sitemap and the search, a noindexed notice answers at its address, the
other posts keep their numbers and addresses, and the next post is not given
the withdrawn number.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers_floor import fails_cleanly, ok, run_floor
from test_e2e_site import output_files

SECRET = "Zebulon"  # the reader's name, in their question too


def _git(site: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=site, capture_output=True, text=True, check=True).stdout


def test_a_withdrawn_answer_leaves_a_notice_and_nothing_of_the_reader(tmp_path: Path) -> None:
    site = tmp_path / "col"
    ok(
        run_floor(
            "init",
            site,
            "--title",
            "Ask Ada",
            "--author",
            "Ada",
            "--url",
            "https://ada.example.org",
            "--timezone",
            "UTC",
            cwd=tmp_path,
        )
    )
    questions = [
        "Which trowel should I buy?",
        f"Can {SECRET} keep the neighbours' hens?",
        "When do I sow beans?",
    ]
    ids = []
    for n, text in enumerate(questions, start=1):
        qid = (
            ok(
                run_floor(
                    "ask",
                    text,
                    "--asker",
                    SECRET if n == 2 else f"Reader{n}",
                    "--contact",
                    f"z{n}@example.org",
                    "--tag",
                    "hens" if n == 2 else "garden",
                    cwd=site,
                    today=f"2026-11-0{n}",
                )
            )
            .strip()
            .splitlines()[-1]
        )
        ok(run_floor("answer", qid, "--quick", f"Quick {n}.", "--body", f"Longer {n}.", cwd=site))
        ids.append(qid)
    for day in ("2026-11-09", "2026-11-16", "2026-11-23"):
        ok(run_floor("publish", "--commit", cwd=site, today=day))
        if day != "2026-11-09":  # two builds: the second keeps the first's site beside output/
            ok(run_floor("build", "--settings", "publishconf.py", cwd=site, today=day))
    assert any(SECRET.encode() in p.read_bytes() for p in site.glob(".output.spare.tmp/floor/*/index.html"))
    gone = ids[1]
    assert (site / "output" / "floor" / gone / "index.html").is_file()
    assert (site / "output" / "tag" / "hens" / "index.html").is_file()

    fails_cleanly(run_floor("withdraw", gone, "--note", f"{SECRET} asked", cwd=site, today="2026-11-24"))
    said = ok(
        run_floor(
            "withdraw", gone, "--note", "At the reader's request.", "--commit", cwd=site, today="2026-11-24"
        )
    )
    assert "withdrew post #2" in said and "committed: Withdraw post #2" in said
    again = ok(run_floor("withdraw", gone, "--commit", cwd=site, today="2026-11-25"))
    assert "nothing changed" in again and "nothing to commit" in again
    assert _git(site, "status", "--porcelain", "--", "content", "questions", "withdrawn.json") == ""

    # nothing of the reader in the site's files, caches included (git history aside: docs/withdrawing.md);
    # output/ holds the page until the next build, checked below
    for path in site.rglob("*"):
        if path.is_file() and path.relative_to(site).parts[0] not in (".git", "output"):
            assert SECRET.encode() not in path.read_bytes(), path
    assert "ok:" in ok(run_floor("check", cwd=site, today="2026-11-25"))

    ok(run_floor("build", "--settings", "publishconf.py", cwd=site, today="2026-11-25"))
    stats_page = [text for text in output_files(site).values() if "The column in numbers" in text]
    explained = "Answers went out in 2 posts. Post #2 was withdrawn and is not counted."
    assert stats_page and explained in stats_page[0]
    notice = (site / "output" / "floor" / gone / "index.html").read_text(encoding="utf-8")
    # a tag only the withdrawn post had goes with it (docs/withdrawing.md): a page kept at its
    # address would keep the tag's words, which may be the reader's, and nothing stays to list there
    assert not (site / "output" / "tag" / "hens").exists()
    assert (site / "output" / "tag" / "garden" / "index.html").is_file()
    assert '<meta name="robots" content="noindex">' in notice
    assert "This answer was withdrawn" in notice and "Ask Ada #2" in notice
    assert "At the reader&#x27;s request." in notice
    for path, text in output_files(site).items():
        assert SECRET not in text, path  # the page, feeds, search index, stats: none holds the question
        lists = path.name in ("sitemap.xml", "all.atom.xml", "all.rss.xml", "all.json", "index.html")
        if lists and path.parent.name != gone:
            assert f"/floor/{gone}/" not in text, path
    # the build after a withdrawal does not keep the old output/ (the post, the feeds with its words)
    # as the copy beside output/ the next build starts from: nothing of the reader in the folder now
    for path in site.rglob("*"):
        if path.is_file() and path.relative_to(site).parts[0] != ".git":
            assert SECRET.encode() not in path.read_bytes(), path
    third = (site / "output" / "floor" / ids[2] / "index.html").read_text(encoding="utf-8")
    assert "Ask Ada #3" in third, "the other posts keep their numbers"

    # the next post is #4
    nxt = ok(run_floor("ask", "Should I mulch?", cwd=site, today="2026-11-26")).strip().splitlines()[-1]
    ok(run_floor("answer", nxt, "--quick", "Yes.", "--body", "Always.", cwd=site))
    assert "published #4" in ok(run_floor("publish", cwd=site, today="2026-11-30"))

    # the reader asks again: their name is in the address (made from the question), so it goes too
    assert SECRET.lower() in gone
    said = ok(run_floor("withdraw", gone, "--forget-address", "--commit", cwd=site, today="2026-12-01"))
    assert "its address is now forgotten too" in said and "committed: Withdraw post #2" in said
    # the same command again: nothing has that id now, which is what it asks for (exit 0)
    again = ok(run_floor("withdraw", gone, "--forget-address", "--commit", cwd=site, today="2026-12-01"))
    assert "nothing to do" in again and "keeps no address for post #2" in again and gone in again
    ok(run_floor("build", "--settings", "publishconf.py", cwd=site, today="2026-12-01"))
    assert not (site / "output" / "floor" / gone).exists()  # no notice: the address is "not found"
    for path in site.rglob("*"):
        if path.is_file() and path.relative_to(site).parts[0] != ".git":
            assert SECRET.lower().encode() not in path.read_bytes().lower(), path
    assert "ok:" in ok(run_floor("check", cwd=site, today="2026-12-01"))  # #2 still explained
    record = (site / "withdrawn.json").read_text(encoding="utf-8")
    assert '"slug": null' in record and '"number": 2' in record
