"""One build against the last: which pages to keep, which outputs are gone, what to record.

The build manifest (core/build_manifest.py) says what the last build that
passed the contact guard read and wrote. This module, given a Pelican
instance, decides whether that manifest can be trusted (same kit, Pelican,
packages and settings: the build key), keeps every page whose signature
(page_signatures.py) is unchanged and whose file still has the bytes the last
build wrote (by digest; anything in the staging copy of output/ that the
record does not vouch for is removed first, so it is made again or not at
all), removes the outputs the last build made that this one no longer makes,
and records the new manifest once the guard has passed. The posts' digests
the manifest keeps are used only from a record made under the same build key
and signed with the column's key (:meth:`Plan._kept_posts`).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pelican

from ..core import build_manifest as manifest_mod
from ..core import guard
from ..core.build_manifest import Counts, Manifest
from ..version import __version__
from . import build_state, retirement
from .page_signatures import ADDRESS, Signer

# settings keys that differ from build to build, left out of the build key: the build's own
# state, the staging folder's name, and the retirement forecast the plugin works out from the
# queue each build (a page whose templates read it is signed with its value, like any other),
# and whether Pelican's reader cache is loaded (the kit turns it off for a build whose cache
# was made under other settings: reading again changes no page)
_VOLATILE = frozenset({*build_state.KEYS, "OUTPUT_PATH", retirement.FORECAST_KEY, "LOAD_CONTENT_CACHE"})
# what a site keeps in output/ itself for its host, never made by a build: a custom domain
# (GitHub Pages' CNAME), Jekyll switched off, a gh-pages worktree; carried over as before
HOST_FILES = frozenset({"CNAME", ".nojekyll", ".git"})


def settings_key(settings: dict, site_root: Path | None = None) -> str:
    """The build key: what reaches every page at once.

    Paths inside the site count relative to it (Pelican makes PATH, THEME and the like
    absolute), so the same site checked out in another folder has the same key.
    """
    root = str(Path(site_root).absolute()) if site_root is not None else None

    def place(value: Any) -> Any:
        if root and isinstance(value, str) and value.startswith(root):
            return "<site>" + value[len(root) :]
        if isinstance(value, dict):
            return {k: place(v) for k, v in value.items()}
        if isinstance(value, list):
            return [place(v) for v in value]
        return value

    return manifest_mod.digest_text(
        manifest_mod.FORMAT,
        __version__,
        manifest_mod.kit_code(),
        pelican.__version__,
        sys.version,
        list(manifest_mod.packages()),
        place({k: _canonical(v) for k, v in sorted(settings.items()) if k not in _VOLATILE}),
    )


def with_catalogues(key: str, inputs: dict[str, manifest_mod.Stamp]) -> str:
    """The build key with the message catalogues the site holds (a theme's or a plugin's
    ``.mo``, which i18n_subsites and the like install): a catalogue's words may be on every
    page, and no template or value names it. The kit's own are in its code's digest."""
    catalogues = sorted((rel, stamp[2]) for rel, stamp in inputs.items() if rel.endswith(".mo"))
    return manifest_mod.digest_text(key, catalogues) if catalogues else key


def _canonical(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        return "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _canonical(v, depth + 1) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(_canonical(v, depth + 1)) for v in value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return ADDRESS.sub("", f"{type(value).__qualname__}:{value!r}")


class Plan:
    """This build's view of the last one."""

    def __init__(
        self,
        instance,
        *,
        site_root: Path,
        output: Path,
        full: bool,
        fast: str,
        previous: Manifest | None = None,
        stamps: dict[str, manifest_mod.Stamp] | None = None,
        stamped_ns: int | None = None,
        signing: bytes | None = None,
        forged: bool = False,
        unsigned: bool = False,
        other: bool = False,
        read: tuple[dict[str, manifest_mod.Stamp], int] | None = None,
    ) -> None:
        """``previous`` and ``stamps``: the manifest and the input stamps the check before
        Pelican (or the questions' worker beside Pelican's import) already took, if it got that
        far (else the manifest is read here); ``stamped_ns``: when those stamps were begun, from
        which their racy window is judged.
        ``read``: stamps the questions' check took of the files it read in this build, and
        when it started (build_manifest.stamp_inputs), so those are not read again here.
        ``signing``: the key the manifest is signed with (record_key), when the private key is
        here; ``forged``: the check before Pelican found a record with a wrong signature
        (``unsigned``: with none)."""
        settings = instance.settings
        self.site_root = Path(site_root)
        self.path = manifest_mod.path_for(output)
        self.signing = signing
        if previous is None and not forged:
            found = manifest_mod.read(self.path, signing)
            previous, forged, unsigned = found.manifest, found.forged, found.unsigned
            other = found.other
        self.previous = previous
        self.fast = fast
        self.settings = settings
        self.counts = Counts(distrusted=forged, unsigned=forged and unsigned)
        self.verified: dict[str, manifest_mod.Stamp] = {}  # kept outputs whose bytes were checked
        self.written: dict[str, manifest_mod.Stamp] = {}  # what this build wrote, as its writers saw it
        self.unwritten: dict[str, tuple[int, int]] = {}  # output/'s files as recorded, by inode
        self.kinds: dict[str, tuple[str, str | None]] = {}
        self.detector: guard.Detector | None = None  # the guard's, once the pages are signed
        # made once Pelican's generators have recorded every page, let go once they are signed
        self.signer: Signer | None = None
        # the post records for the manifest, taken once every page is signed (before_writing)
        self.posts: dict[str, list] = {}
        self.roots = _input_roots(instance, self.site_root)
        self.started_ns = time.time_ns()
        known = stamps if stamps is not None else self.previous.inputs if self.previous is not None else None
        # stamped before Pelican reads anything: a file changed later is seen as changed next time
        same_roots = self.previous is not None and self.previous.roots == manifest_mod.root_names(
            self.roots, self.site_root
        )
        self.inputs_ns = self.started_ns  # from when the inputs' racy window is judged (at save)
        if stamps is not None and same_roots:
            self.inputs = stamps  # the check before Pelican stamped these very folders a moment ago
            if stamped_ns is not None:
                self.inputs_ns = min(stamped_ns, self.started_ns)
        else:
            self.inputs = manifest_mod.stamp_inputs(self.roots, self.site_root, known, read)
        self.key = with_catalogues(settings_key(settings, self.site_root), self.inputs)
        # the last build ran under these very settings (and kit): what it cached still holds
        self.same_key = self.previous is not None and self.previous.key == self.key
        self.trusted = bool(not full and self.same_key)
        if other and not full:  # an older kit's record: never read, never trusted
            self.counts.fresh_because = (
                "the last build's record was written by another kit (an upgrade or a downgrade), "
                "which this one does not read, so none of its pages were reused; the next build "
                "keeps what does not change"
            )
        elif self.previous is not None and not self.same_key and not full:  # say why nothing is kept
            self.counts.fresh_because = (
                "the last build was made by another kit (an upgrade or a downgrade), so none of "
                "its pages were reused; the next build keeps what does not change"
                if self.previous.code != manifest_mod.kit_code()
                else "the settings, Pelican or an installed package changed since the last build, "
                "so none of its pages were reused"
            )

    # -- before rendering --------------------------------------------------------------

    def note_unwritten(self, output: Path, stats: Mapping[str, os.stat_result] | None = None) -> None:
        """Which of output/'s files have not been written since the record (by stat), so their hard
        links in the staging folder need not be read again: called before output/ is staged, or
        with the stats staging.prepare took of them before linking (staging.Listing.before)."""
        if self.trusted and self.previous is not None:
            self.unwritten = manifest_mod.unwritten_outputs(self.previous, output, stats)

    def check_staged(
        self,
        staged: Path,
        retained: Iterable[str] | None = None,
        stats: Mapping[str, os.stat_result | None] | None = None,
    ) -> tuple[dict[str, manifest_mod.Stamp], list[str]]:
        """Check every file in the staging copy of output/ against the trusted record; returns
        (the stamps of the files that may be kept, the files removed), for :meth:`take_checked`.

        A file whose bytes are the ones recorded may be kept; any other (changed behind the
        build's back, or never made by a build) is removed from the staging folder, so the
        build makes it again, or it is not published. ``retained``: Pelican's
        OUTPUT_RETENTION; with it, the files a host reads in output/'s top folder
        (HOST_FILES: a ``CNAME``, ``.nojekyll``, a ``.git``) are the site's own, left alone.
        It notes nothing in this plan, so the build may run it in a worker process. ``stats``:
        what the staging step saw of the folder's files (staging.Listing.staged), so it is not
        walked again.
        """
        if not self.trusted or self.previous is None:
            return {}, []
        spare = {*HOST_FILES, *(retained or ())}
        good, bad = manifest_mod.verify_outputs(
            self.previous, staged, spare=spare, unwritten=self.unwritten, stats=stats
        )
        for rel in bad:
            path = Path(staged) / rel
            path.unlink(missing_ok=True)
            _prune_empty(path.parent, Path(staged))
        return good, bad

    def take_checked(self, good: dict[str, manifest_mod.Stamp], bad: Iterable[str]) -> None:
        """Note what :meth:`check_staged` found: the files that may be kept, and the counts."""
        self.verified = good
        outputs = self.previous.outputs if self.previous is not None else {}
        for rel in bad:
            if rel in outputs:
                self.counts.replaced += 1
            else:
                self.counts.foreign += 1

    def checked(self) -> dict[str, manifest_mod.Stamp]:
        """The kept files' digests this build's check took (:meth:`take_checked`), for a part that
        needs them before the pages are written (the search shards): those whose mtime is out
        of the racy window before the build started, so a file with that size and mtime still
        has those bytes (build_manifest.racy)."""
        return manifest_mod.vouched(self.verified, self.started_ns)

    def take_written(self, written: Mapping[str, manifest_mod.Stamp], staged: str | Path) -> None:
        """Note the stamps the rendering processes took of what they wrote (by absolute path,
        build_manifest.written_stamp), so the record at the end reads none of those files again."""
        top = str(staged)
        self.written.update((_rel(path, top), stamp) for path, stamp in written.items())

    def before_writing(
        self, instance, jobs: Iterable[Any], direct_feeds: Iterable[str], generators: Iterable[Any], detector
    ) -> None:
        """Once Pelican's generators have recorded every page: sign and mark them, note the
        other outputs this build makes, and give the guard last time's verdicts."""
        staged = instance.output_path
        self.signer = self._signer()
        self._mark(jobs, staged)
        # what the manifest keeps of the signing is taken now, and the signer goes before the
        # pages render: its memos of every post's digests, lists and probes (about 6 MiB at
        # 1,000 posts) are read by nothing after this, and rendering is where the build peaks
        self.posts = self.signer.records() if self.signing else {}
        self.signer = None
        for path in direct_feeds:  # feeds written at once, for a plugin that listens to them
            self.kinds.setdefault(_rel(path, staged), ("feed", None))
        for rel in static_outputs(generators, instance.settings, instance.theme):
            self.kinds.setdefault(rel, ("static", None))
        self.detector = detector
        self._seed_guard(detector)

    def _signer(self) -> Signer:
        """Posts are signed from their source files' digests (the inputs stamped above) when
        only the kit and Pelican made them; a plugin of the site's that listens to any of
        Pelican's signals may have changed a post from anything, so its values are digested."""
        from .engine import foreign_receivers

        sources = None if foreign_receivers() else {rel: stamp[2] for rel, stamp in self.inputs.items()}
        return Signer(self.settings, self.site_root, sources, self._kept_posts())

    def _kept_posts(self) -> dict[str, list] | None:
        """The last build's post records, when they can be trusted: made under this build's key,
        and read with their signature checked (without the column's key, every post is signed
        afresh: a record nobody signed could keep a page its sources changed)."""
        previous = self.previous
        if not self.trusted or previous is None or self.signing is None or not previous.signed:
            return None
        return previous.posts

    def _mark(self, jobs: Iterable[Any], staged: str) -> None:
        """Sign every recorded page and feed; keep those whose signature and file are unchanged."""
        previous = self.previous if self.trusted else None
        recorded = previous.outputs if previous is not None else {}
        signer, kinds, verified = self.signer, self.kinds, self.verified
        top = _top(staged)  # (worked out once: about 1,450 pages at 1,000 posts, 13,600 at 10,000)
        kept = rendered = 0
        for job in jobs:
            rel = _rel(job.path, staged, top)
            sig = job.signature(signer)
            kinds[rel] = (job.kind, sig)
            if job.skip:
                continue
            if sig is not None:
                entry = recorded.get(rel)  # (Manifest.output_sig, looked up here)
                if entry and entry[3] == sig:
                    job.keep = rel in verified  # its bytes are the recorded ones (check_staged)
            if job.keep:
                kept += 1
            else:
                rendered += 1
        self.counts.kept += kept
        self.counts.rendered += rendered

    def _seed_guard(self, detector: guard.Detector | None) -> None:
        """Bytes the guard found clean last time, under the same contacts, are clean now."""
        previous = self.previous
        if detector is None or previous is None:
            return
        key = self.guard_key
        if not key or previous.guard != key:
            return
        for digest in previous.clean:
            try:
                detector.clean.add(bytes.fromhex(digest))
            except ValueError:
                continue

    def remove_stale(self, staged: Path) -> None:
        """Remove what the last build made and this one does not (pages, feeds, static files)."""
        if self.previous is None:
            return
        for rel, record in self.previous.outputs.items():
            if record[2] == "other" or rel in self.kinds:
                continue
            path = staged / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                self.counts.removed += 1
                _prune_empty(path.parent, staged)

    # -- after the guard ------------------------------------------------------------------

    def save(self, output: Path) -> None:
        """Record what output/ now holds (called once the guard passed and output/ is swapped in).

        The guard's last scan (the build's final check, with the same detector) says which
        digests it saw and found clean."""
        from .engine import foreign_receivers

        detector = self.detector
        looked = detector is not None and bool(detector.needles or detector.phones)  # no contacts: no scan
        clean = sorted(d.hex() for d in detector.seen & detector.clean) if looked else []
        # another plugin may read what the inputs do not cover (a data file, the network, the
        # clock): recorded without the fast key, the next build never stops at "nothing changed"
        # before Pelican (it keeps each page whose values are unchanged all the same)
        self.counts.listeners = tuple(foreign_receivers())
        manifest = Manifest(
            key=self.key,
            fast="" if self.counts.listeners else self.fast,
            roots=manifest_mod.root_names(self.roots, self.site_root),
            inputs=manifest_mod.settle_racy(self.inputs, self.inputs_ns),
            outputs=manifest_mod.stamp_outputs(output, self.kinds, {**self.checked(), **self.written}),
            guard=self.guard_key if looked else "",
            clean=clean,
            posts=self.posts,
        )
        manifest_mod.save(self.path, manifest, self.signing)

    @functools.cached_property
    def guard_key(self) -> str:
        """What the output guard's verdicts depend on besides the bytes: the contacts it looks
        for. Worked out only when the outputs are scanned (it opens every sealed contact): a
        build whose sources were checked, with only the kit's transformations, never needs it."""
        from ..core.settings import phone_region
        from .plugin import contact_folders

        try:
            return guard.verdict_key(contact_folders(self.settings), phone_region(self.settings))
        except OSError:
            return ""


