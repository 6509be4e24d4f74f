"""A site's own requirements.txt pins the kit: `floor init` writes it, `floor check` and
`floor workflow --write` refuse a site without it, `floor upgrade` moves it."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from from_the_floor.commands import kit_pin
from helpers_floor import pelican_quickstart
from packaging.requirements import Requirement

INSTALLED = version("from-the-floor")
WEEKLY = Path(".github") / "workflows" / "weekly.yml"


def kit_line(site: Path) -> Requirement:
    """The kit's requirement as pip would read the file (comments and blank lines skipped)."""
    lines = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    bare = [line.split(" #")[0].strip() for line in lines]
    reqs = [Requirement(line) for line in bare if line and not line.startswith("#")]
    return next(r for r in reqs if r.name == "from-the-floor")


def test_init_pins_the_installed_kit_exactly(site: Path) -> None:
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"
    assert "uv pip install --python python -r requirements.txt" in (site / WEEKLY).read_text(encoding="utf-8")


def test_check_accepts_a_new_site(site: Path, run_floor) -> None:
    done = run_floor("check", site=site)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_site_without_the_weekly_job_needs_no_dependency_file(site: Path, run_floor) -> None:
    """A blog that added the plugin and builds by hand: no weekly job installs anything from
    requirements.txt, so floor check has nothing to say about it (its own file, if any)."""
    (site / WEEKLY).unlink()
    (site / "requirements.txt").unlink()
    done = run_floor("check", site=site)
    assert done.returncode == 0, done.stderr
    assert "requirements.txt" not in done.stdout + done.stderr
    (site / "requirements.txt").write_text("pelican==4.12.0\n", encoding="utf-8")  # the blog's own
    assert run_floor("check", site=site).returncode == 0
    added = run_floor("workflow", "--write", site=site)  # adding the job asks for the pin first
    assert added.returncode == 1 and "names no from-the-floor" in added.stderr
    assert not (site / WEEKLY).exists()


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_a_missing_dependency_file_is_named_with_its_fix(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").unlink()
    before = (site / WEEKLY).read_text(encoding="utf-8")
    (site / WEEKLY).write_text(before + "# the author's note\n", encoding="utf-8")
    done = run_floor(*command, site=site)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{site / 'requirements.txt'}: missing" in done.stderr
    assert "floor --site" in done.stderr and "upgrade" in done.stderr  # the fix
    assert (site / WEEKLY).read_text(encoding="utf-8").endswith("# the author's note\n")  # untouched


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_a_dependency_file_without_the_kit_is_named(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").write_text("pelican==4.12.0\n# from-the-floor, some day\n")
    done = run_floor(*command, site=site)
    assert done.returncode == 1
    assert "requirements.txt: names no from-the-floor" in done.stderr
    assert f"from-the-floor=={INSTALLED}" in done.stderr


def test_check_json_lists_the_dependency_problem(site: Path, run_floor) -> None:
    import json

    (site / "requirements.txt").unlink()
    done = run_floor("check", "--json", site=site)
    assert done.returncode == 1
    errors = json.loads(done.stdout)["errors"]
    assert [Path(e["file"]).name for e in errors] == ["requirements.txt"]


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_another_pinned_version_is_one_warning_line(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").write_text("from-the-floor==0.0.1  # the first release\n")
    done = run_floor(*command, site=site)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and len(done.stderr.splitlines()) == 1
    assert "requirements.txt:1" in warnings[0] and "0.0.1" in warnings[0] and INSTALLED in warnings[0]


def test_upgrade_moves_the_pin_keeps_the_rest_and_refits_the_workflow(site: Path, run_floor) -> None:
    (site / "requirements.txt").write_text(
        "# my column\npelican-sitemap==1.2.0\nfrom-the-floor==0.0.1  # pinned by floor\n", encoding="utf-8"
    )
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"monday"', '"friday"'), encoding="utf-8")
    done = run_floor("upgrade", "--to", "9.1.0", site=site)
    assert done.returncode == 0, done.stderr
    assert "0.0.1 -> 9.1.0" in done.stdout
    assert (site / "requirements.txt").read_text(encoding="utf-8") == (
        "# my column\npelican-sitemap==1.2.0\nfrom-the-floor==9.1.0  # pinned by floor\n"
    )
    assert " * * 5" in (site / WEEKLY).read_text(encoding="utf-8")  # refitted to Fridays
    assert "pip install -r" in done.stdout  # this machine still runs the old kit: what to do next
    back = run_floor("upgrade", site=site)  # default: the installed version
    assert back.returncode == 0, back.stderr
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"


def test_upgrade_writes_a_missing_file_and_rejects_a_bad_version(site: Path, run_floor) -> None:
    (site / "requirements.txt").unlink()
    bad = run_floor("upgrade", "--to", "next week", site=site)
    assert bad.returncode == 1 and "--to: 'next week' is not a version number" in bad.stderr
    assert not (site / "requirements.txt").exists()
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"
    assert run_floor("check", site=site).returncode == 0


def test_upgrade_in_a_blog_without_the_weekly_job_writes_no_job_and_no_pin(site: Path, run_floor) -> None:
    """A blog that added the plugin installs, builds and deploys its own way: upgrading used to
    write a requirements.txt pinning the kit alone and a weekly job that deploys to GitHub Pages,
    a second deployment beside the blog's own that installs neither its theme nor its plugins."""
    (site / WEEKLY).unlink()
    (site / "requirements.txt").unlink()
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert not (site / "requirements.txt").exists() and not (site / WEEKLY).exists()
    assert f"no {site / 'requirements.txt'}: none written" in done.stdout
    assert "none written; `floor workflow --write` adds" in done.stdout
    bad = run_floor("upgrade", "--to", "next week", site=site)
    assert bad.returncode == 1 and "is not a version number" in bad.stderr
    own = "pelican==4.12.0\npelican-sitemap==1.2.2\n"  # the blog's own file, which its host installs
    (site / "requirements.txt").write_text(own, encoding="utf-8")
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert (site / "requirements.txt").read_text(encoding="utf-8") == own
    assert "names no from-the-floor: left as it is" in done.stdout
    (site / "requirements.txt").write_text(own + "from-the-floor==0.0.1\n", encoding="utf-8")
    done = run_floor("upgrade", "--to", "9.1.0", site=site)  # a pin it has is the kit's to move
    assert done.returncode == 0, done.stderr
    assert (site / "requirements.txt").read_text(encoding="utf-8") == own + "from-the-floor==9.1.0\n"
    assert "wrote" not in done.stdout and "pip install -r" not in done.stdout, "no job to refit or install"
    assert not (site / WEEKLY).exists()


def test_a_blog_ignores_the_kits_working_files_after_keys_init_or_upgrade(tmp_path: Path, run_floor) -> None:
    """A blog that added the plugin had `.floor/` alone in its .gitignore: `git add -A` then
    committed the queue's lock, the build's record and .output.spare.tmp/, a whole copy of the
    site that floor build keeps beside output/."""
    blog = pelican_quickstart(tmp_path / "blog")
    (blog / "questions").mkdir()
    (blog / "content" / "floor").mkdir()
    done = run_floor("keys", "init", site=blog)
    assert done.returncode == 0, done.stderr
    lines = (blog / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in (".floor/", ".floor.lock", ".floor-journal.json", ".*.tmp", ".*.manifest.json"):
        assert pattern in lines, pattern
    assert ".gitignore: now ignores .floor.lock, " in done.stdout
    (blog / ".gitignore").write_text(".floor/\n", encoding="utf-8")  # as an older kit left it
    up = run_floor("upgrade", site=blog)
    assert up.returncode == 0, up.stderr
    assert (blog / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == [
        "# From the Floor's working files",
        *lines[lines.index(".floor.lock") :],
    ]
    assert "now ignores" not in run_floor("upgrade", site=blog).stdout


def test_upgrade_refuses_the_kits_own_repository(run_floor) -> None:
    repo = Path(__file__).resolve().parent.parent.parent
    done = run_floor("upgrade", "--to", "9.0.0", site=repo)
    assert done.returncode == 2 and "kit's own repository" in done.stderr
    assert not (repo / "requirements.txt").exists()


def test_a_range_is_accepted_when_it_allows_the_installed_kit(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("From_The.Floor>=0.0.1\n")
    pin = kit_pin.find_pin(tmp_path)
    assert pin.version is None and kit_pin.mismatch(pin) is None
    (tmp_path / "requirements.txt").write_text("from-the-floor<0.0.1\n")
    assert "does not allow" in (kit_pin.mismatch(kit_pin.find_pin(tmp_path)) or "")


# --- real requirements files (tests/fixtures/kit_pin/SOURCES.md) ---------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures" / "kit_pin"
REAL = sorted(FIXTURES.glob("*.txt"))


def entry_lines(text: str) -> list[int]:
    """Where each requirement starts, read off the file: a line that starts with a name."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line[:1].isalnum()]


@pytest.mark.parametrize("real", REAL, ids=lambda p: p.name)
def test_every_entry_of_a_real_file_is_read_as_pip_reads_it(real: Path) -> None:
    text = real.read_text(encoding="utf-8")
    found = kit_pin.entries(text)
    assert [e.line for e in found] == entry_lines(text)
    lines = text.splitlines()
    for entry in found:
        first = lines[entry.line - 1]
        assert first.startswith(entry.requirement.name), first
        assert bool(entry.options) == ("--hash=" in "".join(lines[entry.line - 1 : entry.last]))


@pytest.mark.parametrize("real", REAL, ids=lambda p: p.name)
def test_a_real_file_without_the_kit_is_named_and_then_fixed_by_upgrade(site: Path, real: Path, run_floor):
    text = real.read_text(encoding="utf-8")
    (site / "requirements.txt").write_text(text, encoding="utf-8")
    refused = run_floor("check", site=site)
    assert refused.returncode == 1 and "names no from-the-floor" in refused.stderr
    fixed = run_floor("upgrade", site=site)
    assert fixed.returncode == 0, fixed.stderr
    after = (site / "requirements.txt").read_text(encoding="utf-8")
    assert after == text + f"from-the-floor=={INSTALLED}\n"  # the author's file, one line added
    assert run_floor("check", site=site).returncode == 0


def test_a_plain_pin_among_real_entries_is_the_only_line_upgrade_changes(site: Path, run_floor) -> None:
    real = FIXTURES / "pip-tools-docs-requirements.txt"
    lines = real.read_text(encoding="utf-8").splitlines(keepends=True)
    at = entry_lines("".join(lines))[len(entry_lines("".join(lines))) // 2] - 1  # before a middle entry
    lines.insert(at, "from-the-floor==0.0.1\n    # via -r requirements.in\n")
    (site / "requirements.txt").write_text("".join(lines), encoding="utf-8")
    pin = kit_pin.find_pin(site)
    assert (pin.line, pin.version) == (at + 1, "0.0.1")
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    lines[at] = lines[at].replace("0.0.1", INSTALLED)
    assert (site / "requirements.txt").read_text(encoding="utf-8") == "".join(lines)


def test_a_hashed_pin_is_read_and_upgrade_asks_for_the_lock_tool(site: Path, run_floor) -> None:
    """A lock file with hashes: the kit's entry in the same form as the file's other entries."""
    text = (FIXTURES / "cryptography-build-requirements-excerpt.txt").read_text(encoding="utf-8")
    first = kit_pin.entries(text)[0]
    block = text.splitlines(keepends=True)[first.line - 1 : first.last]
    kit_block = "".join(block).replace(str(first.requirement), "from-the-floor==0.0.1", 1)
    (site / "requirements.txt").write_text(text + kit_block, encoding="utf-8")
    pin = kit_pin.find_pin(site)
    assert pin.version == "0.0.1" and pin.options.startswith("--hash=sha256:")
    warned = run_floor("check", site=site)
    assert warned.returncode == 0 and "pins from-the-floor 0.0.1" in warned.stderr
    before = (site / "requirements.txt").read_text(encoding="utf-8")
    refused = run_floor("upgrade", site=site)
    assert refused.returncode == 1 and "--hash" in refused.stderr and "regenerate" in refused.stderr
    assert (site / "requirements.txt").read_text(encoding="utf-8") == before


def test_a_file_that_is_not_utf8_is_named_not_a_traceback(site: Path, run_floor) -> None:
    (site / "requirements.txt").write_bytes("from-the-floor==0.1.0  # caf\u00e9\n".encode("latin-1"))
    for command in (("check",), ("upgrade",)):
        done = run_floor(*command, site=site)
        assert done.returncode == 1, done.stdout
        assert "requirements.txt: is not UTF-8 text" in done.stderr and "Traceback" not in done.stderr


def test_upgrade_teaches_an_older_site_to_ignore_the_build_manifest(site: Path, run_floor) -> None:
    ignore = site / ".gitignore"
    ignore.write_text("output/\n.cache/\n", encoding="utf-8")  # as a site made before the manifest
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert ".*.manifest.json" in ignore.read_text(encoding="utf-8").splitlines()
    assert "now ignores" in done.stdout
    again = run_floor("upgrade", site=site)
    assert "now ignores" not in again.stdout
    assert ignore.read_text(encoding="utf-8").count(".*.manifest.json") == 1


def test_upgrade_names_the_authors_workflow_lines_it_drops_and_keeps_a_copy(site: Path, run_floor) -> None:
    workflow = site / WEEKLY
    written = workflow.read_text(encoding="utf-8")
    cron = next(line for line in written.splitlines() if line.strip().startswith("- cron:"))
    mine = written.replace(cron, cron.split('"')[0] + '"23 9 * * 1"', 1).replace(
        "        run: floor build --settings publishconf.py\n",
        "        run: floor build --settings publishconf.py\n\n"
        "      - name: Ping my phone\n        run: curl -fsS https://ntfy.example.org/me -d built\n",
        1,
    )
    assert mine != written
    workflow.write_text(mine, encoding="utf-8")
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert workflow.read_text(encoding="utf-8") == written  # the refit is the kit's file
    assert 'cron "23 9 * * 1"' in done.stderr and 'step "Ping my phone"' in done.stderr
    kept = workflow.with_name("weekly.yml.previous")
    assert kept.read_text(encoding="utf-8") == mine
    kept.unlink()
    again = run_floor("upgrade", site=site)  # the kit's own file: nothing to report, no copy
    assert "no longer has" not in again.stderr and not kept.exists()


# PLUGINS as `floor init` wrote it until the kit became one Pelican plugin (late November 2026)
OLDER_KITS_PLUGINS = """PLUGINS = [
    "from_the_floor.plugin",
    "from_the_floor.reader_site",
    "from_the_floor.retirement",  # keep last: it ends the feeds the others write
]"""


def test_an_older_kits_plugin_names_stop_the_build_with_the_fix_and_upgrade_rewrites_them(
    site: Path, run_floor, make_question
) -> None:
    conf = site / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    one = next(line for line in text.splitlines() if line.startswith("PLUGINS = "))
    mine = "PLUGINS += []  # the author's own line"
    conf.write_text(text.replace(one, f"{OLDER_KITS_PLUGINS}\n{mine}"), encoding="utf-8")
    make_question(site, "first", quick="Yes.", body="Because.")
    assert run_floor("publish", site=site, today="2026-12-07").returncode == 0
    for command in ("build", "check"):
        stopped = run_floor(command, site=site, today="2026-12-07")
        assert stopped.returncode == 1 and "Traceback" not in stopped.stderr
        said = stopped.stderr + stopped.stdout
        assert "pelicanconf.py" in said and "PLUGINS" in said and "floor upgrade" in said, said
    assert not (site / "output" / "index.html").exists()
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert "from_the_floor.plugin" in done.stdout and "pelican.plugins.from_the_floor" in done.stdout
    after = conf.read_text(encoding="utf-8")
    assert "from_the_floor.reader_site" not in after and mine in after
    assert run_floor("check", site=site, today="2026-12-07").returncode == 0
    built = run_floor("build", site=site, today="2026-12-07")
    assert built.returncode == 0, built.stderr
    assert (site / "output" / "floor" / "first" / "index.html").is_file()
    again = run_floor("upgrade", site=site)
    assert "PLUGINS" not in again.stdout and conf.read_text(encoding="utf-8") == after


# --- floor check's quick reading (kit_pin._plainly_pinned) against the full one ------------------

RUNNING = kit_pin.installed_version()
PIN_TEXTS = {
    "plain": f"from-the-floor=={RUNNING}\n",
    "comments and others": f"# my column\n\npelican==4.12.0\n  # note\nFrom_The.Floor=={RUNNING}\r\n",
    "another version": "from-the-floor==0.0.1\n",
    "the same version spelt longer": f"from-the-floor=={RUNNING}.0\n",
    "a comment after it": f"from-the-floor=={RUNNING}  # pinned\n",
    "a marker": f"from-the-floor=={RUNNING}; python_version < '3'\n",
    "extras": f"from-the-floor[desk]=={RUNNING}\n",
    "arbitrary equality": f"from-the-floor==={RUNNING}\n",
    "a wildcard": "from-the-floor==0.*\n",
    "hashes": f"from-the-floor=={RUNNING} \\\n    --hash=sha256:{'0' * 64}\n",
    "a range before it": f"from.the.floor<0.0.1\nfrom-the-floor=={RUNNING}\n",
    "a bad kit line before it": f"from-the-floor==not a version\nfrom-the-floor=={RUNNING}\n",
    "an unpinned line": f"pelican\nfrom-the-floor=={RUNNING}\n",
    "an option": f"-r other.txt\nfrom-the-floor=={RUNNING}\n",
    "a byte order mark": f"\ufefffrom-the-floor=={RUNNING}\n",
    "no kit": "pelican==4.12.0\n",
    "empty": "",
    "continued into the kit": f"pelican==4.12.0 \\\nfrom-the-floor=={RUNNING}\n",
}


@pytest.mark.parametrize("name", sorted(PIN_TEXTS))
def test_check_says_what_the_full_reading_says(tmp_path: Path, monkeypatch, name: str) -> None:
    """The quick reading (no `packaging` import) only ever agrees that all is well: on every
    file its verdict is the full reading's, errors and warnings alike."""
    (tmp_path / WEEKLY).parent.mkdir(parents=True)
    (tmp_path / WEEKLY).write_text("name: weekly\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(PIN_TEXTS[name], encoding="utf-8", newline="")

    def said() -> list[list[dict]]:
        return [[e.as_dict() for e in found] for found in kit_pin.check(tmp_path)]

    quick = said()
    monkeypatch.setattr(kit_pin, "_plainly_pinned", lambda path: False)
    assert quick == said()


def test_a_plain_pin_is_read_without_packaging(tmp_path: Path) -> None:
    for text in (PIN_TEXTS["plain"], PIN_TEXTS["comments and others"]):
        (tmp_path / "requirements.txt").write_text(text, encoding="utf-8", newline="")
        assert kit_pin._plainly_pinned(tmp_path / "requirements.txt")
    for name in ("another version", "a marker", "hashes", "an unpinned line", "a byte order mark"):
        (tmp_path / "requirements.txt").write_text(PIN_TEXTS[name], encoding="utf-8", newline="")
        assert not kit_pin._plainly_pinned(tmp_path / "requirements.txt"), name
    (tmp_path / "requirements.txt").write_bytes(b"from-the-floor==\xff\n")
    assert not kit_pin._plainly_pinned(tmp_path / "requirements.txt")
