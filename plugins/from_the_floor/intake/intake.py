"""Adding a question to the queue: the one place new question files are written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from slugify import slugify

from ..core import contact_recogniser, frontmatter_text, sealing, unprintable, withdrawn
from ..core import settings as settings_mod
from ..core.atomic import create_exclusive
from ..core.ids import unique_id
from ..core.queue import load as load_queue
from ..core.site import Site
from ..core.tag_slugs import first_spellings, spelling_key
from ..errors import FloorError
from . import contact_mask

if TYPE_CHECKING:
    from ..core.question import Question


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop the characters a reader's text never keeps (core/unprintable.py); a line break,
    tab or carriage return becomes a space, but line breaks and tabs stay if ``multiline``."""
    breaks = "\r" if multiline else "\r\n\t"
    cleaned = unprintable.drop(text.translate({ord(ch): " " for ch in breaks}))
    if multiline:
        return "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    return " ".join(cleaned.split())


@dataclass
class NewQuestion:
    question: str
    asked: dt.date
    asker: str | None = None
    contact: str | None = None
    source: str = "notes"
    tags: list[str] = field(default_factory=list)
    details: str | None = None
    credit: bool = False
    notify: bool = False  # the reader agreed to hear when the answer is up (floor notify)
    intake_id: str | None = None  # where it came from (Message-ID, issue URL…): never imported twice
    # this reader's addresses (From, Reply-To…), masked wherever the reader's text repeats them; not stored
    private: list[str] = field(default_factory=list)
    masked: int = 0  # how many contact details clean() took out of the reader's text (for the report)


def render_file(q: NewQuestion) -> str:
    """The new file's text, in the key order of the design brief."""
    d = frontmatter_text.dump_scalar
    lines = ["---", f"question: {d(q.question)}", f"asked: {q.asked.isoformat()}"]
    if q.asker:
        lines.append(f"asker: {d(q.asker)}")
    lines.append(f"credit: {d(q.credit)}")
    if q.contact:
        lines.append(f"contact: {d(q.contact)}")
    if q.notify:
        lines.append("notify: true")
    lines.append(f"source: {d(q.source)}")
    if q.intake_id:
        lines.append(f"intake_id: {d(q.intake_id)}")
    lines.append(f"tags: {d(q.tags)}")
    if q.details:
        lines.append(f"details: {d(q.details)}")
    lines += ["quick_answer:", "---", ""]
    return "\n".join(lines)


def _is_address(value: str) -> bool:
    """An email address or a phone number: worth masking verbatim (a contact like "desk" is not)."""
    return "@" in value or sum(ch.isdigit() for ch in value) >= 7


def masked_note(count: int) -> str:
    """The report's line for contact details taken out of a reader's text."""
    s = "s" if count != 1 else ""
    return (
        f"removed {count} contact detail{s} (address, phone, handle) from the reader's text "
        f"as {contact_mask.MASK!r}; the contact field keeps how to reach them"
    )


def clean(new: NewQuestion, *, phone_region: str | None = None) -> NewQuestion:
    """Strip what a reader's client may have sent besides text, and contact details from their words.

    In place; returned for chaining. Running it twice changes nothing more.
    """
    new.question = clean_text(new.question)
    new.details = (clean_text(new.details, multiline=True) or None) if new.details else None
    new.asker = (clean_text(new.asker) or None) if new.asker else None
    known = tuple(a for a in (new.contact, *new.private) if isinstance(a, str) and _is_address(a))
    masked = 0
    for name in ("question", "details", "asker"):
        value, n = contact_mask.mask(getattr(new, name), region=phone_region, known=known)
        setattr(new, name, value)
        masked += n
    if new.asker and not new.asker.replace(contact_mask.MASK, "").strip(" ,;:<>()[]-"):
        new.asker = None  # the "name" was only an address
    new.masked += masked
    new.contact = _bare_contact(clean_text(new.contact)) if new.contact else None
    new.intake_id = _private_free_id(clean_text(new.intake_id) or None, known) if new.intake_id else None
    new.tags = [t for t in (clean_text(t) for t in new.tags) if t]
    return new


# A tag becomes a page and a feed named after its slug: a file name has 255 bytes at most, and
# "feeds/tag/<slug>.atom.xml" must fit, so a tag longer than this is refused at intake.
MAX_TAG_LENGTH = 100
_MAX_TAG_SLUG = 200  # transliterated (東 → "dong"), as Pelican's slug for the tag is
# A handle: "@" and a name (Mastodon's "@ann@example.social" is read as an address already).
_HANDLE = re.compile(r"@[^\W_][\w.-]{2,}")


