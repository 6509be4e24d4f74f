"""`floor serve` and `floor serve --live` as a host serves the site: the theme's 404 page with
status 404 for a missing page, a folder only through its index.html (never a listing), and a busy
port refused in one sentence, with exit 1, before anything is built."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers_floor import (
    FLOOR_COMMAND,
    ctrl_c_as_at_a_terminal,
    fails_cleanly,
    floor_env,
    ok,
    question_text,
    run_floor,
    write_question,
)


@pytest.fixture(scope="module")
def column(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built column with one post (so output/floor/ is a folder of posts without an index.html)."""
    site = tmp_path_factory.mktemp("serve") / "site"
    ok(run_floor("init", site, "--no-git", "--title", "From the Floor", "--author", "The Author"))
    write_question(site, "first", question_text("First?", quick="Yes.", body="Because."))
    ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    assert (site / "output" / "floor").is_dir() and not (site / "output" / "floor" / "index.html").exists()
    return site


def fetch(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as reply:
            return reply.status, reply.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


class Serving:
    """`floor serve` running in the background on a port the system chose, stopped by its pid."""

    def __init__(self, site: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [*FLOOR_COMMAND, "--site", str(site), "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=floor_env(),
            start_new_session=True,
            preexec_fn=ctrl_c_as_at_a_terminal,
        )
        line = self.process.stdout.readline()
        assert "http://localhost:" in line, line + self.process.stderr.read()
        self.base = "http://127.0.0.1:" + line.split("http://localhost:", 1)[1].split("/", 1)[0]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.mark.parametrize("mode", [(), ("--live",)], ids=["static", "live"])
def test_a_missing_page_is_the_sites_404_and_no_folder_is_listed(column: Path, mode: tuple[str, ...]) -> None:
    server = Serving(column, "--no-build", *mode)
    try:
        status, home = fetch(server.base + "/")
        assert status == 200 and "First?" in home
        for missing in ("/no-such-page/", "/floor/", "/floor/nothing.html", "/theme/"):
            status, page = fetch(server.base + missing)
            assert status == 404, missing
            assert "<h1>Page not found</h1>" in page, missing
            assert 'href="/"' in page and "/search/" in page, "a way home and to search"
            assert "Directory listing" not in page and "first/" not in page
        assert fetch(server.base + "/archives")[0] == 301  # a folder's address without its slash
    finally:
        server.stop()


def test_the_theme_ships_404_html_at_the_root(column: Path) -> None:
    page = (column / "output" / "404.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="site-header"' in page and "/theme/css/floor.css" in page  # styled like the site
    assert 'role="search"' in page and 'for="not-found-q"' in page  # a labelled search box
    assert page.count("Search the answers") == 1, "the box's label, not a link to the same page too"


@pytest.mark.parametrize("mode", [(), ("--live",)], ids=["static", "live"])
def test_a_busy_port_is_one_clear_error_before_any_build(tmp_path: Path, mode: tuple[str, ...]) -> None:
    site = tmp_path / "site"
    ok(run_floor("init", site, "--no-git", "--title", "From the Floor", "--author", "The Author"))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        err = fails_cleanly(run_floor("serve", "--port", port, *mode, site=site))
    assert f"port {port} is already in use" in err and "floor serve --port " in err
    assert len(err.strip().splitlines()) == 1
    assert not (site / "output").exists(), "nothing was built for a server that could not start"
