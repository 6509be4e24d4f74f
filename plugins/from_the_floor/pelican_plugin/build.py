"""Running Pelican for a site: validate first, then build with Pelican's own CLI path."""

from __future__ import annotations

import contextlib
import json
import logging
import marshal
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core import build_manifest, heap, phases, staging, terminal
from ..core import settings as settings_mod
from ..core.build_manifest import Counts
from ..core.site import Site
from ..errors import FloorError
from . import build_state


def default_jobs() -> int:
    """Processes for rendering: FLOOR_JOBS, else the cores this process may use."""
    raw = os.environ.get("FLOOR_JOBS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise FloorError(f"FLOOR_JOBS={raw!r} is not a whole number") from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(
    site: Site,
    *,
    settings_file: str | None = None,
    extra: Sequence[str] = (),
    verbose: bool = False,
    jobs: int | None = None,
    today: str | None = None,
    full: bool = False,
) -> Counts:
    """Build output/; invalid questions stop it before Pelican writes anything.

    Only what changed is rendered (incremental.py): pages whose inputs are as
    the last build's manifest recorded keep their files, and when nothing
    the build reads has changed it stops before starting Pelican. ``full``
    renders every page (the manifest is rewritten from scratch).

    ``today`` (the command's --today) goes to the plugins in the build's own
    settings (build_state), not through the environment.

    Pelican writes into a staging folder that replaces output/ only once the
    contact guard has passed it (staging.py): a failed or refused build
    leaves output/ as the last good build.

    Pages are rendered by ``jobs`` processes (default: :func:`default_jobs`);
    the output is the same bytes whatever the number.
    """
    phases.mark("the last build's record")
    record = _withdrawn_record(site)
    counts: Counts | None = None
    try:
        counts = _build_or_not(site, settings_file, extra, verbose, jobs, today, full)
        return counts
    except OSError as exc:  # (the build's own errors are FloorErrors by now: this is the disk)
        if not staging.no_room(exc):
            raise
        raise staging.out_of_room(site.output_dir, _writing(exc, site.root, site.output_dir), exc) from None
    finally:
        if _withdrawn_record(site) != record:
            # `floor withdraw` ran while this build did (they take no lock in common): it emptied the
            # caches, which this build, having read the post before it went, then filled again
            from ..core import withdrawn

            withdrawn.clear_caches(site)
            if counts is not None:
                counts.withdrawn_meanwhile = True
        phases.save()


def _withdrawn_record(site: Site) -> bytes | None:
    """withdrawn.json's bytes (None without one): compared before and after the build."""
    from ..core.journal import WITHDRAWN_RECORD

    try:
        return (site.root / WITHDRAWN_RECORD).read_bytes()
    except OSError:
        return None


def _writing(exc: OSError, root: Path, output: Path) -> str:
    """What a write the disk refused was for, as the author knows the folders: the new site (its
    staging folder, beside ``output``, whatever OUTPUT_PATH names it), the caches (.cache/) or
    another file of the site."""
    folder = Path(output).name
    name = exc.filename if isinstance(exc.filename, str | os.PathLike) else None
    if name is None:  # (a write into a file already open names none)
        return f"the new site (into its staging folder beside {folder}/) or the build's caches (.cache/)"
    path = Path(os.path.abspath(name))
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    if shown.parts and shown.parts[0].startswith(f".{folder}."):
        inside = Path(*shown.parts[1:]) if len(shown.parts) > 1 else Path(".")
        return f"the new site ({inside.as_posix()}, in its staging folder {shown.parts[0]} beside {folder}/)"
    return str(shown)


def _build_or_not(
    site: Site,
    settings_file: str | None,
    extra: Sequence[str],
    verbose: bool,
    jobs: int | None,
    today: str | None,
    full: bool,
) -> Counts:
    jobs = jobs if jobs is not None else default_jobs()
    conf = site.root / (settings_file or site.conf_name)
    if not conf.exists():
        raise FloorError("settings file not found", path=conf)
    old_plugins = settings_mod.old_plugins_error(site.settings.raw, site.conf_path)
    if old_plugins is not None:  # an older kit's plugin names: Pelican would only say "Cannot load"
        raise old_plugins
    signing = build_manifest.record_key(site.root)
    fast = build_manifest.fast_key(
        settings_file=conf.name,
        extra=list(extra),
        moment=_moment(site, today),
        signing=build_manifest.key_id(signing),
    )
    last = _last_build(site, fast, signing, check=not full)
    if not full and last.unchanged:
        return Counts(unchanged=True)
    from ..core import question as question_mod  # not needed when nothing changed

    with question_mod.reusing_parses() as parses:
        if today:
            extra = [*extra, "-e", f"{build_state.TODAY}={json.dumps(today)}"]
        return _build(site, conf, extra, verbose, jobs, parses, full=full, fast=fast, last=last)


