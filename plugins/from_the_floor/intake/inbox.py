"""The one path every intake channel's messages take into the queue.

Each channel (email, CSV, GitHub issues) only parses its input into
:class:`Message` objects; this module decides what happens to each one:
already imported (its ``intake_id`` is on file) → nothing; close to a queued or
published question → merged into it as another reader; otherwise → a new
question. A message that cannot become a question is never dropped: its
original bytes go to ``questions/inbox/rejected/`` with the reason beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core import frontmatter_text, journal, readers_file, sealing, withdrawn
from ..core import question as question_mod
from ..core import queue as queue_mod
from ..core.atomic import atomic_write_text, create_exclusive
from ..core.ids import slug_for
from ..core.question import AlsoAsked, Question
from ..core.site import Site
from ..errors import FloorError
from . import duplicates, intake


@dataclass
class Message:
    """One message from a channel: a question to file, or (``new`` None) one to keep aside."""

    label: str  # how the author recognises it: "message.eml", "row 4", "issue #12"
    raw: bytes  # the original, kept as it came if the message is rejected
    suffix: str  # the rejected copy's file extension: ".eml", ".csv", ".json"
    new: intake.NewQuestion | None = None
    reason: str | None = None  # why it cannot be a question (when new is None)
    notes: list[str] = field(default_factory=list)  # e.g. "ignored 1 attachment (photo.jpg)"


@dataclass
class Outcome:
    """What happened to one message."""

    action: str  # "added" | "merged" | "known" | "repeat" | "rejected"
    label: str
    qid: str | None = None
    question: str = ""
    score: float | None = None
    entry: int | None = None  # merged: its 1-based place in also_asked_by (for floor split)
    matched: str | None = None  # merged: the wording it matched
    path: Path | None = None  # rejected: the kept copy
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def rejected_dir(site: Site) -> Path:
    """Outside the queue (Site.rejected_dir, which floor check reads without the intake code)."""
    return site.rejected_dir


_FIELD_LINE = r"^[ \t]*(?:-[ \t]+)?{key}:[ \t]*(.+?)[ \t]*$"


def _scalar(raw: str) -> str:
    """A YAML scalar's text, read leniently (a quoted value loses its quotes)."""
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return value if isinstance(value, str) else raw


def known_values(site: Site, key: str) -> dict[str, Path]:
    """Every value of ``key`` (top level or in a merged reader) in the queue and the posts → its file.

    Read from the raw lines, so a file with a typo elsewhere still counts: a
    message is never imported twice because its earlier copy stopped parsing.
    """
    pattern = re.compile(_FIELD_LINE.format(key=re.escape(key)), re.MULTILINE)
    found: dict[str, Path] = {}
    for folder in (site.posts_dir, site.questions_dir):
        for path in queue_mod.question_files(folder):
            text = path.read_bytes().decode("utf-8", errors="replace")
            try:
                front = frontmatter_text.split(text, path).front(text)
            except FloorError:
                front = text
            for match in pattern.finditer(front):
                found.setdefault(_scalar(match.group(1)), path)
            if more := _MORE_READERS.search(front):  # the readers kept apart count too
                for value in _kept_values(site, path.stem, int(more.group(1)), key):
                    found.setdefault(value, path)
    return found


_MORE_READERS = re.compile(rf"^{readers_file.FIELD}:[ \t]*['\"]?(\d+)", re.MULTILINE)


def _kept_values(site: Site, qid: str, count: int, key: str) -> list[str]:
    """``key`` of the first ``count`` readers in a question's readers file (a broken line is skipped)."""
    try:
        lines = readers_file.path_for(site.questions_dir, qid).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    values = []
    for line in lines[:count]:
        try:
            value = json.loads(line).get(key)
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(value, str):
            values.append(value)
    return values


def reject(site: Site, message: Message, reason: str, now: dt.datetime) -> Outcome:
    """Keep the original bytes (sealed: they hold the sender's address) and the reason.

    The same message rejected twice is kept once. The copy is an age file, so
    ``floor intake`` (with the key) or ``age -d`` reads it back for a retry.
    """
    digest = hashlib.sha256(message.raw).hexdigest()[:12]
    stem = f"{slug_for(message.label)[:40]}-{digest}"
    folder = rejected_dir(site)
    path = folder / f"{stem}{message.suffix}{sealing.SEALED_FILE_SUFFIX}"
    if not path.exists() and create_exclusive(path, site.keys.seal_bytes(message.raw)):
        note = f"{message.label}\nrejected {now.isoformat(timespec='seconds')}: {reason}\n"
        atomic_write_text(folder / f"{stem}.reason.txt", note)
    return Outcome("rejected", message.label, path=path, reason=reason, notes=message.notes)


