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
