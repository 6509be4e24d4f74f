"""The files of an export that comes as many: a zip (Substack, Medium) or the folder it unpacks to.

A zip is read in memory with limits (an export is a file from elsewhere): at
most ``MAX_FILES`` members and ``MAX_BYTES`` uncompressed, no member outside
the archive's own tree; nothing is extracted to disk.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import FloorError

MAX_FILES = 100_000
MAX_BYTES = 2 * 1024**3  # 2 GB uncompressed: a large blog's text, never a zip bomb's


class Bundle:
    """Names (``posts/x.html``, with ``/``) and their bytes, from a zip or a folder."""

    def __init__(self, files: dict[str, int], opener: Callable[[str], bytes]) -> None:
        self._files = files  # name → size
        self._open = opener

    @property
    def names(self) -> list[str]:
        return sorted(self._files)

    def read(self, name: str) -> bytes:
        return self._open(name)

    def find(self, suffix: str) -> str | None:
        """The shallowest file whose path ends with ``suffix`` (an export may sit inside a folder)."""
        found = [n for n in self._files if n == suffix or n.endswith("/" + suffix)]
        return min(found, key=lambda n: (n.count("/"), n)) if found else None


def from_zip(data: bytes) -> Bundle:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FloorError(f"is a damaged zip file ({exc})") from None
    if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_BYTES:
        raise FloorError("is a zip too large to be an export (over 2 GB or 100,000 files unpacked)")
    files = {}
    for member in members:
        name = posixpath.normpath(member.filename.replace("\\", "/"))
        if name.startswith(("../", "/")) or name == "..":
            continue
        files[name] = member.file_size
    originals = {posixpath.normpath(m.filename.replace("\\", "/")): m for m in members}

    def opener(name: str) -> bytes:
        try:
            return archive.read(originals[name])
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
            raise FloorError(f"{name} in the zip cannot be read ({exc})") from None

    return Bundle(files, opener)


def from_folder(folder: Path) -> Bundle:
    files = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(folder).as_posix()] = path.stat().st_size
            if len(files) > MAX_FILES:
                raise FloorError("is a folder too large to be an export (over 100,000 files)", path=folder)
    return Bundle(files, lambda name: (folder / name).read_bytes())