def _entry(site: Site, new: intake.NewQuestion) -> AlsoAsked:
    return AlsoAsked(
        question=new.question,
        asked=new.asked,
        asker=new.asker,
        credit=new.credit,
        contact=site.keys.seal(new.contact),
        source=new.source,
        details=new.details,
        intake_id=new.intake_id,
        notify=new.notify,
    )


class _Readers:
    """The readers' contacts of each question, opened once per run (each sealing differs: compared
    only with the key; without it a resend is merged as another reader, undone by floor split)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.known: dict[str, set[str]] = {}

    def same(self, q: Question, contact: str | None) -> bool:
        if not contact:
            return False
        return contact.casefold() in self._of(q)

    def add(self, q: Question, contact: str | None) -> None:
        if contact and q.id in self.known:
            self.known[q.id].add(contact.casefold())

    def _of(self, q: Question) -> set[str]:
        found = self.known.get(q.id)
        if found is None:
            keys = self.site.keys
            everyone = readers_file.everyone(self.site.questions_dir, q)
            contacts = [q.contact, *(e.contact for e in everyone)]
            plain = {
                keys.open(c, where=q.path) if keys.can_open else c
                for c in contacts
                if c and (keys.can_open or not sealing.is_sealed(c))
            }
            found = self.known[q.id] = {c.casefold() for c in plain if c}
        return found


_TEXT_FIELDS = ("question", "asker", "contact", "source", "details", "intake_id")


def check(new: intake.NewQuestion) -> str | None:
    """Why a channel's NewQuestion cannot be filed (a wrong type), or None: no Python repr is ever stored."""
    for name in _TEXT_FIELDS:
        value = getattr(new, name)
        if value is not None and not isinstance(value, str):
            return f"{name}: expected text, got {type(value).__name__}"
    if not isinstance(new.question, str):
        return "question: missing"
    if not isinstance(new.asked, dt.date) or isinstance(new.asked, dt.datetime):
        return f"asked: expected a date, got {type(new.asked).__name__}"
    for name in ("credit", "notify"):
        if not isinstance(getattr(new, name), bool):
            return f"{name}: expected true or false, got {type(getattr(new, name)).__name__}"
    if not isinstance(new.tags, list) or not all(isinstance(t, str) for t in new.tags):
        return "tags: expected a list of words"
    if not all(isinstance(a, str) for a in new.private):
        return "contact: expected text"
    return None


def process(
    site: Site,
    messages: list[Message],
    now: dt.datetime,
    *,
    filed: Callable[[list[Outcome]], None] | None = None,
) -> list[Outcome]:
    """File every message: known → skipped, near-duplicate → merged, else added, or rejected.

    Runs under the site lock, so a publish cannot move a question while a
    reader is being merged into it. Readers merged into one question are
    written once, at the end (readers_file.add): a thousand readers of one
    question cost one write, not a thousand rewrites of a growing file. A
    message that cannot be written (a file that no longer reads, a full disk)
    is kept aside with the reason, and the others are filed: a run never
    stops half-way, and a re-run finishes what a killed one began.

    ``filed`` hears the outcomes once they are on disk (an added or kept-aside
    question at once, alone; one question's merged readers together, when its
    readers are written, so they can be said in one line), so a command stopped
    by Ctrl-C has already said what it filed.
    """
    limit = duplicates.threshold(site.settings.raw, site.conf_path)  # a bad setting fails first
    if not site.keys.recipient:  # every channel carries contacts: refuse before filing any of them
        raise FloorError(sealing.NO_RECIPIENT_FIX, path=site.conf_path)
    for message in messages:  # every message checked before anything is written
        problem = check(message.new) if message.new is not None else None
        if problem:
            message.new, message.reason = None, problem
    outcomes: list[Outcome] = []
    with journal.locked(site):
        q = queue_mod.load(site)
        run = _Run(site, limit, now, q.ids | {p.stem for p in site.questions_dir.glob("*.md")}, filed)
        for candidate in duplicates.merge_candidates(q.queued, q.published):
            run.index_question(candidate)
        run.taken |= {p.stem for p in site.posts_dir.glob("*.md")} | withdrawn.taken_slugs(site.root)
        try:
            for message in messages:
                outcome = run.file_one(message)
                outcomes.append(outcome)
                if outcome.action != "merged" and filed is not None:
                    filed([outcome])  # a merge is said once its readers are written
        finally:
            run.write_merges(outcomes)
    return outcomes