def _reachable(part: contact_recogniser.Part) -> bool:
    """An address that is one, or a number of 7 to 15 digits (E.164's longest)."""
    if part.kind == contact_recogniser.EMAIL:
        return contact_recogniser.looks_like_address(part.value)
    if part.kind == contact_recogniser.PHONE:
        return contact_recogniser.MIN_PHONE_DIGITS <= sum(ch.isdigit() for ch in part.value) <= 15
    return False


def contact_problem(value: str | None) -> str | None:
    """Why a reader's cleaned ``contact`` cannot be stored, or None (the value is never shown).

    A contact holds an email address or a phone number (contact_recogniser.parse_field), is an
    ``@handle``, or is the issue a GitHub question came from. Anything else cannot reach the
    reader, and the build guard would look for it as a word in every page: a "contact" of
    ``undefined`` or ``None`` (both in the theme's own files) refused every build until the
    question was taken out by hand.
    """
    if not value or value.startswith("github:") or sealing.is_sealed(value):
        return None  # a sealed one was checked as it came in (`floor split` files it again)
    parts = contact_recogniser.parse_field(value)
    if any(_reachable(part) for part in parts):
        return None
    if len(parts) == 1 and _HANDLE.fullmatch(parts[0].value):
        return None
    return (
        "is not an email address, a phone number or an @handle, so the reader cannot be "
        "reached at it (the value is private, so it is not shown)"
    )


def tag_problem(tag: str) -> str | None:
    """Why a reader's cleaned tag cannot be stored, or None."""
    if len(tag) > MAX_TAG_LENGTH or len(slugify(tag)) > _MAX_TAG_SLUG:
        return f"a tag of {len(tag)} characters is too long for a page address; at most {MAX_TAG_LENGTH}"
    return None


def without_unusable(new: NewQuestion) -> list[str]:
    """For a reader's message (a mail, a form row, an issue): leave out a contact that reaches
    no one and tags too long for an address, and return a note for each, so the question
    itself is still filed.

    A form's optional contact column often holds "n/a", "none" or "undefined": refusing the
    whole question for it would lose what the reader asked, and the author could not have
    replied at it anyway. The contact is left out rather than kept (it would be looked for in
    every page by the build's guard); the note never shows it. ``floor ask`` and the desk,
    where the author types the fields, still refuse with :func:`problem` instead.
    """
    notes: list[str] = []
    if contact_problem(new.contact):
        new.contact = None
        notes.append(
            "contact left out: it holds no email address, phone number or @handle, so the "
            "reader could not be reached at it (not shown: a contact is private)"
        )
    long = [tag for tag in new.tags if tag_problem(tag)]
    if long:
        new.tags = [tag for tag in new.tags if tag not in long]
        s = "s" if len(long) != 1 else ""
        notes.append(
            f"left out {len(long)} tag{s} longer than {MAX_TAG_LENGTH} characters "
            "(too long for a page address)"
        )
    return notes


def problem(new: NewQuestion) -> FloorError | None:
    """What makes a cleaned question unfit to file (its field and the reason), or None."""
    if not new.question:
        return FloorError("the question is empty", field="question")
    if found := contact_problem(new.contact):
        return FloorError(found, field="contact")
    for tag in new.tags:
        if found := tag_problem(tag):
            return FloorError(found, field="tags")
    return None


def _private_free_id(intake_id: str | None, addresses: tuple[str, ...]) -> str | None:
    """The id, or its digest when it holds the reader's own address.

    Some mail clients make the Message-ID from the sender's address (``<ann@example.org>``);
    the id is stored in plain, so it must not carry the contact that is sealed beside it. The
    digest still finds the same message again on a re-run.
    """
    if not intake_id:
        return None
    folded = intake_id.casefold()
    bare = {email.casefold() for a in addresses for email in contact_recogniser.emails_in_field(a)}
    if any(email in folded for email in bare):
        return "sha256:" + hashlib.sha256(intake_id.encode("utf-8")).hexdigest()
    return intake_id


def _bare_contact(value: str | None) -> str | None:
    """The contact as stored: each address and number bare (``Bob <bob@example.org>`` is
    ``bob@example.org``; contact_recogniser.bare_field); an issue contact as it is."""
    if not value:
        return None
    if value.strip().startswith("github:"):  # github:OWNER/NAME/issues/N (intake_github)
        return value
    return contact_recogniser.bare_field(value)


def phone_region(site: Site) -> str | None:
    """Where national phone numbers in reader text are recognised (settings.phone_region)."""
    return settings_mod.phone_region(site.settings.raw)


