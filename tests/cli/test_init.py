"""`floor init` leaves a working column: every answer a flag or, on a terminal, a question that is
re-asked until it makes sense; a git repository with a first commit; the remaining steps in order."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from from_the_floor.core import settings as settings_mod
from helpers_floor import FLOOR_COMMAND, Terminal, fails_cleanly, floor_env, ok, run_floor

NAMED = ("--title", "Ask Sam", "--author", "Sam")  # needed whenever floor init does not ask


def conf(site: Path) -> dict:
    return settings_mod.read_conf(site / "pelicanconf.py")


def git(site: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(site), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def no_git_identity(tmp_path: Path) -> dict[str, str]:
    """An author whose git was never told their name (a fresh computer)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def with_identity(tmp_path: Path) -> dict[str, str]:
    env = no_git_identity(tmp_path)
    (Path(env["HOME"]) / ".gitconfig").write_text(
        "[user]\n\tname = Ada\n\temail = ada@example.org\n", encoding="utf-8"
    )
    return env


def test_flags_make_a_column_that_takes_questions_and_is_committed(tmp_path: Path) -> None:
    site = tmp_path / "my-column"
    out = ok(
        run_floor(
            "init",
            site,
            "--title",
            "Ask Me Anything",
            "--author",
            "Ada",
            "--timezone",
            "Europe/London",
            "--lang",
            "fr",
            "--per-page",
            "5",
            "--ask-email",
            "ada@example.org",
            "--url",
            "https://ada.github.io/ama/",
            env=with_identity(tmp_path),
        )
    )
    values = conf(site)
    assert values["SITENAME"] == "Ask Me Anything" and values["AUTHOR"] == "Ada"
    assert values["TIMEZONE"] == "Europe/London" and values["DEFAULT_LANG"] == "fr"
    assert values["DEFAULT_PAGINATION"] == 5
    assert values["FLOOR_STABLE_PAGINATION"] is True  # a new site: list pages keep their posts
    assert values["FLOOR_ASK_CHANNEL"] == "mailto" and values["FLOOR_ASK_EMAIL"] == "ada@example.org"
    assert values["FLOOR_AUTO_RETIRE"] is False  # retirement is the author's switch, off by default
    publish = (site / "publishconf.py").read_text(encoding="utf-8")
    assert '"https://ada.github.io/ama"' in publish  # Pelican wants SITEURL without the slash
    # the settings the kit will build with pass its own check
    assert ok(run_floor("check", site=site)).startswith("ok:")
    # git: one first commit holding the site, never the private key
    assert git(site, "log", "--format=%s").splitlines() == ["Start the column"]
    committed = git(site, "ls-files").splitlines()
    assert "pelicanconf.py" in committed and ".github/workflows/weekly.yml" in committed
    assert not [f for f in committed if f.startswith(".floor/")]
    assert git(site, "status", "--porcelain") == ""
    assert "Readers ask by email, at ada@example.org." in out
    assert "Retirement is not armed" in out
    # the remaining steps, in the order they are taken
    steps = [line.strip() for line in out.splitlines() if line.strip()[:3] in {f"{n}. " for n in range(1, 9)}]
    assert [s.split(":")[0] for s in steps] == [
        "1. Try it",
        "2. Create an empty repository on GitHub named ada/ama",
        "3. Push it there",
        "4. Give the weekly job the key",
        "5. Turn on the site",
    ]
    # an author moving a blog reads where its posts come in, at the step where they try the column
    assert "floor import EXPORT" in steps[0] and "Moving a blog here?" in steps[0]
    assert "git push -u origin main" in steps[2]
    assert "gh secret set FLOOR_AGE_KEY < .floor/age-key.txt" in steps[3]
    assert "Source: GitHub Actions" in steps[4] and "https://ada.github.io/ama/" in steps[4]
    assert "Mondays" not in steps[4], "the slot is said once, on the last line"
    # the slot floor init chose without asking, said plainly last, with the settings that move it
    assert out.strip().splitlines()[-1] == (
        "The column publishes a post each week, on Mondays 09:00 Europe/London. To change the day or "
        "time, edit FLOOR_PUBLISH_WEEKDAY and FLOOR_PUBLISH_TIME in pelicanconf.py, then run "
        "floor workflow --write (the weekly job's start time follows them)."
    )
    helped = ok(run_floor("init", "--help"))
    assert "every Monday at 09:00" in helped and "FLOOR_PUBLISH_WEEKDAY" in helped
    # the zone's default as it is: the prompt offers this computer's, a run that never asks takes UTC
    zone_help = " ".join(helped.split("--timezone TEXT")[1].split("--url")[0].split())
    assert "[default: UTC]" not in zone_help
    assert "this computer's zone when asked; UTC without a terminal" in zone_help


