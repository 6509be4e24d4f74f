"""Take in's blog import signs the author's old posts as the column's, as `floor import --own-name` does."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from helpers_desk import desk

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "wp-theme-unit-test.xml"


def _multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _take_in(client, fields: dict[str, str]) -> str:
    body, kind = _multipart(fields, EXPORT.name, EXPORT.read_bytes())
    headers = {"Content-Type": kind, "Origin": client.origin, "Sec-Fetch-Site": "same-origin"}
    headers["X-CSRF-Token"] = client.csrf("/intake")
    reply = client.request("POST", "/intake", body=body, headers=headers)
    assert reply.status == 303, reply.text
    return client.get(reply.headers["location"]).text


def _signed(site: Path) -> dict[str, str | None]:
    """Each imported post's author: line (None: signed as the column's own)."""
    found = {}
    for path in (site / "content" / "floor").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        found[path.stem] = next((line for line in front.splitlines() if line.startswith("author:")), None)
    return found


def test_the_authors_old_name_signs_their_posts_as_the_columns(site: Path) -> None:
    """The blog has two writers, "Theme Buster" and "Theme Reviewer". Without a way to say which
    one was the author, the desk's import signed every Theme Buster post with that name: only
    `floor import --own-name` in a terminal could sign them as the column's."""
    with desk(site) as client:
        client.sign_in()
        form = client.get("/intake").text
        field = re.search(r'<input id="own_name"[^>]*>', form)
        assert field and 'name="own_name"' in field.group(0)
        assert 'aria-describedby="own_name-help"' in field.group(0)
        assert '<label for="own_name">Your name on the old blog</label>' in form

        dry = _take_in(client, {"all": "on", "dry_run": "on"})  # the report names the writers it found
        assert "posts by other writers keep their names: Theme Buster (" in dry
        assert "--own-name" not in dry and 'href="/intake#own_name"' in dry  # said the desk's way
        assert not _signed(site)

        done = _take_in(client, {"all": "on", "own_name": " theme  buster , Nobody Else"})
    assert "Theme Reviewer" in done and "keep their names: Theme Buster" not in done
    signed = _signed(site)
    assert signed and set(signed.values()) == {None, "author: Theme Reviewer"}
    assert "author: Theme Buster" not in signed.values()
