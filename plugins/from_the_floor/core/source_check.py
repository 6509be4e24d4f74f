"""The contact guard at the source: every file a build reads, checked before Pelican writes a page.

No contact is ever handed to Pelican (the plugin never reads the private
fields into a page), so a reader's contact can reach the built site only
through text the site is built from: answers, questions and details, pages,
templates, static files, settings, imported posts. Each such file is read
the way a reader would read what it becomes (contact_recogniser: entities,
Markdown's escapes, invisible characters, bidi, look-alikes, defanged forms,
any phone separator), and a contact found is reported by file and line,
never by what it is. In a question or post file the private fields
(``contact``, ``also_asked_by``, ``declined``, ``notified``, ``intake_id``)
are left out: they are where contacts belong, and never reach a page.

Compressed static files (gzip, zip) are looked into, as the output guard did.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FloorError
from . import build_manifest, guard, parse_cache, readers_file, sealing
from .atomic import atomic_binary
from .guard import Detector, readable_parts
from .settings import phone_region, site_module_files

if TYPE_CHECKING:
    from .question import Question
    from .site import Site

# the front-matter keys whose values never reach a page (question.PRIVATE_FIELDS, ``notify`` a flag)
_PRIVATE = re.compile(r"(?:contact|also_asked_by|declined|notified|intake_id)[ \t]*:")
_FENCE = ("---", "...")
MAX_SHOWN = 20
# the words of a refusal, the same in `floor build` and `floor check`
LEAK = "a reader's private contact detail is in the files the site is built from"
FIX = "take it out (a reader's contact belongs only in the `contact` field)"


def public_text(text: str) -> str:
    """A question or post file with its private front-matter fields blanked (lines kept, so line
    numbers still point into the file)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    out = [lines[0]]
    skipping = False
    for n in range(1, len(lines)):
        line = lines[n]
        if line.strip() in _FENCE:
            out += lines[n:]
            break
        if line and not line[0].isspace() and not line.startswith(("#", "- ", "-\t")) and line != "-":
            skipping = _PRIVATE.match(line) is not None
        out.append("" if skipping else line)
    return "\n".join(out)


def leaks_in(
    files: Iterable[Path], detector: Detector, *, question_folders: Iterable[Path] = ()
) -> list[tuple[Path, int]]:
    """(file, line) for each place a source shows a contact; files under ``question_folders``
    are read without their private fields."""
    return [(path, line) for path, line, _ in _leaks(files, detector, question_folders)]