def _moment(site: Site, today: str | None) -> str:
    """The build's "now" as far as any page can tell: the day, and whether its slot has passed."""
    from ..core import clock, schedule

    settings = site.settings
    now = clock.now(settings.timezone, today)
    day = now.date()
    passed = now >= schedule.slot_on(day, settings) if day.weekday() == settings.weekday else None
    return f"{day.isoformat()}|{passed}"


@dataclass
class _LastBuild:
    """What the check before Pelican read: the manifest and, if it got that far, the inputs now."""

    manifest: build_manifest.Manifest | None = None
    stamps: dict[str, build_manifest.Stamp] | None = None
    unchanged: bool = False
    signing: bytes | None = None  # the key the manifest is signed with (from the private key), if here
    forged: bool = False  # a manifest was there but its signature was wrong
    unsigned: bool = False  # ... because it had none (made without the private key)
    other: bool = False  # a manifest was there, of another kit's making
    stamped_ns: int = 0  # when the inputs were stamped (before any of them was read)

    def read_now(self):
        """The inputs whose bytes this check read (their stats had moved: a fresh checkout), for
        the questions' check, which then need not read them again (queue.ReadBefore)."""
        from ..core import queue as queue_mod

        if self.stamps is None or self.manifest is None:
            return None
        kept = self.manifest.inputs
        read = {rel: stamp for rel, stamp in self.stamps.items() if kept.get(rel) is not stamp}
        return queue_mod.ReadBefore(read, self.stamped_ns) if read else None


def _last_build(site: Site, fast: str, signing: bytes | None, *, check: bool = True) -> _LastBuild:
    """Whether the last build's manifest matches everything this build would read, and output/
    (every output's bytes by digest: a restored output/ is never trusted by its mtimes)."""
    output = staging.target(site.output_dir)
    staging.clean_leftovers(output)  # what a killed build left goes, whatever this one does
    found = build_manifest.read(build_manifest.path_for(output), signing)
    manifest = found.manifest
    if manifest is None or manifest.fast != fast or not check:
        return _LastBuild(
            manifest, signing=signing, forged=found.forged, unsigned=found.unsigned, other=found.other
        )
    stamped_ns = time.time_ns()
    stamps = build_manifest.inputs_now(manifest, site.root)
    outputs = build_manifest.outputs_now(manifest, output) if build_manifest.inputs_unchanged(
        manifest, site.root, stamps
    ) else None
    if outputs is not None:
        _settle(manifest, stamps, outputs, signing, output)
    return _LastBuild(manifest, stamps, outputs is not None, signing, stamped_ns=stamped_ns)


def _settle(
    manifest: build_manifest.Manifest,
    stamps: dict[str, build_manifest.Stamp],
    outputs: dict[str, list],
    signing: bytes | None,
    output: Path,
) -> None:
    """Nothing changed, but some files were hashed (stamped in the racy window last time, or
    output/ restored with new times): their stamps now are recorded, so the next build finds
    them by stat."""
    inputs = build_manifest.settle_racy(stamps, time.time_ns())
    if inputs == manifest.inputs and outputs == manifest.outputs:
        return
    manifest.inputs, manifest.outputs = inputs, outputs
    with contextlib.suppress(OSError):
        build_manifest.save(build_manifest.path_for(output), manifest, signing)