class _Run:
    """One intake run's state: the duplicate index, the ids on file, the merges not yet written."""

    def __init__(
        self,
        site: Site,
        limit: float | None,
        now: dt.datetime,
        taken: set[str],
        filed: Callable[[list[Outcome]], None] | None = None,
    ) -> None:
        self.site, self.limit, self.now, self.taken, self.filed = site, limit, now, taken, filed
        self.index = duplicates.Index(limit) if limit is not None else None
        self.known = known_values(site, "intake_id")
        self.readers = _Readers(site)
        self.region = intake.phone_region(site)
        self.pending: dict[str, list[tuple[int, Message, AlsoAsked]]] = {}  # question id → merges
        self.targets: dict[str, Question] = {}  # question id → the question merges go into
        self.counts: dict[str, int] = {}  # question id → merged readers, the pending ones included

    def index_question(self, q: Question) -> None:
        if self.index is None:
            return
        self.targets[q.id] = q
        kept = readers_file.load(self.site.questions_dir, q) if q.more_readers else []
        self.index.add(q, [q.question, *(e.question for e in [*q.also_asked_by, *kept])])
        self.counts[q.id] = len(q.also_asked_by) + q.more_readers

    def file_one(self, message: Message) -> Outcome:
        new = message.new
        if new is None:
            return reject(self.site, message, message.reason or "not a question", self.now)
        intake.clean(new, phone_region=self.region)
        if new.masked:
            message.notes.append(intake.masked_note(new.masked))
        if new.intake_id and new.intake_id in self.known:
            return Outcome("known", message.label, qid=self.known[new.intake_id].stem, question=new.question)
        if not new.question:
            return reject(self.site, message, "no question: the text is empty", self.now)
        # an unusable contact or tag is left out with a note: nothing intake.problem refuses is
        # left (the empty question is rejected above), and add_question checks it once more
        message.notes.extend(intake.without_unusable(new))
        match = self.index.best(new.question) if self.index is not None else None
        if match is not None and self.readers.same(match.question, new.contact):
            # the same reader asking again (a resend, a second channel) is not a second reader
            return Outcome(
                "repeat", message.label, qid=match.question.id, question=new.question, notes=message.notes
            )
        if match is not None:
            target = match.question
            entry = self.counts.get(target.id, 0) + 1
            self.counts[target.id] = entry
            self.pending.setdefault(target.id, []).append((entry, message, _entry(self.site, new)))
            self.readers.add(target, new.contact)
            self.index.add(target, [new.question])  # type: ignore[union-attr]
            outcome = Outcome(
                "merged",
                message.label,
                qid=target.id,
                question=new.question,
                score=match.score,
                entry=entry,
                matched=match.matched_text,
                notes=message.notes,
            )
        else:
            try:
                added = intake.add_question(self.site, new, taken=self.taken, cleaned=True)
            except (FloorError, OSError) as exc:
                return reject(self.site, message, _why(exc), self.now)
            self.index_question(added)
            outcome = Outcome(
                "added", message.label, qid=added.id, question=new.question, notes=message.notes
            )
        if new.intake_id:
            self.known[new.intake_id] = self.site.questions_dir / f"{outcome.qid}.md"
        return outcome

    def write_merges(self, outcomes: list[Outcome]) -> None:
        """Write each question's new readers at once; a question that cannot take them keeps them aside."""
        for qid, merges in self.pending.items():
            target = self.targets[qid]
            try:
                current = question_mod.load(target.path, published=target.published)  # as it is now
                readers_file.add(self.site.questions_dir, current, [entry for _, _, entry in merges])
            except (FloorError, OSError) as exc:
                reason = f"could not be merged into {qid}: {_why(exc)}"
                done = []
                for _, message, _ in merges:
                    kept = reject(self.site, message, reason, self.now)
                    at = next(i for i, o in enumerate(outcomes) if o.label == message.label and o.qid == qid)
                    outcomes[at] = kept
                    done.append(kept)
            else:
                labels = {message.label for _, message, _ in merges}
                done = [o for o in outcomes if o.action == "merged" and o.qid == qid and o.label in labels]
            if self.filed is not None and done:
                self.filed(done)
        self.pending.clear()


def _why(exc: Exception) -> str:
    """A reason a person can act on: the kit's message, or the system's for a file that failed."""
    if isinstance(exc, FloorError):
        return exc.problem if exc.path is None else f"{exc.path.name}: {exc.message.split(': ', 1)[-1]}"
    return f"{getattr(exc, 'strerror', None) or type(exc).__name__} ({getattr(exc, 'filename', '') or ''})"


def describe(outcome: Outcome, site: Site) -> list[str]:
    """The lines `floor intake` prints for one message (reader text in them: no control characters)."""
    return [intake.clean_text(line, multiline=True) for line in _lines(outcome, site)]


ONE_BY_ONE = 3  # up to this many readers of one file merged into one question are said one by one
_NUMBERED = re.compile(r"^(.*\D)(\d+)$")  # "talk.csv row 5", "inbox.mbox message 12"


