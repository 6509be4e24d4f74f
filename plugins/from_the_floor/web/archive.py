"""The downloadable archive of a retired column: a zip of the built site and a WARC of it.

Both are made from the finished output/ folder, after every page carries its
notice, so what a reader downloads is what the site shows. Both are
reproducible: entry order, timestamps (the retirement moment) and WARC record
ids depend only on the files, so a rebuild of an unchanged site writes the
same bytes (and the deploy has nothing new to upload).

A zip opens anywhere; a WARC (ISO 28500) is what web archives keep and
replay tools such as pywb or ReplayWeb.page open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_binary
from .redirects import url_for

# Record ids are uuid5 names in this namespace: stable across rebuilds, unique per file and content.
_NAMESPACE = uuid.UUID("6f1d2a3c-8e0b-5d4f-9a7e-2b1c0d3e4f50")
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class Downloads:
    """Where the archive files go, relative to output/."""

    zip: str
    warc: str

    def all(self) -> tuple[str, str]:
        return (self.zip, self.warc)


def downloads_for(name: str, folder: str = "download") -> Downloads:
    """'download/<name>.zip' and 'download/<name>.warc.gz' (name: the site's slug)."""
    folder = folder.strip("/")
    return Downloads(zip=f"{folder}/{name}.zip", warc=f"{folder}/{name}.warc.gz")


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _write_if_changed(path: Path, data: bytes) -> bool:
    if _same_bytes(path, data):
        return False
    with atomic_binary(path) as handle:
        handle.write(data)
    return True


def zip_site(output: Path, files: Sequence[str], moment: dt.datetime, root_folder: str) -> bytes:
    """The site's files in one zip under ``root_folder``/, every entry stamped ``moment``."""
    stamp = max(moment.astimezone(dt.UTC), _ZIP_EPOCH).timetuple()[:6]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{root_folder}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (output / rel).read_bytes())
    return buffer.getvalue()


def write_zip(output: Path, target: str, files: Sequence[str], moment: dt.datetime, root_folder: str) -> bool:
    """Write the zip to output/``target`` (atomically, only if its bytes changed)."""
    return _write_if_changed(output / target, zip_site(output, files, moment, root_folder))


def content_type(rel: str) -> str:
    kind, encoding = mimetypes.guess_type(rel)
    if rel.endswith(".atom.xml"):
        kind = "application/atom+xml"
    elif rel.endswith(".rss.xml"):
        kind = "application/rss+xml"
    kind = kind or "application/octet-stream"
    if encoding is None and (
        kind.startswith("text/") or kind.endswith(("+xml", "/xml", "/json", "javascript"))
    ):
        kind += "; charset=utf-8"
    return kind


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, chr(0).join(parts))}>"


def warc_site(
    output: Path,
    files: Sequence[str],
    *,
    base_url: str,
    moment: dt.datetime,
    filename: str,
    software: str,
    headers: Iterable[tuple[str, str]] = (),
    description: str = "The complete retired column, as built.",
) -> bytes:
    """A gzipped WARC 1.1: a warcinfo record, then one HTTP response record per file.

    Each file is recorded at the URL readers use (``floor/x/`` for
    ``floor/x/index.html``), on ``base_url`` (the production SITEURL), with
    the headers a host honouring ``_headers`` would have sent.
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    base = base_url.rstrip("/") + "/"
    when = _warc_date(moment)
    extra = list(headers)
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    info_fields = {
        "software": software,
        "format": "WARC File Format 1.1",
        "isPartOf": base,
        "description": " ".join(description.split()),  # one line: a WARC field ends at its line
    }
    payload = "".join(f"{k}: {v}\r\n" for k, v in info_fields.items()).encode("utf-8")
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=BytesIO(payload),
            length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": _record_id("warcinfo", base, when),
                "WARC-Date": when,
                "WARC-Filename": filename,
            },
        )
    )
    for rel in sorted(files):
        body = (output / rel).read_bytes()
        uri = base + url_for(rel).lstrip("/")
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", content_type(rel)), ("Content-Length", str(len(body))), *extra],
            protocol="HTTP/1.1",
        )
        digest = hashlib.sha256(body).hexdigest()
        record = writer.create_warc_record(
            uri,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Record-ID": _record_id(uri, digest), "WARC-Date": when},
        )
        writer.write_record(record)
    return buffer.getvalue()


def write_warc(output: Path, target: str, files: Sequence[str], **kwargs) -> bool:
    """Write the WARC to output/``target`` (atomically, only if its bytes changed)."""
    name = Path(target).name
    return _write_if_changed(output / target, warc_site(output, files, filename=name, **kwargs))


# --- the complete column --------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSummary:
    """What the notice says: how many questions were answered, in how many posts, until when."""

    posts: int
    answered: int
    first_post: dt.datetime | None
    last_post: dt.datetime | None


def in_series_order(posts: Iterable) -> list:
    """Posts (anything with ``number`` and ``date``) in the order of the series: #1 first."""
    return sorted(posts, key=lambda p: (getattr(p, "number", 0) or 0, p.date.astimezone(dt.UTC)))


def summarise(posts: Iterable, questions_in: Callable[[Any], int] = lambda _p: 1) -> ColumnSummary:
    """Count posts and questions; ``questions_in(post)`` says how many a post answers."""
    ordered = in_series_order(posts)
    dates = sorted((p.date for p in ordered), key=lambda d: d.astimezone(dt.UTC))
    return ColumnSummary(
        posts=len(ordered),
        answered=sum(questions_in(p) for p in ordered),
        first_post=dates[0] if dates else None,
        last_post=dates[-1] if dates else None,
    )
