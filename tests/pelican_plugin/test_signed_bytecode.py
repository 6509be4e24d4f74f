"""Compiled templates in .cache/jinja are run only if the column's key vouches for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor.pelican_plugin.signed_bytecode import SignedBytecodeCache
from jinja2 import DictLoader, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

SOURCE = "<p>{{ 1 + 1 }}</p>"
KEY = b"k" * 32


def env(cache) -> Environment:
    return Environment(loader=DictLoader({"page.html": SOURCE}), bytecode_cache=cache)


def render(cache) -> str:
    return env(cache).get_template("page.html").render()


def planted(cache, witness: Path) -> bytes:
    """What an attacker who can write .cache/ puts in the template's file: code of their own, with
    the checksum of the real template's source (which is public), so Jinja takes it as current."""
    e = env(cache)
    evil = "{{ cycler.__init__.__globals__.os.open('" + str(witness) + "', 65) }}"
    key = cache.get_cache_key("page.html", None)
    bucket = Bucket(e, key, cache.get_source_checksum(SOURCE))
    bucket.code = e.compile(evil, "page.html", None)
    return bucket.bytecode_to_string()


def test_a_template_compiled_once_is_loaded_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    assert render(SignedBytecodeCache(str(tmp_path), KEY)) == "<p>2</p>"
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".")
    compiled: list[str] = []
    original = Environment._compile
    monkeypatch.setattr(Environment, "_compile", lambda self, *a: compiled.append(a[1]) or original(self, *a))
    assert render(SignedBytecodeCache(str(tmp_path), KEY)) == "<p>2</p>"
    assert compiled == [], "served from the signed file"


@pytest.mark.parametrize("tag", ["none", "another key's"])
def test_a_replaced_cache_file_is_never_run(tmp_path: Path, tag: str) -> None:
    folder = tmp_path / "jinja"
    folder.mkdir()
    cache = SignedBytecodeCache(str(folder), KEY)
    assert render(cache) == "<p>2</p>"
    (target,) = folder.iterdir()
    witness = tmp_path / "pwned"
    code = planted(cache, witness)
    if tag == "none":
        target.write_bytes(code)
    else:
        forged = SignedBytecodeCache(str(folder), b"x" * 32)
        target.write_bytes(forged._tag(cache.get_cache_key("page.html", None), code) + code)
    assert render(SignedBytecodeCache(str(folder), KEY)) == "<p>2</p>"
    assert not witness.exists(), "the planted bytecode ran"


def test_jinjas_own_cache_would_have_run_it(tmp_path: Path) -> None:
    """The attack the tag stops, shown on Jinja's own unsigned cache (the kit's cache before)."""
    folder = tmp_path / "jinja"
    folder.mkdir()
    cache = FileSystemBytecodeCache(str(folder))
    render(cache)
    (target,) = folder.iterdir()
    witness = tmp_path / "pwned"
    target.write_bytes(planted(cache, witness))
    render(FileSystemBytecodeCache(str(folder)))
    assert witness.exists()
