"""Where a site's parts live on disk, derived from its settings file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import sealing
from . import settings as settings_mod


@dataclass
class Site:
    """A From the Floor site folder: pelicanconf.py, questions/, content/."""

    root: Path
    conf_name: str = "pelicanconf.py"

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    @property
    def conf_path(self) -> Path:
        return self.root / self.conf_name

    @cached_property
    def settings(self) -> settings_mod.FloorSettings:
        return settings_mod.load(self.conf_path)

    @cached_property
    def keys(self) -> sealing.Keys:
        """The column's public key (to seal contacts) and, if here, its private key (to open them)."""
        return sealing.keys_for(self.root, self.settings.raw)

    @property
    def questions_dir(self) -> Path:
        return self.root / str(self.settings.raw["FLOOR_QUESTIONS_DIR"])

    @property
    def rejected_dir(self) -> Path:
        """Where intake keeps the messages it turned away: outside the queue, since
        queue.question_files reads only *.md directly in questions/."""
        return self.questions_dir / "inbox" / "rejected"

    @property
    def content_dir(self) -> Path:
        return self.root / str(self.settings.raw["PATH"])

    @property
    def posts_dir(self) -> Path:
        return self.content_dir / str(self.settings.raw["FLOOR_POSTS_DIR"])

    @property
    def output_dir(self) -> Path:
        return self.root / str(self.settings.raw["OUTPUT_PATH"])

    @property
    def lock_path(self) -> Path:
        return self.root / ".floor.lock"
