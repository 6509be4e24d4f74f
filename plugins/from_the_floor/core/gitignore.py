"""Lines a site's .gitignore must hold, added to sites made before the kit needed them."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write_text

# the build manifest (core/build_manifest.py) describes output/, which is not committed either
BUILD_MANIFEST = ".*.manifest.json"


def ensure(root: Path, pattern: str, *, also: tuple[str, ...] = (), comment: str | None = None) -> bool:
    """Append ``pattern`` to ``root/.gitignore`` unless it (or one of ``also``) is there; True if added."""
    path = Path(root) / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    if pattern in present or present.intersection(also):
        return False
    block = (f"# {comment}\n" if comment else "") + pattern + "\n"
    atomic_write_text(path, text.rstrip("\n") + ("\n" if text else "") + block)
    return True


# what the kit itself writes beside a site's sources while it works (the skeleton's .gitignore
# has each): the queue's lock and journal, the build's spare copy of output/ and other
# temporary files, its record, a Save's kept edit
KIT_FILES = (".floor.lock", ".floor-journal.json", ".*.tmp", BUILD_MANIFEST, ".*.rejected-edit.md")


def ensure_kit_files(root: Path) -> list[str]:
    """Add each of :data:`KIT_FILES` that ``root/.gitignore`` lacks (a blog that added the plugin
    has none of them: `git add -A` committed a whole spare copy of its site); the lines added."""
    added = []
    for pattern in KIT_FILES:
        if ensure(root, pattern, comment="From the Floor's working files" if not added else None):
            added.append(pattern)
    return added


def kit_files_note(root: Path) -> str | None:
    """:func:`ensure_kit_files`, and the line that tells the author what it added (None: nothing)."""
    added = ensure_kit_files(root)
    if not added:
        return None
    return f"{root / '.gitignore'}: now ignores {', '.join(added)} (the kit's working files)"