def test_without_a_way_to_ask_it_says_readers_cannot_ask(tmp_path: Path) -> None:
    site = tmp_path / "quiet"
    out = ok(run_floor("init", site, "--no-git", *NAMED))
    assert "Readers cannot ask yet" in out and "FLOOR_ASK_CHANNEL" in out
    assert conf(site)["FLOOR_ASK_CHANNEL"] == "none"
    about = (site / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert "not being taken" not in about, "the About template says so, from the setting"
    assert not (site / ".git").exists() and "--no-git" in out


@pytest.mark.parametrize(
    ("flags", "channel", "field", "value"),
    [
        (["--ask-github", "https://github.com/ada/ama.git"], "github", "FLOOR_ASK_GITHUB_REPO", "ada/ama"),
        (
            ["--ask-form", "https://formspree.io/f/abcd"],
            "form",
            "FLOOR_ASK_FORM_URL",
            "https://formspree.io/f/abcd",
        ),
    ],
)
def test_each_way_to_ask_is_written_and_passes_check(
    tmp_path: Path, flags: list[str], channel: str, field: str, value: str
) -> None:
    site = tmp_path / "site"
    ok(run_floor("init", site, "--no-git", "--retire-when-done", *NAMED, *flags))
    values = conf(site)
    assert values["FLOOR_ASK_CHANNEL"] == channel and values[field] == value
    assert values["FLOOR_AUTO_RETIRE"] is True
    ok(run_floor("check", site=site))


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--timezone", "Europe/Londn"], "did you mean Europe/London"),
        (["--timezone", "Paris"], "did you mean Europe/Paris?"),  # the city alone, as people say it
        (["--timezone", "new york"], "did you mean America/New_York?"),
        (["--ask-email", "ada.example.org"], "'ada.example.org' is not an email address"),
        (["--url", "ada.github.io"], "'ada.github.io' is not a web address"),
        (["--ask-github", "just-a-name"], "is not a GitHub repository; write it as owner/name"),
        (["--per-page", "0"], "it takes at least 1"),
        # Japan's code for Japanese: every page said lang="jp", and `floor check` saw nothing wrong
        (["--lang", "jp"], "'jp' is a country's code, not a language's; did you mean ja (Japanese)?"),
        (["--lang", "xx"], "'xx' is not a language code; write it like en, fr, ja or pt-BR"),
        (
            ["--ask-email", "a@b.org", "--ask-form", "https://f.example/x"],
            "choose one way for readers to ask",
        ),
    ],
)
def test_bad_answers_are_refused_before_anything_is_made(
    tmp_path: Path, flags: list[str], words: str
) -> None:
    err = fails_cleanly(run_floor("init", tmp_path / "s", *NAMED, *flags), code=2)
    assert words in err
    assert not (tmp_path / "s").exists()