def _leaks(
    files: Iterable[Path], detector: Detector, question_folders: Iterable[Path]
) -> list[tuple[Path, int, str | None]]:
    """(file, line, the contact field found) for each place a source shows a contact."""
    if not detector.recogniser:
        return []
    private = _private_prefixes(question_folders)
    found: list[tuple[Path, int, str | None]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found += _file_leaks(path, data, detector, private)
    return found


def _private_prefixes(folders: Iterable[Path]) -> tuple[str, ...]:
    """The folders whose files are read without their private fields, as path prefixes."""
    return tuple(str(Path(folder).absolute()) + os.sep for folder in folders)


def _file_leaks(
    path: Path, data: bytes, detector: Detector, private: tuple[str, ...]
) -> list[tuple[Path, int, str | None]]:
    full = str(path.absolute())
    is_question = path.suffix == ".md" and full.startswith(private)
    if path.suffix == ".jsonl" and path.parent.name == readers_file.FOLDER and full.startswith(private):
        return []  # a readers file: every field in it is private (readers_file.py), none reaches a page
    for part in readable_parts(data):
        text = part.decode("utf-8", errors="ignore")
        if is_question:
            text = public_text(text)
        lines = detector.lines(text)
        if lines:
            rows = text.splitlines()
            return [(path, n, _found_at(detector, rows, n) or detector.find(text)) for n in lines]
    return []


def _found_at(detector: Detector, rows: list[str], n: int) -> str | None:
    """The contact shown on line ``n``, or by it and the next (a form split over two lines)."""
    return (
        detector.find(rows[n - 1]) or detector.find("\n".join(rows[n - 1 : n + 1]))
        if n <= len(rows)
        else None
    )


def check(
    files: Iterable[Path], detector: Detector, *, site_root: Path, question_folders: Iterable[Path] = ()
) -> None:
    """Refuse the build, naming each file and line (never the contact), if a source shows a contact."""
    question_folders = list(question_folders)
    _refuse(_leaks(sorted(set(files)), detector, question_folders), site_root, question_folders)


def check_inputs(
    inputs: Mapping[str, build_manifest.Stamp],
    detector: Callable[[], Detector],
    *,
    site_root: Path,
    cache: Path,
    question_folders: Iterable[Path],
    region: str | None,
) -> None:
    """:func:`check` for a build's inputs (build manifest keys -> their stamps as the build took
    them), reading only the files not already found clean under the same contacts (the
    verdicts `floor check` keeps too, in ``cache``): a file whose stat, or else whose digest,
    is the one found clean is not read by the recogniser, and when no file needs reading the
    detector (``detector()``: every contact opened, the pattern compiled) is never made."""
    folders = list(question_folders)
    root = Path(site_root)
    top = str(root)
    verdicts = Verdicts.load(cache, root, folders, region)
    todo: dict[str, Path] = {}
    for key in inputs:
        path = key if os.path.isabs(key) else os.path.join(top, key)  # (as files_of names it)
        try:
            st = os.stat(path)
        except OSError:
            continue
        if not verdicts.clean(key, path, st, inputs[key]):
            todo[key] = Path(path)
    leaks = verdicts.scan(todo, detector, folders)
    verdicts.save(inputs)
    _refuse(leaks, root, folders)


def _refuse(leaks: list[tuple[Path, int, str | None]], site_root: Path, question_folders: list[Path]) -> None:
    if not leaks:
        return
    root = Path(site_root).absolute()
    owners = guard.contact_owners(question_folders)
    lines = [
        f"  {_shown(path, root)}, line {n}{_whose(found, owners, root, path)}" for path, n, found in leaks
    ]
    more = f"\n  … and {len(leaks) - MAX_SHOWN} more" if len(leaks) > MAX_SHOWN else ""
    raise FloorError(
        f"{LEAK}; the build is refused and output/ keeps the last good build. "
        f"In each of these lines, {FIX}:\n" + "\n".join(lines[:MAX_SHOWN]) + more,
        path=root,
    )


def _shown(path: Path, root: Path) -> str:
    full = Path(path).absolute()
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else str(full)


def _whose(found: str | None, owners: dict[str, Path], root: Path, where: Path) -> str:
    """Whose contact, by the question file it was given in (never the contact itself)."""
    owner = owners.get(found) if found is not None else None
    if owner is None:
        return ""
    if Path(owner).absolute() == Path(where).absolute():
        return " (the contact of the reader who asked this question)"
    return f" (the contact of the reader who asked in {_shown(owner, root)})"


def files_of(inputs: Iterable[str], site_root: Path) -> list[Path]:
    """The build's input files (build manifest keys: relative to the site, or absolute)."""
    root = Path(site_root)
    return [Path(key) if os.path.isabs(key) else root / key for key in inputs]


# --- which files: the build's inputs ---------------------------------------------------------


def input_roots(
    settings: Mapping[str, Any],
    site_root: Path,
    *,
    theme: Path,
    contact_folders: Iterable[Path],
) -> list[Path]:
    """Every folder and file a build reads: content, theme, template overrides, plugins, the
    queue and posts, the site's own files (``pelicanconf.py``, ``publishconf.py``, ``retired.json``
    …) and any settings module of the site's that this process imported. Relative paths are the
    site's (as Pelican reads them from the settings file's folder); output/ is never one."""
    root = Path(site_root)

    def at(value: Any) -> Path:
        path = Path(str(value))
        return path if path.is_absolute() else root / path

    roots = [at(settings.get("PATH") or "."), Path(theme)]
    roots += [at(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES") or ()]
    plugin_paths = settings.get("PLUGIN_PATHS") or ()
    roots += [at(p) for p in ([plugin_paths] if isinstance(plugin_paths, str) else plugin_paths)]
    roots += [Path(folder) for folder in contact_folders]
    roots.append(root / build_manifest.TOP_LEVEL)
    roots += site_module_files(root)
    output = at(settings.get("OUTPUT_PATH") or "output").absolute()
    return [r.absolute() for r in roots if r.absolute() != output]


def theme_folder(settings: Mapping[str, Any], site_root: Path) -> Path:
    """The theme a build uses, found as Pelican finds it (a folder, relative to the site, else
    one of Pelican's own themes by name), without importing Pelican."""
    import importlib.util

    theme = str(settings.get("THEME") or "notmyidea")
    path = Path(theme) if Path(theme).is_absolute() else Path(site_root) / theme
    if path.is_dir():
        return path
    spec = importlib.util.find_spec("pelican")
    places = list(spec.submodule_search_locations or ()) if spec is not None else []
    for place in places:
        if (Path(place) / "themes" / theme).is_dir():
            return Path(place) / "themes" / theme
    return path


# --- `floor check` -----------------------------------------------------------------------------

VERDICTS_FILE = "floor-source-check.json"  # in the site's CACHE_PATH, beside the parse cache


def verdicts_file(site_root: Path, settings: Mapping[str, Any]) -> Path:
    """Where `floor check` and `floor build` keep the files they found clean (:class:`Verdicts`)."""
    return parse_cache.cache_file(Path(site_root), dict(settings)).with_name(VERDICTS_FILE)


def site_problems(site: Site, parsed: Iterable[Question] = ()) -> list[FloorError]:
    """`floor check`'s contact guard: every input of a build (input_roots), read as the build's
    own check reads it, one problem per line that shows a reader's contact, named by file and
    line and by the question whose reader it is, never by the contact.

    Files found clean are remembered in ``.cache/floor-source-check.json``
    (keyed with the author's private key, so nobody else can write one the
    check accepts) under a digest of every contact *as stored*: while neither
    the contacts nor a file changed, a file costs a stat; no sealed contact is
    opened unless some file must be read again. ``parsed``: the questions
    and posts `floor check` has just read (their contacts are not read again).
    """
    raw = site.settings.raw
    folders = [site.posts_dir, site.questions_dir]
    region = phone_region(raw)
    roots = input_roots(raw, site.root, theme=theme_folder(raw, site.root), contact_folders=folders)
    files = build_manifest.input_files(roots, site.root)
    known = {
        _absolute(q.path): [str(c) for c in (q.contact, *(a.contact for a in q.also_asked_by)) if c]
        for q in parsed
        if q.path is not None
    }
    verdicts = Verdicts.load(verdicts_file(site.root, raw), site.root, folders, region, known)
    todo = {key: Path(path) for key, (path, st) in files.items() if not verdicts.clean(key, path, st)}
    leaks = verdicts.scan(todo, lambda: guard.folder_detector(folders, region, known), folders)
    verdicts.save(files)
    if not leaks:
        return []
    owners = guard.contact_owners(folders, known)
    root = site.root.absolute()
    return [
        FloorError(
            f"{LEAK}{_whose(found, owners, root, path)}: `floor build` refuses it; {FIX}",
            path=path,
            line=line,
        )
        for path, line, found in leaks
    ]


def _absolute(path: Path) -> str:
    """The path as os.path.abspath gives it, without its cost when it is absolute already (a
    look-up that misses only means the file's contacts are read from the file)."""
    text = str(path)
    return text if os.path.isabs(text) else os.path.abspath(text)


class Verdicts:
    """Input files found clean, by their stat and digest, under one set of contacts.

    Kept in ``.cache/floor-source-check.json``, which `floor check` and
    `floor build` share. The file is keyed with the column's private key: its
    ``key`` is a keyed digest of everything a verdict depends on besides the
    file's bytes (the recogniser's code and data, the phone region, the
    folders whose files are read without their private fields, and every
    reader's contact as stored, sealed or not), and its ``mac`` signs the
    records. A new reader, a changed or removed contact, another region or
    another kit means another key: every file is read again, so an old page
    that shows a contact taken in since is found. A file that shows a contact
    is never recorded. Without the private key nothing is kept or trusted
    (anyone can write a file in ``.cache/``, a CI cache included): every file
    is read, as before verdicts were kept.
    """

    def __init__(self, path: Path | None, mac_key: bytes | None, key: str, files: dict[str, list]) -> None:
        self.path, self.mac_key, self.key, self.files = path, mac_key, key, files
        self.now = time.time_ns()
        self.changed = False

    @classmethod
    def load(
        cls,
        cache: Path,
        site_root: Path,
        folders: list[Path],
        region: str | None,
        known: dict[str, list[str]] | None = None,
    ) -> Verdicts:
        """The verdicts in ``cache`` if they were made under this very key, else none (and a
        fresh record under this key). ``known``: contacts of files just parsed, by path."""
        mac_key = sealing.keys_near(folders).mac_key("floor-check-verdicts")
        if mac_key is None:  # no private key: nothing kept (a forged file could hide a leak)
            return cls(None, None, "", {})
        key = _verdict_key(mac_key, site_root, folders, region, known)
        return cls(Path(cache), mac_key, key, _read_verdicts(Path(cache), key, mac_key))

    def clean(
        self, key: str, path: str | Path, st: os.stat_result, stamp: build_manifest.Stamp | None = None
    ) -> bool:
        """True when the file was found clean and is unchanged: by its stat (size, mtime and ctime,
        recorded out of the racy window), else by its digest: the build's own ``stamp`` of it
        ([size, mtime, digest, ctime], taken before Pelican) while its stat is still that
        stamp's, else the file's bytes read again."""
        known = self.files.get(key)
        if known is None:
            return False
        if known[1] == st.st_mtime_ns and known[0] == st.st_size and known[2] == st.st_ctime_ns:
            return True  # (a record taken in the racy window has mtime -1: never equal)
        if stamp is not None and [st.st_size, st.st_mtime_ns, st.st_ctime_ns] == [
            stamp[0],
            stamp[1],
            stamp[3],
        ]:
            if stamp[2] != known[3]:
                return False
            self._stamp(key, st, stamp[2])
            return True
        try:
            data = Path(path).read_bytes()
        except OSError:
            return False
        if build_manifest.digest_bytes(data) != known[3]:
            return False
        self.found_clean(key, st, data)
        return True

    def scan(
        self, todo: Mapping[str, Path], detector: Callable[[], Detector], folders: list[Path]
    ) -> list[tuple[Path, int, str | None]]:
        """Read the files of ``todo`` (key -> path) with the recogniser: (file, line, contact) for
        each place one shows a contact; each clean one is recorded."""
        if not todo:
            return []
        found_by = detector()
        if not found_by.recogniser:
            return []
        private = _private_prefixes(folders)
        leaks: list[tuple[Path, int, str | None]] = []
        for key, path in sorted(todo.items()):
            try:
                st = path.stat()
                data = path.read_bytes()
            except OSError:
                continue
            found = _file_leaks(path, data, found_by, private)
            if found:
                leaks += found
            else:
                self.found_clean(key, st, data)
        return leaks

    def found_clean(self, key: str, st: os.stat_result, data: bytes) -> None:
        self._stamp(key, st, build_manifest.digest_bytes(data))

    def _stamp(self, key: str, st: os.stat_result, digest: str) -> None:
        if self.path is None:
            return
        racy = parse_cache.is_racy(parse_cache.stamp_of(st), self.now)
        record = [st.st_size, -1 if racy else st.st_mtime_ns, st.st_ctime_ns, digest]
        if self.files.get(key) != record:
            self.files[key] = record
            self.changed = True

    def save(self, files: Iterable[str]) -> None:
        """Write the verdicts of ``files`` (the inputs now: others are forgotten), if any changed."""
        names = set(files)
        gone = self.files.keys() - names
        if self.path is None or self.mac_key is None or not (self.changed or gone):
            return
        kept = {k: v for k, v in self.files.items() if k in names}
        body = sealing.json_body(kept)
        head = json.dumps({"key": self.key, "mac": sealing.bytes_mac(body, self.mac_key)}).encode()
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_binary(self.path) as handle:
                handle.write(head + b"\n" + body + b"\n")


def _read_verdicts(cache: Path, key: str, mac_key: bytes) -> dict[str, list]:
    """The verdicts kept in ``cache`` under ``key``, if their signature is right; else none.

    The file is a line naming the key and the signature, then the verdicts as the exact JSON
    text the signature covers: another key is refused without reading the rest, and checking
    the signature costs a hash of those bytes, not a second serialisation of 10,000 entries."""
    try:
        head, _, body = Path(cache).read_bytes().partition(b"\n")
        saved = json.loads(head)
        body = body.rstrip(b"\n")
        if saved["key"] != key:
            return {}
        if not hmac.compare_digest(str(saved["mac"]), sealing.bytes_mac(body, mac_key)):
            return {}
        files = json.loads(body)
        return {k: v for k, v in files.items() if isinstance(v, list) and len(v) == 4}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _verdict_key(
    mac_key: bytes,
    site_root: Path,
    folders: list[Path],
    region: str | None,
    known: dict[str, list[str]] | None,
) -> str:
    """What a verdict depends on besides the file's bytes, keyed with the private key (so the
    digest of a contact cannot be tested against a guess)."""
    h = hashlib.blake2b(key=mac_key, digest_size=32)
    root = os.path.abspath(site_root)
    places = [os.path.relpath(os.path.abspath(folder), root) for folder in folders]
    contacts = sorted(guard.contact_values(folders, known))
    for part in (_code_digest(), str(region), *places, "", *contacts):
        h.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


@functools.cache
def _code_digest() -> str:
    """The recogniser's code and data (its confusables table, Python's Unicode tables, the
    installed phonenumbers and idna it reads numbers and domains with) and this module's:
    a verdict made by another recogniser is not taken."""
    import unicodedata

    from . import contact_recogniser

    h = hashlib.blake2b(digest_size=16)
    data = Path(contact_recogniser.__file__ or "").with_name(contact_recogniser._DATA)
    for name in (contact_recogniser.__file__, guard.__file__, __file__, *sorted(data.glob("*.txt"))):
        with open(name or "", "rb") as f:
            h.update(f.read())
    from ..version import __version__

    libraries = [n for n in build_manifest.packages() if n.lower().startswith(("phonenumbers", "idna"))]
    for part in (__version__, unicodedata.unidata_version, *libraries):
        h.update(part.encode() + b"\x00")
    return h.hexdigest()