def _input_roots(instance, site_root: Path) -> list[Path]:
    """Every folder and file the build reads (source_check.input_roots: `floor check` reads the same)."""
    from ..core import source_check
    from .plugin import contact_folders

    settings = instance.settings
    return source_check.input_roots(
        settings, site_root, theme=Path(instance.theme), contact_folders=contact_folders(settings)
    )


def _top(staged: str | Path) -> str:
    return str(staged).rstrip(os.sep) + os.sep


def _rel(path: str, staged: str | Path, top: str | None = None) -> str:
    """``path`` relative to the staging folder, with ``/`` (``top``: its :func:`_top`, if known)."""
    top = _top(staged) if top is None else top
    if path.startswith(top) and os.sep + ".." + os.sep not in path and os.sep + "." + os.sep not in path:
        return path[len(top) :].replace(os.sep, "/")  # what relpath says, without its abspaths
    return os.path.relpath(path, staged).replace(os.sep, "/")


def _prune_empty(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def static_outputs(generators: Iterable[Any], settings: dict, theme: str) -> list[str]:
    """The files Pelican's static generator copies this build (content statics and the theme's)."""
    from pelican.generators import StaticGenerator

    rels: list[str] = []
    for generator in generators:
        if isinstance(generator, StaticGenerator):
            for static in getattr(generator, "staticfiles", ()):
                rels.append(str(static.save_as).replace(os.sep, "/"))
    static_dir = settings.get("THEME_STATIC_DIR", "theme")
    for entry in settings.get("THEME_STATIC_PATHS", ()):
        source = Path(theme) / entry
        if source.is_dir():
            for rel in manifest_mod.walk(source):
                rels.append(os.path.normpath(os.path.join(static_dir, rel)).replace(os.sep, "/"))
        elif source.is_file():
            rels.append(os.path.normpath(os.path.join(static_dir, source.name)).replace(os.sep, "/"))
    return rels