def test_a_computer_without_git_gets_the_site_and_the_commands(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"  # a PATH with Python's tools but no git
    bin_dir.mkdir()
    site = tmp_path / "site"
    out = ok(run_floor("init", site, *NAMED, env={"PATH": str(bin_dir)}))
    assert "git is not installed" in out and "git init && git add -A && git commit" in out
    assert (site / "pelicanconf.py").exists() and not (site / ".git").exists()


@pytest.mark.parametrize("without", ["git on the PATH", "--no-git"])
def test_without_git_the_printed_commands_commit_only_the_column_in_a_folder_with_files(
    tmp_path: Path, without: str
) -> None:
    """No git (none installed, or --no-git asked), and a folder that held an SSH key: the command
    printed to finish the job adds the column's files by name, as floor init's own first commit
    would, not `git add -A`, and following it commits nothing else; in an empty folder it stays
    `git add -A`."""
    bin_dir = tmp_path / "bin"  # a PATH with Python's tools but no git
    bin_dir.mkdir()
    how = {"env": {"PATH": str(bin_dir)}} if without == "git on the PATH" else {}
    no_git = ("--no-git",) if without == "--no-git" else ()
    home = tmp_path / "ada"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("private\n", encoding="utf-8")
    out = ok(run_floor("init", *NAMED, "--no-input", *no_git, cwd=home, **how))
    command = next(line.strip() for line in out.splitlines() if line.strip().startswith("git init &&"))
    assert "git add -A" not in command and "git add .github .gitignore content pelicanconf.py" in command
    assert "What was already in the folder (.ssh) is not in that commit" in out
    env = {**floor_env(), **with_identity(tmp_path)}
    subprocess.run(command, shell=True, cwd=home, env=env, check=True, capture_output=True)
    committed = git(home, "ls-files", env=env).split()
    assert "pelicanconf.py" in committed and not [n for n in committed if n.startswith((".ssh", ".floor"))]
    empty = ok(run_floor("init", tmp_path / "new", *NAMED, "--no-input", *no_git, **how))
    assert "git init && git add -A && git commit" in empty and "already in the folder" not in empty


def test_git_without_a_name_stages_and_says_how_to_commit(tmp_path: Path) -> None:
    env = no_git_identity(tmp_path)
    site = tmp_path / "site"
    out = ok(run_floor("init", site, *NAMED, env=env))
    assert "git does not know your name yet" in out
    assert 'git config --global user.name "Your Name"' in out
    full = {**floor_env(), **env}
    assert "pelicanconf.py" in git(site, "diff", "--cached", "--name-only", env=full)
    # the printed commands finish the job
    git(site, "config", "--global", "user.name", "Ada", env=full)
    git(site, "config", "--global", "user.email", "ada@example.org", env=full)
    git(site, "commit", "-q", "-m", "Start the column", env=full)
    assert git(site, "status", "--porcelain", env=full) == ""


def test_a_folder_that_held_files_gets_only_the_column_s_files_committed(tmp_path: Path) -> None:
    """`floor init` with no folder, run where the author happened to be: a home folder with an
    SSH key, a .env and documents. The first commit (pushed to GitHub at the next step) holds
    the column's files only; the author's are named as left out, and stay untracked."""
    env = with_identity(tmp_path)
    full = {**floor_env(), **env}
    home = tmp_path / "ada"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    (home / ".env").write_text("TOKEN=abc\n", encoding="utf-8")
    (home / "Documents").mkdir()
    (home / "Documents" / "taxes.txt").write_text("private\n", encoding="utf-8")
    out = ok(run_floor("init", *NAMED, "--no-input", env=env, cwd=home))
    assert "the column's files in its first commit" in out
    assert "What was already in the folder (.env, .ssh, Documents) is not in it" in out
    committed = git(home, "ls-files", env=full).split()
    assert "pelicanconf.py" in committed and ".github/workflows/weekly.yml" in committed
    assert not [name for name in committed if name.startswith((".ssh", ".env", "Documents", ".floor"))]
    assert git(home, "status", "--porcelain", env=full).split() == [
        "??",
        ".env",
        "??",
        ".ssh/",
        "??",
        "Documents/",
    ]


def test_inside_an_existing_repository_nothing_is_committed_for_the_author(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    blog.mkdir()
    env = with_identity(tmp_path)
    full = {**floor_env(), **env}
    git(blog, "init", "-q", env=full)
    out = ok(run_floor("init", blog / "column", *NAMED, env=env))
    assert f"inside the repository {blog}" in out
    assert not (blog / "column" / ".git").exists()
    assert git(blog, "log", "--oneline", "--all", env=full) == ""


# --- on a terminal ---------------------------------------------------------------------------------


def test_on_a_terminal_init_asks_and_reasks_until_each_answer_makes_sense(tmp_path: Path) -> None:
    env = {**floor_env(), **with_identity(tmp_path), "TZ": "America/New_York"}
    term = Terminal([*FLOOR_COMMAND, "init"], env, tmp_path)
    term.expect("The column's name: ")  # no default: Enter would name it after the kit
    term.answer("")
    term.expect("The column's name: ")
    term.answer("   ")
    term.expect("a name is needed")
    term.expect("The column's name: ")
    term.answer("Ask Me Anything")
    term.expect("Folder to create it in [ask-me-anything]: ")
    term.answer("")
    term.expect("Your name, as readers will see it: ")
    term.answer("")
    term.expect("Your name, as readers will see it: ")
    term.answer("Ada")
    term.expect("[en]: ")
    term.answer("fr")
    term.expect("[America/New_York]: ")  # this computer's zone is the default
    term.answer("Europe/Londn")
    term.expect("did you mean Europe/London")
    term.expect("[America/New_York]: ")
    term.answer("Europe/London")
    term.expect("(Enter: decide later): ")
    term.answer("ada.github.io/ama")
    term.expect("is not a web address")
    term.expect("(Enter: decide later): ")
    term.answer("https://ada.github.io/ama")
    term.expect("Posts on each page of the list [10]: ")
    term.answer("")
    term.expect("Readers ask by (email, github, form, none) [email]: ")
    term.answer("email")
    term.expect("The address questions go to: ")
    term.answer("")  # Enter: told what goes there, and how to leave it for later
    term.expect(
        "readers' questions are mailed to this address: type one, e.g. ada@example.org; "
        "or type none to decide later"
    )
    term.expect("The address questions go to: ")
    term.answer("ada at example")
    term.expect("is not an email address")
    term.expect("The address questions go to: ")
    term.answer("ada@example.org")
    term.expect("[y/N]: ")
    term.answer("")
    code, shown = term.finish()
    assert code == 0, shown
    site = tmp_path / "ask-me-anything"
    values = conf(site)
    assert (values["SITENAME"], values["AUTHOR"], values["DEFAULT_LANG"], values["TIMEZONE"]) == (
        "Ask Me Anything",
        "Ada",
        "fr",
        "Europe/London",
    )
    assert values["FLOOR_ASK_EMAIL"] == "ada@example.org" and values["FLOOR_AUTO_RETIRE"] is False
    assert "Create an empty repository on GitHub named ada/ama" in shown
    assert git(site, "log", "--format=%s") == "Start the column\n"


def test_a_flag_is_never_asked_again_and_no_input_asks_nothing(tmp_path: Path) -> None:
    env = {**floor_env(), **with_identity(tmp_path)}
    term = Terminal(
        [
            *FLOOR_COMMAND,
            "init",
            "col",
            "--title",
            "T",
            "--author",
            "A",
            "--lang",
            "en",
            "--timezone",
            "UTC",
            "--url",
            "",
            "--per-page",
            "3",
            "--ask-form",
            "https://f.example/x",
        ],
        env,
        tmp_path,
    )
    term.expect("[y/N]: ")  # the one answer no flag gave
    assert "The column's name" not in term.seen
    term.answer("y")
    code, shown = term.finish()
    assert code == 0, shown
    assert conf(tmp_path / "col")["FLOOR_AUTO_RETIRE"] is True
    term = Terminal([*FLOOR_COMMAND, "init", "other", "--no-input", *NAMED], env, tmp_path)
    code, shown = term.finish()
    assert code == 0 and "?" not in shown.split("Created")[0], shown


def test_without_a_terminal_init_never_waits_for_an_answer(tmp_path: Path) -> None:
    """stdin is a pipe (a script, CI): the names given, the defaults apply to the rest at once."""
    done = subprocess.run(
        [*FLOOR_COMMAND, "init", "site", "--no-git", "--title", "Ask Sam", "--author", "Sam"],
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=floor_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert conf(tmp_path / "site")["SITENAME"] == "Ask Sam" and conf(tmp_path / "site")["AUTHOR"] == "Sam"


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ((), "--title (the column's name) and --author (your name, as readers see it) are needed"),
        (("--title", "Ask Sam"), "--author (your name, as readers see it) is needed"),
        (("--author", "Sam"), "--title (the column's name) is needed"),
    ],
)
def test_without_a_terminal_the_names_must_be_given(tmp_path: Path, given: tuple, missing: str) -> None:
    """No terminal (or --no-input) and no --title/--author: one line naming what is missing, exit 1,
    nothing made. The kit's name and "The Author" on someone's column are never a default."""
    err = fails_cleanly(run_floor("init", tmp_path / "site", "--no-git", "--no-input", *given))
    assert err.count("\n") == 1 and missing in err and "nothing was created" in err
    assert "From the Floor" not in err and not (tmp_path / "site").exists()
    err = fails_cleanly(run_floor("init", tmp_path / "site", "--title", " ", "--author", "Sam"), code=2)
    assert "a name is needed" in err and not (tmp_path / "site").exists()


def test_the_about_page_names_the_author_in_the_columns_language(tmp_path: Path) -> None:
    """The starter About page says whose answers they are ("answered by Sam"), in English and in
    French, with no possessive to get wrong ("Sam's", "de"/"d'"); a name with stray spaces is
    said once-spaced, and without a name the page still reads as a sentence."""
    from from_the_floor.core import i18n
    from from_the_floor.web import about_page

    site = tmp_path / "en"
    ok(run_floor("init", site, "--no-git", *NAMED))
    about = (site / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert about.endswith("\n\nQuestions from readers, answered by Sam.\n")
    site = tmp_path / "fr"
    ok(run_floor("init", site, "--no-git", "--title", "Demandez", "--author", "Élise", "--lang", "fr"))
    about = (site / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert about.endswith("\n\nLes questions des lecteurs, auxquelles Élise répond.\n")
    english = i18n.language("en")
    said = about_page.starter_line(english, "  Ada \t Lovelace ")
    assert said == "Questions from readers, answered by Ada Lovelace."
    assert about_page.starter_line(english, "   ") == "Questions from readers, with the author's answers."


def test_an_empty_answer_for_the_way_to_ask_says_what_is_needed_and_none_leaves_it_for_later() -> None:
    """After choosing email, GitHub or a form, Enter alone is told what goes there for each way,
    and "none" makes a column readers cannot ask yet (the same as choosing none)."""
    from from_the_floor.cli import setup
    from from_the_floor.commands import init_site

    for way, needed in (("email", "ada@example.org"), ("github", "owner/name"), ("form", "formspree")):
        with pytest.raises(ValueError, match=f"{needed}.*; or type none to decide later"):
            setup._ask_answer(way, "  ")
        assert setup._ask_answer(way, " None ") == init_site.Ask()
    assert setup._ask_answer("github", "ada/ama") == init_site.Ask("github", "ada/ama")