def _build(
    site: Site,
    conf: Path,
    extra: Sequence[str],
    verbose: bool,
    jobs: int,
    parses: dict,
    *,
    full: bool,
    fast: str,
    last: _LastBuild,
) -> Counts:
    terminal.step("Building: checking the questions")
    phases.mark("checking the questions, importing Pelican")
    # the worker also stamps the last build's inputs when the check before Pelican did not (its
    # fast key differs, as every weekly build's day does): hashing each whose stat moved (all of
    # them after a restore or a copy) then runs beside Pelican's import, not after the settings
    validation = _Validation(
        site, parses, jobs, last.read_now(), inputs_of=last.manifest if last.stamps is None else None
    )
    import pelican  # heavy: imported only when a build is asked for
    from pelican.log import init as init_logging

    from ..core import guard
    from ..core.settings import phone_region
    from . import engine, incremental, namespace_plugins
    from .plugin import contact_folders

    args = pelican.parse_arguments(["-s", str(conf), "--fatal", "errors", *extra])
    init_logging(
        level=logging.INFO if verbose else logging.WARNING,
        fatal=args.fatal,
        name="pelican",
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _ShownSafely) for f in handler.filters):
            handler.addFilter(_ShownSafely())
    cwd = os.getcwd()
    os.chdir(site.root)
    staged: Path | None = None
    staged_ready: Callable[..., None] = _nothing
    guard_beside: _GuardBeside | None = None
    heap_held = contextlib.ExitStack()
    output = site.output_dir  # (Pelican's OUTPUT_PATH once its settings are read)
    try:
        # no cycle collection while the settings, the last build's record and the site are made;
        # the site is frozen once made, until the build ends (core/heap.py)
        site_heap = heap_held.enter_context(heap.site_heap())
        site_heap.making()
        terminal.step("Building: reading the settings")
        phases.mark("reading the settings")
        with namespace_plugins.imported_when_used():  # (not every installed plugin: those it uses)
            instance, _ = pelican.get_instance(args)
        validation.verdict()  # before Pelican reads a post or writes anything
        validation.stamped()
        stamps, stamped_ns = last.stamps, last.stamped_ns
        if stamps is None and validation.inputs_now is not None:
            stamps, stamped_ns = validation.inputs_now
        output = Path(instance.output_path).absolute()
        plan = incremental.Plan(
            instance,
            site_root=site.root,
            output=staging.target(output),
            full=full,
            fast=fast,
            previous=last.manifest,
            stamps=stamps,
            stamped_ns=stamped_ns,
            signing=last.signing,
            forged=last.forged,
            unsigned=last.unsigned,
            other=last.other,
            read=validation.read_now,
        )
        build_state.mark_fresh(instance.settings, not plan.trusted)  # e.g. the search shards
        terminal.step(f"Building: checking {len(plan.inputs):,} files for readers' contacts")
        if not plan.same_key:
            # Pelican's reader cache is stamped by each file's mtime only, yet what the kit's
            # reader makes of a post depends on the settings too (the column's name is its
            # category, FLOOR_TITLE its title): read under other settings, it is read again
            instance.settings["LOAD_CONTENT_CACHE"] = False
        phases.mark("the contact guard on the sources, and the staging folder")
        # the guard reads the sources in a worker once the posts are read, and another makes the
        # staging folder while Pelican's generators read the posts (or this process makes it now)
        guard_beside = _check_sources_beside(instance, plan, site.root, jobs)
        staged, staged_ready = _stage_beside(instance, plan, jobs)
        terminal.step("Building: reading the posts and writing the pages")
        def verdict(guard_beside: _GuardBeside = guard_beside) -> None:
            guard_beside.wait()  # raises the guard's refusal
            validation.keep()  # the sources are clean: the questions' parses may be kept

        with (
            _verdict_before_anything_is_kept(verdict, instance.settings),
            _staged_before_output(staged_ready, instance, plan),
        ):
            engine.run(instance, processes=jobs, plan=plan, heap=site_heap)
        if not build_state.sources_checked(instance.settings):
            # another theme, template overrides or other plugins may join fields into what no
            # source held: everything they wrote is checked (pages scanned as written cost a hash)
            terminal.step("Building: checking the pages for readers' contacts")
            guard.check_output(
                staged,
                contact_folders(instance.settings),
                region=phone_region(instance.settings),
                shown_as=output,
            )
        heap.give_back()  # (the memos saved and let go, the search records handed to Pagefind)
        phases.mark("the swap and the manifest")
        try:
            # a post withdrawn since the last build is still in the old output/: not kept as a spare
            old = staging.target(output)
            # (imported here: it imports Pelican, which a build with nothing changed never loads)
            from . import retirement

            staging.swap_in(staged, output, keep_spare=not retirement.notices_changed(old, staged))
        except OSError as exc:
            if staging.no_room(exc):  # (output/ updated in place, as a mount point is, may be partly new)
                raise staging.out_of_room(output, "the new site into output/", exc, untouched=False) from None
            raise FloorError(f"the new build could not replace the old one: {exc}", path=output) from None
        staged = None
        try:
            plan.save(staging.target(output))
        except OSError:
            build_manifest.remove(plan.path)  # no record: the next build renders everything
        return plan.counts
    except FloorError:
        raise
    except Exception as exc:  # Pelican's own errors become one clear line
        if staging.no_room(exc):  # before the swap: build() says it (output/ is as the last build left it)
            raise
        raise FloorError(f"the Pelican build failed: {type(exc).__name__}: {exc}", path=conf) from None
    finally:
        heap_held.close()
        validation.close()  # (its worker is reaped whatever stopped the build)
        if guard_beside is not None:
            guard_beside.close()
        if staged is not None:
            staged_ready(again=False)  # its worker is done with the folder before it goes
            staging.discard(staged)
        os.chdir(cwd)


