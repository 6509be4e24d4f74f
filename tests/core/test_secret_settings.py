"""A password in pelicanconf.py never reaches .cache/: `floor check` and the build refuse it.

Pelican pickles its settings into the content cache, and the weekly job
uploads .cache/; the fix is the environment (the kit reads
FLOOR_SMTP_PASSWORD and GITHUB_TOKEN from there).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from from_the_floor.core.settings import secret_settings
from helpers_floor import fails_cleanly, ok, question_text, run_floor, write_question

PASSWORD = "correct-horse-battery-staple"
AGE_PUBLIC = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"  # the age spec's example


def add_setting(site: Path, line: str, conf: str = "pelicanconf.py") -> None:
    path = site / conf
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def every_byte(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.mark.parametrize(
    "line",
    [
        f"FLOOR_SMTP_PASSWORD = {PASSWORD!r}",
        f"GITHUB_TOKEN = {PASSWORD!r}",
        f"MY_API_KEY = {PASSWORD!r}",
        f"MAILGUN_SECRET = {PASSWORD!r}",
        f"ANALYTICS_KEY = {PASSWORD!r}",
        f"FLOOR_AGE_IDENTITY = 'AGE-SECRET-KEY-1{PASSWORD.upper()}'",  # a private key under any name
    ],
)
def test_check_refuses_a_secret_setting_and_says_the_fix(site: Path, line: str) -> None:
    add_setting(site, line)
    result = run_floor("check", "--json", site=site)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    name = line.split(" =")[0]
    [problem] = [e for e in report["errors"] if e["field"] == name]
    assert problem["file"].endswith("pelicanconf.py")
    assert "environment" in problem["problem"] and ".cache/" in problem["problem"]
    assert PASSWORD not in result.stdout + result.stderr  # the refusal does not print the secret


def test_the_kit_s_own_secrets_name_their_environment_variable(site: Path) -> None:
    add_setting(site, f"FLOOR_SMTP_PASSWORD = {PASSWORD!r}", conf="publishconf.py")
    err = fails_cleanly(run_floor("check", site=site))
    assert "publishconf.py" in err and "set the environment variable FLOOR_SMTP_PASSWORD instead" in err


@pytest.mark.parametrize(
    "line",
    [
        f"FLOOR_AGE_RECIPIENT = {AGE_PUBLIC!r}",  # the column's public key
        "FLOOR_SMTP_PASSWORD = None",  # a placeholder
        "FLOOR_SMTP_PASSWORD = ''",
        "GISCUS_PUBLIC_KEY = 'pk_live_123'",
        "HCAPTCHA_SITE_KEY = '10000000-ffff-ffff-ffff-000000000001'",
        "FEED_MAX_ITEMS = 10",
    ],
)
def test_public_and_empty_settings_are_not_flagged(site: Path, line: str) -> None:
    add_setting(site, line)
    ok(run_floor("check", site=site))


def test_the_build_refuses_before_anything_is_cached(site: Path) -> None:
    write_question(
        site,
        "cached",
        question_text(
            "Cached?",
            quick="Yes.",
            body="Body.",
            title='"From the Floor #1: Cached?"',
            date="2026-11-02T09:00:00+00:00",
            number="1",
            slug="cached",
        ),
        folder="content/floor",
    )
    add_setting(site, f"FLOOR_SMTP_PASSWORD = {PASSWORD!r}")
    err = fails_cleanly(run_floor("build", site=site))
    assert "FLOOR_SMTP_PASSWORD" in err and "environment" in err and PASSWORD not in err
    cache = site / ".cache"
    assert not cache.exists() or PASSWORD.encode() not in every_byte(cache)
    # read from the environment instead: the build works, and the cache holds no password
    path = site / "pelicanconf.py"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"FLOOR_SMTP_PASSWORD = {PASSWORD!r}", ""), "utf-8"
    )
    ok(run_floor("build", site=site, env={"FLOOR_SMTP_PASSWORD": PASSWORD}))
    assert cache.is_dir() and PASSWORD.encode() not in every_byte(cache)


def test_the_unit_rule_on_names() -> None:
    flagged = secret_settings(
        {
            "A_TOKEN": "x",
            "SOME_KEY": "x",
            "KEY": "x",
            "MONKEY_BUSINESS": "x",
            "KEYWORDS": "x",
            "FLOOR_AGE_RECIPIENT": "x",
        },
        Path("pelicanconf.py"),
    )
    assert sorted(e.field for e in flagged) == ["A_TOKEN", "KEY", "SOME_KEY"]
