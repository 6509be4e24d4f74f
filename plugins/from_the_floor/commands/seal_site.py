"""`floor seal`, `floor keys init|rotate` and the plain-text check: contacts sealed across a site.

Question files are rewritten through one journal (all or nothing, and
finished by the next run if killed); only the ``contact`` values change, every
other byte of each file stays as it was. Rejected messages kept for a retry
are whole files, sealed one by one (the sealed copy lands before the plain one
goes, so a killed run loses nothing and a second run finishes).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import journal, sealing
from ..core.atomic import atomic_binary, atomic_write_text, create_exclusive
from ..core.question import Question, parse_text, read_text
from ..core.queue import question_files, question_names
from ..core.site import Site
from ..errors import FloorError, FloorErrors

# a stored contact → its replacement, or None when it needs none (already done)
Change = Callable[[str], "str | None"]

_SETTING_LINE = re.compile(rf"^{sealing.SETTING}\s*=.*$", re.MULTILINE)


@dataclass
class Report:
    files: list[Path] = field(default_factory=list)  # question files rewritten
    contacts: int = 0  # contact values sealed (or re-sealed)
    rejected: list[Path] = field(default_factory=list)  # kept messages sealed
    created_key: Path | None = None

    def lines(self, site: Site, verb: str = "sealed") -> list[str]:
        rel = site.root
        out = []
        if self.created_key:
            out.append(
                f"created the column's key pair: the private key is {self.created_key.relative_to(rel)}"
            )
        out += [f"{verb} {p.relative_to(rel)}" for p in self.files + self.rejected]
        out.append(
            f"{self.contacts} contact{'s' if self.contacts != 1 else ''} {verb} in {len(self.files)} "
            f"file{'s' if len(self.files) != 1 else ''}, {len(self.rejected)} kept message"
            f"{'s' if len(self.rejected) != 1 else ''} {verb}"
        )
        return out


def _folders(site: Site) -> list[Path]:
    return [site.questions_dir, site.posts_dir]


def plain_rejected(site: Site) -> list[Path]:
    """Kept messages not sealed yet (written before sealing, or by hand); reason notes excepted."""
    folder = site.rejected_dir
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.endswith(sealing.SEALED_FILE_SUFFIX)
        and not p.name.endswith(".reason.txt")
        and not p.name.startswith(".")
    )


_CONTACT_LINE = re.compile(r"^([ \t]*(?:-[ \t]+)?contact:[ \t]*)(\S.*?)[ \t]*$", re.MULTILINE)


def _rewrite(text: str, path: Path, change: Change) -> tuple[str, int]:
    """The file's text with every contact passed through ``change``; and how many changed.

    Each ``contact:`` line's value is replaced where it stands, so every other
    byte stays; a layout this cannot see (a flow-style list) is rewritten
    through the parsed fields instead.
    """
    import yaml

    from ..core import frontmatter_text

    sp = frontmatter_text.split(text, path)
    front = sp.front(text)
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        try:
            value = yaml.safe_load(match.group(2))
        except yaml.YAMLError:
            return match.group(0)  # the parse below reports it
        new = change(value) if isinstance(value, str) and value else None
        if new is None:
            return match.group(0)
        count += 1
        return match.group(1) + frontmatter_text.dump_scalar(new)

    text = text[: sp.fm_start] + _CONTACT_LINE.sub(swap, front) + text[sp.fm_end :]
    q = parse_text(text, path)
    if any(c and change(c) is not None for c in [q.contact, *(e.contact for e in q.also_asked_by)]):
        return _rewrite_fields(text, path, change, count)
    return text, count


def _rewrite_fields(text: str, path: Path, change: Change, count: int) -> tuple[str, int]:
    from ..core import edit, frontmatter_text

    q = parse_text(text, path)
    new = change(q.contact) if q.contact else None
    if new is not None:
        text = frontmatter_text.set_field(text, "contact", new, path)
        count += 1
    entries, moved = [], 0
    for entry in q.also_asked_by:
        new = change(entry.contact) if entry.contact else None
        if new is not None:
            entry = replace(entry, contact=new)
            moved += 1
        entries.append(entry)
    if moved:
        text = edit.with_also_asked_by(text, path, entries)
    return text, count + moved


def _plan(site: Site, change: Change) -> tuple[dict[str, str], Report]:
    """Every question file's new text, computed (and checked) before anything is written."""
    writes: dict[str, str] = {}
    report = Report()
    errors: list[FloorError] = []
    for folder in _folders(site):
        for path in question_files(folder):
            try:
                text = read_text(path)
                new_text, count = _rewrite(text, path, change)
                if count:
                    parse_text(new_text, path)  # still reads back
            except FloorError as exc:
                errors.append(exc)
                continue
            if count:
                writes[str(path.relative_to(site.root))] = new_text
                report.files.append(path)
                report.contacts += count
    if errors:
        raise FloorErrors(errors)
    return writes, report