def _check_sources_beside(instance, plan, site_root: Path, jobs: int) -> _GuardBeside:
    """Start :func:`_check_sources` in a forked process (see :class:`_GuardBeside`), or with
    one job run it here at once."""
    from ..core import forked

    guard = _GuardBeside()
    if jobs < 2 or not forked.can_fork():
        _check_sources(instance, plan, site_root)
        return guard
    guard.spawn(instance, plan, site_root)
    return guard


class _GuardBeside:
    """The contact guard on the sources, in a forked process that starts checking once the
    posts are read (``build_state.reading_done``): while a cold build reads them, both cores
    are busy with that, and after it Pelican's own work on the posts leaves one free.

    :meth:`wait` takes its verdict (starting the check first if nothing has yet). A problem
    (or no report) is found again here, so the message is exactly the one a check in this
    process gives. :meth:`close` ends a check whose verdict is no longer wanted.
    """

    def __init__(self) -> None:
        self._child = None
        self._go = -1  # the write end of the pipe the worker waits on
        self._args: tuple = ()

    def spawn(self, instance, plan, site_root: Path) -> None:
        from ..core import forked, guard

        go_read, go_write = os.pipe()

        def check_when_told() -> list[str]:
            os.close(go_write)
            # its warnings (no key to open the sealed contacts) are said by the build's process,
            # which may say the same one itself: once per build, not once per process
            with guard.warnings_kept() as kept:
                if os.read(go_read, 1):  # nothing: the build stopped, nothing to check
                    _scan_sources(instance, plan, site_root)
            return kept

        self._child = forked.spawn(check_when_told)
        os.close(go_read)
        self._go = go_write
        self._args = (instance, plan, site_root)
        build_state.reading_done.connect(self.start)

    def start(self, *_args, **_kwargs) -> None:
        """Let the worker check the sources now (once the posts are read)."""
        if self._go >= 0:
            with contextlib.suppress(OSError):
                os.write(self._go, b"1")
            self._close_go()

    def _close_go(self) -> None:
        if self._go >= 0:
            os.close(self._go)
            self._go = -1
        build_state.reading_done.disconnect(self.start)

    def wait(self) -> None:
        """The verdict: raises FloorError (file, line) if a source shows a reader's contact."""
        child, self._child = self._child, None
        if child is None:  # checked here already (one job), or the verdict was taken
            return
        self.start()
        ok, said = child.result()
        instance, plan, site_root = self._args
        if ok:
            from ..core import guard

            guard.say(said)  # its warnings (only a report of success holds them: else a traceback)
        else:
            _scan_sources(instance, plan, site_root)  # raises the problem here, says its warnings
        _mark_checked(instance)

    def close(self) -> None:
        """A build that stopped before the verdict: the worker ends without checking."""
        self._close_go()
        child, self._child = self._child, None
        if child is not None:
            child.result()  # reaped; it read nothing from the closed pipe and checked nothing