def _same_words_key(outcome: Outcome) -> tuple[str, str] | None:
    """The one entry a merge is said in: its question and the file its row is in."""
    if outcome.action != "merged" or outcome.qid is None:
        return None
    found = _NUMBERED.match(outcome.label)
    return (outcome.qid, found.group(1)) if found else None


def _ranges(numbers: list[int]) -> str:
    """5, 6, 7, 9 → "5-7, 9": a crowd's rows stay findable in a line a person can read."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _same_words_lines(group: list[Outcome]) -> list[str]:
    """One entry for the readers of one file merged into one question: their rows as ranges, then
    each wording that was not the question's very words once, with the words it matched."""
    qid, prefix = _same_words_key(group[0])  # type: ignore[misc]
    rows = [int(_NUMBERED.match(o.label).group(2)) for o in group]  # type: ignore[union-attr]
    readers = [(o.entry or 0) + 1 for o in group]
    plural = prefix[: -len("row ")] + "rows " if prefix.endswith("row ") else prefix
    lines = [f"note: {o.label}: {note}" for o in group for note in o.notes]
    entry = [
        f"merged {len(group)} readers into {qid}: {plural}{_ranges(rows)} "
        f"as readers {_ranges(readers)}, in that order"
    ]
    same = sum(1 for o in group if o.question == o.matched)
    if same:
        entry.append(f"    {same} word for word")
    wordings: dict[tuple[str, str], list[Outcome]] = {}
    for o in group:
        if o.question != o.matched:
            wordings.setdefault((o.question, o.matched or ""), []).append(o)
    for (words, matched), alike in wordings.items():
        entry.append(
            f"    {len(alike)} in other words ({duplicates.how_alike(alike[0].score)}):\n"
            f"      new:      {words}\n"
            f"      matched:  {matched}"
        )
    entry.append(f"  not the same question? floor split {qid} --entry N (N: its reader number less one)")
    return [*lines, "\n".join(entry)]


def describe_all(outcomes: list[Outcome], site: Site) -> list[tuple[str, bool]]:
    """The lines for several messages, as (line, is_a_problem): more than ONE_BY_ONE readers of one
    file who asked a question are one entry with their rows as ranges (a talk's 600 readers were
    599 entries saying much the same), at the place of the first of them; every other message as before."""
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        key = _same_words_key(outcome)
        if key is not None:
            groups.setdefault(key, []).append(outcome)
    lines: list[tuple[str, bool]] = []
    said: set[tuple[str, str]] = set()
    for outcome in outcomes:
        key = _same_words_key(outcome)
        if key is not None and len(groups[key]) > ONE_BY_ONE:
            if key not in said:
                said.add(key)
                lines += [
                    (intake.clean_text(ln, multiline=True), False) for ln in _same_words_lines(groups[key])
                ]
            continue
        lines += [(line, outcome.action == "rejected") for line in describe(outcome, site)]
    return lines


def _lines(outcome: Outcome, site: Site) -> list[str]:
    lines = [f"note: {outcome.label}: {note}" for note in outcome.notes]
    if outcome.action == "added":
        lines.append(f"added {outcome.qid}: {outcome.question}")
    elif outcome.action == "merged" and outcome.question == outcome.matched:
        # the same words: showing them twice tells the author nothing (a talk's 600 readers were 2,400 lines)
        lines.append(
            f"merged {outcome.label} into {outcome.qid} as reader {(outcome.entry or 0) + 1}, "
            f"word for word (undo: floor split {outcome.qid} --entry {outcome.entry})"
        )
    elif outcome.action == "merged":
        lines.append(
            f"merged {outcome.label} into {outcome.qid} as reader {(outcome.entry or 0) + 1} "
            f"({duplicates.how_alike(outcome.score)}):\n"
            f"    new:      {outcome.question}\n"
            f"    matched:  {outcome.matched}\n"
            f"  not the same question? floor split {outcome.qid} --entry {outcome.entry}"
        )
    elif outcome.action == "known":
        lines.append(f"already imported: {outcome.label} ({outcome.qid})")
    elif outcome.action == "repeat":
        lines.append(f"asked again by the same reader: {outcome.label} is {outcome.qid}; nothing added")
    else:
        where = outcome.path.relative_to(site.root) if outcome.path else "?"
        lines.append(f"rejected {outcome.label}: {outcome.reason}; kept in {where}")
    return lines


def summary(outcomes: list[Outcome]) -> str:
    counts = {action: sum(1 for o in outcomes if o.action == action) for action in ("added", "merged")}
    known = sum(1 for o in outcomes if o.action in ("known", "repeat"))
    rejected = sum(1 for o in outcomes if o.action == "rejected")
    return (
        f"{counts['added']} added, {counts['merged']} merged, {known} already imported, {rejected} rejected"
    )