def already_queued(site: Site, new: NewQuestion) -> Question | None:
    """The queued question that is this very one (same text, asker, contact and asked day), if any.

    `floor ask` stopped after its file was written is run again as the Ctrl-C line says: the
    re-run must not file a second copy. ``new`` is cleaned (:func:`clean`) already. A sealed
    contact is compared only with the private key; without it nothing counts as the same.
    """
    import re

    from ..core.ids import slug_for
    from ..core.question import load, parse_text

    keys = site.keys
    # the text as it would be stored and read back, so quoting and whitespace compare alike
    probe = parse_text(render_file(dataclasses.replace(new, contact=None)), site.questions_dir / "probe.md")
    # the same text was filed under its slug, or the slug with -2, -3 … (ids.unique_id): only
    # those files are read, not the whole queue, which add_question reads for its ids anyway
    named = re.compile(re.escape(slug_for(new.question)) + r"(?:-[0-9]+)?\.md")
    files = sorted(site.questions_dir.glob("*.md")) if site.questions_dir.is_dir() else []
    for q in (load(path) for path in files if named.fullmatch(path.name)):
        if (q.question, q.asker, q.asked) != (probe.question, probe.asker, probe.asked):
            continue
        if not q.contact and not new.contact:
            return q
        openable = q.contact and new.contact and (keys.can_open or not sealing.is_sealed(q.contact))
        if openable and (keys.open(q.contact, where=q.path) or "").casefold() == new.contact.casefold():
            return q
    return None


class Respelled(NamedTuple):
    """A tag written another way than it was given: as the column's posts, or the blog's own, spell it."""

    given: str
    written: str
    blog: bool = False  # the spelling came from the blog's own posts (a blog that added the plugin)


def spell_tags_as_the_column(site: Site, new: NewQuestion) -> list[Respelled]:
    """Write ``new``'s tags as the column already spells them; the tags changed.

    "Edge Case" on a column whose posts say "edge case" is one tag to a reader and one page and
    feed to Pelican: written the new way, every `floor check` would warn about it (as `floor
    import` does for an old blog's tags). Tags that differ only in capitals, spaces and hyphens
    count as the same ("Edge-Case" and "edge case": tag_slugs.spelling_key). In a blog that added
    the plugin, the blog's own posts' tags count too (after the column's): a column tag "post
    formats" would otherwise rename the blog's "Post Formats" page (core/blog_tags.py).
    """
    if not new.tags:
        return []
    from ..core import blog_tags

    q = load_queue(site)
    column = first_spellings(t for item in q.published + q.queued for t in item.tags)
    blog = {k: v for k, v in first_spellings(blog_tags.own_tags(site)).items() if k not in column}
    changed: list[Respelled] = []
    written = []
    for tag in new.tags:
        key = spelling_key(tag)
        one = column.get(key) or blog.get(key) or tag
        written.append(one)
        if one != tag:
            changed.append(Respelled(tag, one, blog=key in blog))
    new.tags = list(dict.fromkeys(written))
    return changed


def respelled_note(changed: list[Respelled]) -> str:
    """The one line that says which tags were written as the column (or the blog) spells them."""
    parts = []
    for blog, words in (
        (False, "tags written as the column already spells them: "),
        (True, "tags written as the blog's own posts spell them: "),
    ):
        pairs = [f"{r.given!r} as {r.written!r}" for r in changed if r.blog is blog]
        if pairs:
            parts.append(words + ", ".join(pairs))
    return "; ".join(parts)


def add(site: Site, new: NewQuestion, *, taken: set[str] | None = None) -> str:
    """Write questions/<id>.md and return the id; never overwrites a file."""
    return add_question(site, new, taken=taken).id


def add_question(
    site: Site, new: NewQuestion, *, taken: set[str] | None = None, cleaned: bool = False
) -> Question:
    """:func:`add`, returning the question as written (parsed once, before writing).

    For an intake of thousands of rows: ``taken``, the ids already in use (kept
    by the caller and added to here, instead of reading the queue again for
    each row), and ``cleaned`` when the caller already ran :func:`clean`.
    """
    if not cleaned:
        clean(new, phone_region=phone_region(site))
    if (unfit := problem(new)) is not None:
        raise unfit
    if taken is None:
        taken = (
            load_queue(site).ids
            | {p.stem for p in site.questions_dir.glob("*.md")}
            | {p.stem for p in site.posts_dir.glob("*.md")}
            | withdrawn.taken_slugs(site.root)
        )
    # never written in plain text; the caller's NewQuestion keeps the plain contact
    text = render_file(dataclasses.replace(new, contact=site.keys.seal(new.contact)))
    from ..core.question import parse_text

    site.questions_dir.mkdir(parents=True, exist_ok=True)
    while True:
        qid = unique_id(new.question, taken)
        path = site.questions_dir / f"{qid}.md"
        written = parse_text(text, path)  # what we write must read back cleanly
        taken.add(qid)
        if create_exclusive(path, text):
            return written
        # another intake took the name since we looked: the next free one