@contextlib.contextmanager
def _verdict_before_anything_is_kept(wait: Callable[[], None], settings: dict) -> Iterator[None]:
    """Take the guard's verdict on the sources as late as nothing a source holds has left this
    process: before the search index is started (reader_site sends
    ``build_state.verdict_needed``) or, at the latest, once every generator has made its
    context (``all_generators_finalized``, before any page or feed is made). Pelican's own
    cache saves, which come earlier (the articles generator saves its content cache right
    after reading), wait for the verdict and are dropped if it refuses the build.

    Reading needs no verdict: what a source holds is only in memory until then. The guard's
    worker starts once the posts are read (:func:`_check_sources_beside`), on the core
    Pelican's work after the reading leaves free (making each post's Article, the
    taxonomies, the decoration), instead of taking a share of the reading's two cores. A
    site whose Pelican caches whole Articles (``CONTENT_CACHING_LAYER = "generator"``, not
    floor init's) has its verdict taken before that cache is saved, right after reading, as
    the cache would hold what later work made.
    """
    from pelican import signals
    from pelican.cache import FileDataCacher

    taken = False
    deferred: list[FileDataCacher] = []  # Pelican's caches asked to be saved before the verdict
    save_now = FileDataCacher.save_cache

    def save_after_verdict(cacher: FileDataCacher) -> None:
        if taken:
            save_now(cacher)
        else:
            deferred.append(cacher)

    def take(*_args, **_kwargs) -> None:
        nonlocal taken
        if taken:
            return
        wait()  # raises the guard's refusal: the deferred saves are dropped
        taken = True
        for cacher in deferred:
            save_now(cacher)

    def needed(sender, **_kwargs) -> None:
        if sender is settings:  # this build's, not another Pelican run's in the same process
            take()

    readers_only = settings.get("CONTENT_CACHING_LAYER") == "reader"
    early = signals.article_generator_pretaxonomy
    if readers_only:
        FileDataCacher.save_cache = save_after_verdict
    else:
        early.connect(take, weak=False)
    build_state.verdict_needed.connect(needed, weak=False)
    signals.all_generators_finalized.connect(take, weak=False)
    try:
        yield
        take()  # a build without generators: still before what follows
    finally:
        FileDataCacher.save_cache = save_now
        early.disconnect(take)
        build_state.verdict_needed.disconnect(needed)
        signals.all_generators_finalized.disconnect(take)


def _check_sources(instance, plan, site_root: Path) -> None:
    """The contact guard on every file the build reads (source_check.py), naming file and line.

    When only the kit's own transformations run (its theme, no template
    overrides, no other plugins), the outputs need no second look: Markdown's
    joins and escapes are read in the sources, and the kit's templates show
    each field whole. Otherwise the output check runs as well.
    """
    _scan_sources(instance, plan, site_root)
    _mark_checked(instance)


def _scan_sources(instance, plan, site_root: Path) -> None:
    """Raise FloorError (file, line) if a source the build reads shows a reader's contact.

    Only the inputs not found clean before, under the same contacts, are read
    (source_check.check_inputs, with the verdicts `floor check` keeps too)."""
    from ..core import source_check
    from ..core.settings import phone_region
    from .plugin import contact_detector, contact_folders

    settings = instance.settings
    source_check.check_inputs(
        plan.inputs,
        lambda: contact_detector(settings),  # every contact; numbers in the site's phone region
        site_root=site_root,
        cache=source_check.verdicts_file(site_root, settings),
        question_folders=contact_folders(settings),
        region=phone_region(settings),
    )


def _mark_checked(instance) -> None:
    if kit_transforms_only(instance):
        build_state.mark_sources_checked(instance.settings)


def kit_transforms_only(instance) -> bool:
    """Whether nothing but the kit turns the sources into pages: its own theme, no template
    overrides, no plugins besides its own."""
    from ..paths import theme_dir

    settings = instance.settings
    plugins = [str(getattr(p, "__name__", p)) for p in settings.get("PLUGINS") or ()]
    # no PLUGINS setting: Pelican loads every installed namespace plugin
    kit = ("pelican.plugins.from_the_floor", "from_the_floor")
    ours = bool(plugins) and all(name.startswith(kit) for name in plugins)
    same_theme = os.path.realpath(str(instance.theme)) == os.path.realpath(theme_dir())
    return ours and same_theme and not settings.get("THEME_TEMPLATES_OVERRIDES")