def ensure_keys(site: Site) -> Path | None:
    """Create the key pair if the site has none; the new key file's path, or None."""
    keys = site.keys
    if keys.recipient:
        return None
    if keys.key_file.exists():
        raise FloorError(
            f"a key file exists but {sealing.SETTING} is not set in {site.conf_name}; "
            "copy the public key from the file's '# public key:' line into the setting",
            path=keys.key_file,
        )
    secret, public = sealing.generate()
    sealing.write_key_file(keys.key_file, secret)
    set_recipient(site, public)
    _ignore_key_folder(site)
    return keys.key_file


def set_recipient(site: Site, public: str) -> None:
    """Put the public key in pelicanconf.py (replacing an earlier one), atomically."""
    text = read_text(site.conf_path)
    line = f'{sealing.SETTING} = "{public}"'
    if _SETTING_LINE.search(text):
        new = _SETTING_LINE.sub(line, text, count=1)
    else:
        comment = "# The column's public key: readers' contacts are stored sealed to it (floor keys)."
        new = text.rstrip("\n") + f"\n\n{comment}\n{line}\n"
    atomic_write_text(site.conf_path, new)
    site.keys.recipient = public


def _ignore_key_folder(site: Site) -> None:
    from ..core import gitignore

    gitignore.ensure(site.root, ".floor/", also=(".floor", "/.floor/"))


def seal(site: Site) -> Report:
    """Seal every plain contact in the site; a second run finds nothing to do."""
    with journal.locked(site):
        created = ensure_keys(site)
        keys = site.keys
        writes, report = _plan(site, lambda c: None if sealing.is_sealed(c) else keys.seal(c))
        report.created_key = created
        if writes:
            journal.commit(site, journal.Change(write=writes, summary="floor seal"))
        for path in plain_rejected(site):
            target = path.with_name(path.name + sealing.SEALED_FILE_SUFFIX)
            if not target.exists():
                create_exclusive(target, keys.seal_bytes(path.read_bytes()))
            path.unlink()
            report.rejected.append(target)
    return report


def rotate(site: Site) -> Report:
    """Re-seal everything to a new key pair; the old key stays in the key file to read git history."""
    with journal.locked(site):
        keys = site.keys
        if not keys.recipient:
            raise FloorError(sealing.NO_RECIPIENT_FIX)
        if not keys.can_open:
            raise sealing.MissingKey(sealing.NO_KEY_FIX)
        old_identities = [str(i) for i in keys.identities]
        secret, public = sealing.generate()
        fresh = sealing.Keys(root=site.root, recipient=public)
        produced: set[str] = set()

        def reseal(value: str) -> str | None:
            if value in produced:
                return None
            new = fresh.seal(keys.open(value) or value) or value
            produced.add(new)
            return new

        writes, report = _plan(site, reseal)
        sealed_files = sorted(site.rejected_dir.glob(f"*{sealing.SEALED_FILE_SUFFIX}"))
        reopened = {p: keys.open_bytes(p.read_bytes(), where=p) for p in sealed_files}
        # the new key first, the old ones kept below it: every state on the way opens
        retired = "".join(f"# retired key\n{line}\n" for line in dict.fromkeys(old_identities))
        sealing.write_key_file(keys.key_file, secret + retired)
        journal.commit(site, journal.Change(write=writes, summary="floor keys rotate"))
        set_recipient(site, public)  # after the files: the key file opens either state
        for path, data in reopened.items():
            with atomic_binary(path) as handle:
                handle.write(fresh.seal_bytes(data))
            report.rejected.append(path)
        site.__dict__.pop("keys", None)  # read the new key file next time
    return report


def plain_text_warnings(site: Site, parsed: Iterable[Question] = ()) -> list[FloorError]:
    """Every place a contact sits in plain text: `floor check` warns of each.

    What the warning says about git is git's answer (tracked, not committed
    yet, or no repository at all), never a guess. ``parsed``: questions already
    read from these folders (check's queue.load), not read twice.
    """
    plain: list[tuple[Path, str | None]] = []
    known = {str(q.path): q for q in parsed}
    for folder in _folders(site):
        prefix = str(folder) + os.sep
        for name in question_names(folder):
            q = known.get(prefix + name)
            if q is None:
                path = folder / name
                try:
                    q = parse_text(read_text(path), path)
                except FloorError:
                    continue  # reported as an error already
            contacts = [q.contact, *(e.contact for e in q.also_asked_by)]
            if any(c and not sealing.is_sealed(c) for c in contacts):
                plain.append((q.path, "contact"))
    plain += [(path, None) for path in plain_rejected(site)]
    if not plain:
        return []
    from ..services import gitops

    in_git = gitops.tracked(site.root, [path for path, _ in plain])
    found = []
    for path, named in plain:
        if in_git is None:
            where = "stored in plain text (the site is not a git repository yet: commit it and it is public)"
        elif path in in_git:
            where = "stored in plain text in a file git tracks (it is in the repository's history)"
        else:
            where = "stored in plain text in a file not committed yet"
        kept = "a kept message " if named is None else ""
        found.append(FloorError(f"{kept}{where}; run 'floor seal'", path=path, field=named))
    return found
