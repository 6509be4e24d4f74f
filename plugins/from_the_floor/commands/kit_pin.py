"""The kit version a site pins in its own requirements.txt, which the weekly job installs from.

A `floor init` site is not a Python project: it is content plus settings. Its one
dependency is the kit, pinned exactly (``from-the-floor==X.Y.Z``) so that every
week's run builds with the version the author tried, until `floor upgrade` moves it.
This repository is the exception: it *is* the kit, so its demo workflow installs
the checkout and needs no pin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from ..core.atomic import atomic_write_text
from ..errors import FloorError
from ..paths import SKELETON_DIR

if TYPE_CHECKING:
    from packaging.requirements import Requirement

# `packaging` (about 30 ms to import) is imported by the functions that read a requirement as pip
# does; `floor check` on a site pinned plainly at the running kit never needs it (_plainly_pinned)

DIST = "from-the-floor"
REQUIREMENTS = "requirements.txt"
_PROJECT_NAME = re.compile(r'^\s*name\s*=\s*["\']from[-_.]the[-_.]floor["\']', re.MULTILINE | re.IGNORECASE)


def installed_version() -> str:
    """The version of the kit running now: version.py's, which is where the wheel's metadata
    takes it from (pyproject.toml), so the two are one; reading it costs no importlib.metadata
    (about 0.03 s of every `floor check`), and an editable install whose version.py moved on
    says the version of the code that runs."""
    from ..version import __version__

    return __version__


def is_kit_checkout(root: Path) -> bool:
    """True in this repository (its pyproject.toml is the kit's): the workflow installs the checkout."""
    pyproject = Path(root) / "pyproject.toml"
    try:
        return bool(_PROJECT_NAME.search(pyproject.read_text(encoding="utf-8")))
    except (OSError, ValueError):  # unreadable or not UTF-8: not the kit's pyproject
        return False


def requirements_text(version: str) -> str:
    """A new site's requirements.txt, pinning the kit at ``version``."""
    return Template((SKELETON_DIR / "requirements.txt.tmpl").read_text(encoding="utf-8")).substitute(
        version=version
    )


@dataclass(frozen=True)
class Entry:
    """One requirement of a requirements file, read as pip reads it."""

    line: int  # 1-based: where it starts
    last: int  # where it ends (a `\` continuation spans lines, as lock tools write them)
    requirement: Requirement
    options: str  # what follows the requirement: `--hash=…` and the like


_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTION = re.compile(r"\s--?[a-zA-Z]")


def entries(text: str) -> list[Entry]:
    """The requirements in ``text``; option lines (-r, --index-url), URLs and paths are pip's
    business and left out. Comments go as pip drops them: a `#` at the start or after a space."""
    from packaging.requirements import InvalidRequirement, Requirement

    found: list[Entry] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        start, logical = number, ""
        while True:
            piece = _COMMENT.sub("", lines[number]).rstrip()
            number += 1
            if piece.endswith("\\") and number < len(lines):
                logical += piece[:-1] + " "
                continue
            logical += piece
            break
        logical = logical.strip()
        if not logical or logical.startswith("-"):
            continue
        cut = _OPTION.search(logical)
        spec, options = (logical[: cut.start()], logical[cut.start() :]) if cut else (logical, "")
        try:
            requirement = Requirement(spec.strip())
        except InvalidRequirement:
            continue
        found.append(Entry(start + 1, number, requirement, options.strip()))
    return found


@dataclass(frozen=True)
class Pin:
    """The kit's entry in a requirements file."""

    path: Path
    line: int  # 1-based
    requirement: Requirement
    last: int = 0  # the entry's last line, when it spans several
    options: str = ""

    @property
    def version(self) -> str | None:
        """The exact version pinned with ``==``, or None for a range (``>=0.1``)."""
        specs = list(self.requirement.specifier)
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            return specs[0].version
        return None


def _upgrade_command(root: Path) -> str:
    return "floor upgrade" if Path(root) == Path(".") else f"floor --site {root} upgrade"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FloorError(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", path=path) from None


def find_pin(root: Path) -> Pin:
    """The kit's requirement in ROOT/requirements.txt; a missing file or no kit line is a FloorError."""
    from packaging.utils import canonicalize_name

    path = Path(root) / REQUIREMENTS
    try:
        text = _read(path)
    except FileNotFoundError:
        raise FloorError(
            "missing: the weekly job installs the kit from this file; "
            f"`{_upgrade_command(root)}` writes it, pinning the installed {installed_version()}",
            path=path,
        ) from None
    for entry in entries(text):
        if canonicalize_name(entry.requirement.name) == DIST:
            return Pin(path, entry.line, entry.requirement, entry.last, entry.options)
    raise FloorError(
        f"names no {DIST}, so the weekly job would install no `floor`; add the line "
        f"`{DIST}=={installed_version()}` (`{_upgrade_command(root)}` does)",
        path=path,
    )


WEEKLY_WORKFLOW = Path(".github") / "workflows" / "weekly.yml"


def check(root: Path) -> tuple[list[FloorError], list[FloorError]]:
    """(errors, warnings) about a site's kit pin, for `floor check`; none in the kit's own checkout,
    nor in a site without the weekly job (a blog that added the plugin and builds by hand: its
    requirements.txt, if any, is its own business until `floor workflow --write` adds the job)."""
    if is_kit_checkout(root):
        return [], []
    if not (Path(root) / WEEKLY_WORKFLOW).is_file():
        return [], []
    if _plainly_pinned(Path(root) / REQUIREMENTS):
        return [], []
    try:
        pin = find_pin(root)
    except FloorError as exc:
        return [exc], []
    note = mismatch(pin)
    return [], ([FloorError(note, path=pin.path, line=pin.line)] if note else [])


_SIMPLE = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==([0-9A-Za-z.+!_-]+)")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def _plainly_pinned(path: Path) -> bool:
    """True when every line of the file is blank, a comment or a plain ``name==version``, and
    the first line naming the kit pins exactly the running version: what :func:`find_pin` and
    :func:`mismatch` would find no fault with, decided without `packaging`. Anything else (a
    marker, extras, options, a continued line, another version) is False: the full reading."""
    running = installed_version()
    if not _RELEASE.fullmatch(running):
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        simple = _SIMPLE.fullmatch(line)
        if simple is None:
            return False
        name, version = simple.groups()
        if re.sub(r"[-_.]+", "-", name).lower() == DIST:  # packaging's canonical name, as pip compares
            return version == running
    return False


def mismatch(pin: Pin) -> str | None:
    """One line when the pinned version is not the one running, else None."""
    running = installed_version()
    pinned = pin.version
    if pinned is not None:
        if _same(pinned, running):
            return None
        return (
            f"pins {DIST} {pinned} but {running} is installed here; the weekly job uses {pinned} "
            f"(`floor upgrade` moves the pin to {running})"
        )
    if pin.requirement.specifier.contains(running, prereleases=True):
        return None
    return f"{DIST}{pin.requirement.specifier} does not allow the installed {running}"


def _same(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def target_version(to: str | None) -> str:
    """The version `floor upgrade` pins: ``to`` (checked to be a version number), else the installed one."""
    from packaging.version import InvalidVersion, Version

    target = to or installed_version()
    try:
        Version(target)
    except InvalidVersion:
        raise FloorError(f"{target!r} is not a version number (e.g. 0.2.0)", field="--to") from None
    return target


def upgrade(root: Path, to: str | None = None) -> tuple[str | None, str]:
    """Pin the kit at ``to`` (default: the installed version) → (old pin or None, new version).

    Only the kit's line changes; the author's other lines and comments are kept.
    A missing file is written; a file without the kit gets its line appended.
    """
    target = target_version(to)
    path = Path(root) / REQUIREMENTS
    try:
        pin = find_pin(root)
    except FloorError:
        if not path.exists():
            atomic_write_text(path, requirements_text(target))
            return None, target
        text = _read(path)
        joint = "" if text.endswith("\n") or not text else "\n"
        atomic_write_text(path, f"{text}{joint}{DIST}=={target}\n")
        return None, target
    if pin.options or pin.last > pin.line:
        raise FloorError(
            f"pins {DIST} with `{pin.options.split()[0] if pin.options else 'a continued line'}`: "
            f"a version change needs new hashes, so regenerate the file with the tool that wrote it "
            f"(e.g. `uv pip compile --generate-hashes`), pinning {DIST}=={target}",
            path=path,
            line=pin.line,
        )
    lines = _read(path).splitlines(keepends=True)
    old = lines[pin.line - 1]
    kept = re.search(r"\s+#.*$", old.rstrip("\n"))  # the author's comment, spacing and all
    comment = kept.group(0) if kept else ""
    extras = f"[{','.join(sorted(pin.requirement.extras))}]" if pin.requirement.extras else ""
    marker = f"; {pin.requirement.marker}" if pin.requirement.marker else ""
    lines[pin.line - 1] = f"{DIST}{extras}=={target}{marker}{comment}\n"
    atomic_write_text(path, "".join(lines))
    return pin.version or str(pin.requirement.specifier) or None, target


_OLD_ENTRY_LINE = re.compile(
    r"""^(?P<indent>\s*)(?P<q>["'])(?P<name>from_the_floor\.(?:plugin|reader_site|retirement))(?P=q)"""
    r"""\s*,?\s*(?:#.*)?$"""
)


def refit_plugins(conf: Path) -> list[str]:
    """Rewrite an older kit's ``PLUGINS`` entries in ``conf`` to the one entry → the old names.

    Only lines that hold nothing but one old entry (as `floor init` wrote them) change: the
    first becomes the one entry, the others go; the author's own plugins and lines stay. The
    file is read back; if the old names are still there (written some other way) it is put
    back as it was and the error says to edit it by hand. Nothing to do: [].
    """
    from ..core import settings as settings_mod

    raw = settings_mod.read_conf(conf)
    old = settings_mod.old_plugin_entries(raw)
    if not old:
        return []
    text = conf.read_text(encoding="utf-8")
    listed = raw.get("PLUGINS") or ()
    have_one = any(str(p) in (settings_mod.ONE_PLUGIN_ENTRY, "from_the_floor") for p in listed)
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        found = _OLD_ENTRY_LINE.match(line.rstrip("\n"))
        if found is None:
            lines.append(line)
        elif not have_one:
            have_one = True
            entry = f'"{settings_mod.ONE_PLUGIN_ENTRY}",  # one entry: posts, reader site, retirement'
            lines.append(f"{found['indent']}{entry}\n")
    atomic_write_text(conf, "".join(lines))
    try:
        left = settings_mod.old_plugin_entries(settings_mod.read_conf(conf))
    except FloorError:
        left = old
    if left:
        atomic_write_text(conf, text)
        raise FloorError(
            f"PLUGINS lists {', '.join(map(repr, left))} in a way `floor upgrade` does not rewrite; "
            f'replace them by hand with the one entry "{settings_mod.ONE_PLUGIN_ENTRY}" (nothing was '
            "changed)",
            path=conf,
            field="PLUGINS",
        )
    return old