class _ShownSafely(logging.Filter):
    """Pelican's warnings name a tag, a title or a file as written ("Unable to generate valid
    slug for Tag …"): each line is shown as `floor` shows reader text (core/terminal.py), so a
    direction mark or an escape sequence in a tag cannot act on the author's terminal or CI log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        shown = terminal.clean(message)
        if shown != message:
            record.msg, record.args = shown, None
        return True


def _nothing(**_kwargs) -> None:
    """What waits for a staging folder made at once."""


def _stage_beside(instance, plan, jobs: int) -> tuple[Path, Callable[..., None]]:
    """Point the Pelican instance at a staging folder beside its output folder (staging.py), and
    fill it and check it against the last build's record (``plan.check_staged``).

    A build that keeps the last one's pages (``plan.trusted``) starts from
    everything output/ holds, even with DELETE_OUTPUT_DIRECTORY (it removes
    what is no longer made). Files are hard-linked rather than copied unless
    another plugin listens to Pelican's signals (it might write into a file,
    and so into output/).

    Nothing reads or writes the staging folder until the generators' output
    phase, but the search shards' check (which build_state.want_output waits
    for). So when the kit's own parts are all that listen to Pelican, a forked
    process fills and checks it while this one runs the generators; the
    returned call waits for it (at once here otherwise). If the worker fails,
    the work is done again here, so an error is exactly the one a build
    without the worker gives.
    """
    from ..core import forked
    from .engine import can_split, links_are_safe

    output = Path(instance.output_path).absolute()
    link = links_are_safe()
    emptied = instance.delete_outputdir and not plan.trusted
    keep = tuple(instance.output_retention or ()) if emptied else None
    retained = instance.output_retention
    staged = staging.folder(output)
    instance.output_path = str(staged)
    instance.settings["OUTPUT_PATH"] = str(staged)

    def fill() -> tuple[dict, list]:
        # what the linking saw (each file's stat before its link moved its ctime) is what the
        # check goes by: neither tree is listed again
        listing = staging.Listing()
        staging.prepare(output, keep_only=keep, link=link, into=staged, listing=listing)
        plan.note_unwritten(staging.target(output), listing.before)
        return plan.check_staged(staged, retained, listing.staged if listing.whole else None)

    def here() -> None:
        plan.take_checked(*fill())

    # (a build that keeps nothing is staged here: an empty folder, or one Pelican empties first)
    if jobs < 2 or not forked.can_fork() or not plan.trusted or not link or not can_split(instance):
        here()
        return staged, _nothing
    child = forked.spawn(fill)
    waited = False

    def wait(*, again: bool = True) -> None:
        nonlocal waited
        if waited:
            return
        waited = True
        ok, found = child.result()
        if ok:
            plan.take_checked(*found)
        elif again:
            here()  # raises the problem here, as a build without the worker would

    return staged, wait


@contextlib.contextmanager
def _staged_before_output(wait: Callable[..., None], instance, plan) -> Iterator[None]:
    """Wait for the staging folder once Pelican's generators have read everything, before their
    output phase writes into it (``all_generators_finalized``), or earlier when a part of the
    plugin wants to read it (build_state.output_wanted: the search shards' check, which is
    handed the digests the check of the staging folder took)."""
    from pelican import signals

    def when_wanted(settings, **_kwargs) -> dict[str, list] | None:
        if settings is not instance.settings:
            return None
        wait()
        return plan.checked()

    def take(*_args, **_kwargs) -> None:
        wait()

    signals.all_generators_finalized.connect(take, weak=False)
    build_state.output_wanted.connect(when_wanted, weak=False)
    try:
        yield
        wait()  # whatever the generators did, the folder is whole before what follows
    finally:
        signals.all_generators_finalized.disconnect(take)
        build_state.output_wanted.disconnect(when_wanted)


class _Validation:
    """Every question file checked; :meth:`verdict` raises the problems.

    With more than one process, a forked process parses the files (most of
    them from the parse cache) while this one imports Pelican and reads the
    settings, and sends its parses back into ``parses`` (the build's
    question.reusing_parses store) for the reader and plugins to reuse. They
    are taken when first looked up (the retirement forecast, when Pelican's
    plugins start) or at the verdict, before Pelican reads a post or writes
    anything, whichever comes first. Any problem is then reported by parsing
    again here, so the messages are exactly those of a plain ``queue.load``.

    Given ``inputs_of`` (the last build's record, when the check before Pelican did not stamp
    its inputs), the worker then stamps them as they are now, hashing each whose stat moved,
    and sends the stamps once its parses are handed back (:meth:`stamped`, :attr:`inputs_now`,
    for incremental.Plan), so that this process takes the parses in while the worker stamps: the
    same stamps this process would take after reading the settings, taken before Pelican reads
    anything. A worker that cannot stamp them sends none, and the plan stamps them here.

    The parses are kept (the parse cache saved, by the worker or, with one process, here) only
    once :meth:`keep` says the contact guard found the sources clean: a refused build keeps
    nothing it read in ``.cache/`` (a post's answer that shows a reader's sealed contact is in
    its parse). :meth:`close` without it tells the worker to end without saving.
    """

    def __init__(
        self,
        site: Site,
        parses: dict,
        jobs: int,
        read_before=None,
        *,
        inputs_of: build_manifest.Manifest | None = None,
    ) -> None:
        from ..core import forked, journal, parse_cache
        from ..core import question as question_mod
        from ..core import queue as queue_mod

        self._site = site
        self._parses = parses
        self._read_before = read_before  # digests the build's input check took (queue.ReadBefore)
        # the stamps of the files the check read in this build, and when it began: for the build
        # manifest's check of its inputs (build_manifest.stamp_inputs)
        self.read_now: tuple[dict[str, list], int] | None = None
        # (from the worker) the last build's inputs stamped now, and when the stamping began
        self.inputs_now: tuple[dict[str, list], int] | None = None
        self._stamps = -1  # the read end of the pipe the worker sends them on, after its parses
        self._child: forked.Child | None = None
        self._vouched = False  # the worker parsed every file without a problem
        self._saving: forked.Child | None = None  # the worker, until it is reaped
        self._later: list[Callable[[], None]] = []  # (one process) saving the parse cache
        self._keep = -1  # the write end of the pipe the worker waits on before it saves
        if jobs < 2 or not forked.can_fork():
            self._check_here()
            self._vouched = True
            return
        # an interrupted publish is finished here, before the worker lists the folders: this
        # process reads the settings meanwhile, and a plugin may list them too
        journal.recover(site)

        later: list[Callable[[], None]] = []  # (in the worker) saving the parse cache

        checked: list[tuple[dict[str, list], int]] = []  # (in the worker) what its check read
        stamps_read, stamps_write = os.pipe()
        keep_read, keep_write = os.pipe()

        def parse() -> bytes | None:
            os.close(stamps_read)
            os.close(keep_write)
            since, read = time.time_ns(), {}  # type: ignore[var-annotated]
            found = queue_mod.load(site, processes=1, later=later, read_before=read_before, read_now=read)
            if found.errors:
                return None
            checked.append((read, since))
            return parse_cache.parses_to_bytes(parses)

        def stamp_then_save() -> None:
            # the inputs are stamped once the parses are handed back: this process takes them in
            # meanwhile, and reads the stamps only after the settings (_Validation.stamped)
            with contextlib.suppress(OSError, ValueError), os.fdopen(stamps_write, "wb") as out:
                if checked:
                    read, since = checked[0]
                    inputs = None
                    if inputs_of is not None:
                        inputs = _stamp_inputs(inputs_of, site.root, (read, since))
                    out.write(marshal.dumps((read, since, inputs)))  # (lists, numbers and text: inert)
            # the parse cache only once the guard found the sources clean: b"1" (keep), or b"0"
            # or nothing (refused, or the build stopped) and the worker ends without saving
            with contextlib.suppress(OSError):
                if os.read(keep_read, 1) == b"1":
                    for step in later:
                        step()

        # the parses are handed back first, then the worker stamps the inputs and saves the parse
        # cache while this process goes on (0.2-0.4 s at 10,000 questions when the stats moved)
        try:
            self._child = forked.spawn(parse, then=stamp_then_save)
        except BaseException:
            os.close(stamps_read)
            os.close(keep_write)
            raise
        finally:
            os.close(stamps_write)  # (the worker's alone: its end, or its exit, ends what is read)
            os.close(keep_read)
        self._keep = keep_write
        self._stamps = stamps_read
        self._saving = self._child
        question_mod.parses_arriving(self.take)

    def _check_here(self) -> None:
        from ..core import queue as queue_mod

        # one process: its parses are kept
        since, read = time.time_ns(), {}  # type: ignore[var-annotated]
        found = queue_mod.load(
            self._site, processes=1, later=self._later, read_before=self._read_before, read_now=read
        )
        found.raise_errors()
        self.read_now = (read, since)

    def take(self) -> None:
        """Wait for the worker, once, and put its parses into the store (if it found no problem)."""
        child, self._child = self._child, None
        if child is None:
            return
        ok, outcome = child.result()
        if ok and outcome is not None:
            from ..core import parse_cache

            self._parses.update(parse_cache.parses_from_bytes(outcome))
            self._vouched = True

    def stamped(self) -> None:
        """Once the verdict is taken: what the worker sent after its parses, the files its check
        read (:attr:`read_now`) and the inputs it stamped (:attr:`inputs_now`); neither is set if
        it sent nothing (a worker that stopped: the plan stamps the inputs here, as before)."""
        fd, self._stamps = self._stamps, -1
        if fd < 0:
            return
        try:
            with os.fdopen(fd, "rb") as pipe:
                data = pipe.read()  # (whole: marshal.load reads a file a few bytes at a time)
            read, since, inputs = marshal.loads(data)
        except (EOFError, OSError, TypeError, ValueError):
            return
        if self._vouched and self.read_now is None:  # (its parses were taken: the check was its)
            self.read_now, self.inputs_now = (read, since), inputs

    def verdict(self) -> None:
        """Raise FloorError(s) naming each bad file, field and problem; nothing if all are fine."""
        self.take()
        if not self._vouched:  # a problem (or no report): find it and say it here
            self._check_here()
            self._vouched = True

    def keep(self) -> None:
        """The contact guard found the sources clean: the parses may be kept (the worker saves
        the parse cache while the build goes on; with one process it is saved here)."""
        self._tell_worker(b"1")
        later, self._later = self._later, []
        for step in later:
            step()

    def _tell_worker(self, word: bytes) -> None:
        """Say once whether the worker saves the parse cache (written, not left to the pipe's
        end: a process forked after it holds that end open until it exits)."""
        fd, self._keep = self._keep, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.write(fd, word)
            os.close(fd)

    def close(self) -> None:
        """Wait for the worker to have saved the parse cache (the build's end: long done); it is
        reaped even when taking its parses fails. Without :meth:`keep` (a refused or stopped
        build) nothing is saved."""
        self._later = []
        self._tell_worker(b"0")
        try:
            self.take()
        finally:
            if self._stamps >= 0:  # never read (the build stopped): the worker's send fails, it saves
                os.close(self._stamps)
                self._stamps = -1
            saving, self._saving = self._saving, None
            if saving is not None:
                saving.reap()


def _stamp_inputs(
    manifest: build_manifest.Manifest, site_root: Path, read: tuple[dict[str, list], int]
) -> tuple[dict[str, list], int] | None:
    """The files under the record's roots stamped now (build_manifest.inputs_now, taking the
    digests the questions' check just read), and when the stamping began; None if the file
    system refused (a root it may not look at: the plan then stamps them itself, and says what
    went wrong; a folder that cannot be listed is left out, as the plan leaves it out)."""
    stamped_ns = time.time_ns()
    try:
        return build_manifest.inputs_now(manifest, site_root, read), stamped_ns
    except OSError:
        return None


def serve(
    site: Site, *, bind: str = "127.0.0.1", port: int = 8000, ready: Callable[[int], None] | None = None
) -> None:
    """Serve output/ as a static host would (its 404.html for a missing page, never a folder listing).

    ``ready`` is told the port once it is bound (a port in use fails before anything is said).
    """
    from ..services import local_server

    output = site.output_dir
    if not output.is_dir():
        raise FloorError("nothing to serve yet: run `floor build` first", path=output)
    server = local_server.static_server(output, bind, port)
    if ready:
        ready(server.server_address[1])
    local_server.serve_until_interrupted(server)
