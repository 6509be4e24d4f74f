"""Front matter read strictly, and edited in place without touching other bytes.

YAML 1.1 turns ``no`` into False and ``2026-02-30`` into a crash; question
files are written by people, so every scalar stays a string unless it is
exactly ``true``/``false``/``null`` (YAML 1.2 style), and each field's own
parser decides what the text means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml

from ..errors import FloorError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader whose only implicit types are null and true/false.

    A key given twice is an error: YAML would silently keep the last one,
    and a second, empty ``quick_answer:`` would hide the answer above it.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the field {key_node.value!r} is given twice; keep one",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node: the two implicit types looked up, not matched by regex per node."""
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            return _IMPLICIT.get(value, _STR)
        return super().resolve(kind, value, implicit)

    def get_single_node(self) -> yaml.Node | None:
        """The document's node tree, refused before anything is built from it if it holds an
        alias or an explicit tag (see :func:`refuse_aliases_and_tags`)."""
        node = super().get_single_node()
        if node is not None:
            refuse_aliases_and_tags(node)
        return node

    def get_single_data(self) -> Any:
        """The document, built straight from its nodes when it is plain fields.

        PyYAML's constructor walks every node through generic, generator-based
        machinery; question files are flat fields of text and lists of text,
        so those are built here directly (with the lookup in :meth:`resolve`,
        a quarter less CPU for ``floor queue`` at 10,000 files). Anything else
        (another tag, an alias cycle, a key given twice) goes the general way,
        which also reports the errors.
        """
        node = self.get_single_node()
        if node is None:
            return None
        data = _plain(node, 0)
        return self.construct_document(node) if data is _GENERAL else data


class _UnmarkedLoader(StrictLoader):
    """For front matter with neither ``&`` nor ``!`` in it: no anchor, hence no alias, and no
    tag can occur, so the walk of :func:`refuse_aliases_and_tags` is skipped (a fifth of the
    parse time of a plain question file)."""

    get_single_node = _Base.get_single_node


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_BOOLS = {"true": True, "false": False}
# The plain scalars that are not text: looked up by StrictLoader.resolve, and the
# same words registered as PyYAML's implicit resolvers below.
_TRUE_FALSE = ("true", "True", "TRUE", "false", "False", "FALSE")
_NULLS = ("~", "null", "Null", "NULL", "")
_IMPLICIT = {**dict.fromkeys(_TRUE_FALSE, _BOOL), **dict.fromkeys(_NULLS, _NULL)}
_GENERAL = object()  # "build this document with PyYAML's own constructor"
_MAX_DEPTH = 16  # front matter is shallow; an alias cycle is not


MAX_FRONT_MATTER = 256 * 1024  # bytes: a question's fields are a few KiB; this is a hundred times that
_PLAIN_TAGS = frozenset({_STR, _SEQ, _MAP, _BOOL, _NULL})


def refuse_aliases_and_tags(root: yaml.Node) -> None:
    """Refuse YAML aliases and explicit tags, walking the composed nodes once (no recursion).

    An alias makes two places share one node, so a "billion laughs" file of a
    few hundred bytes would expand to gigabytes when built or walked; a node
    met twice is an alias, found before anything is expanded. Explicit tags
    (``!!binary``, ``!!set``, ``!!python/…``, a local ``!foo``) make values
    that are not text; question files have no use for either.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a YAML alias ('*name') repeats the value anchored here ('&name'); "
                "aliases are not allowed in a question file: write the value out",
                node.start_mark,
            )
        seen.add(id(node))
        tag = node.tag
        explicit = tag not in _PLAIN_TAGS or (
            node.id == "scalar" and tag != _STR and _IMPLICIT.get(node.value) != tag
        )
        if explicit:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the explicit YAML tag {shown!r} is not allowed in a question file; "
                "write the value as plain text",
                node.start_mark,
            )
        if node.id == "sequence":
            stack.extend(reversed(node.value))
        elif node.id == "mapping":
            for key, value in reversed(node.value):
                stack.extend((value, key))


def _plain(node: yaml.Node, depth: int) -> Any:
    """The value of a node made only of text, true/false/null, lists and fields."""
    kind, tag = node.id, node.tag
    if kind == "scalar":
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS.get(node.value.lower(), _GENERAL)
        return _GENERAL
    if depth > _MAX_DEPTH:
        return _GENERAL
    if kind == "sequence" and tag == _SEQ:
        items = []
        for item in node.value:
            value = _plain(item, depth + 1)
            if value is _GENERAL:
                return _GENERAL
            items.append(value)
        return items
    if kind == "mapping" and tag == _MAP:
        fields: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.id != "scalar" or key_node.tag != _STR:
                return _GENERAL
            key = key_node.value
            if key == "<<" or key in fields:
                return _GENERAL
            value = _plain(value_node, depth + 1)
            if value is _GENERAL:
                return _GENERAL
            fields[key] = value
        return fields
    return _GENERAL


StrictLoader.yaml_implicit_resolvers = {}
for _tag, _words in ((_BOOL, _TRUE_FALSE), (_NULL, _NULLS)):
    StrictLoader.add_implicit_resolver(
        _tag,
        re.compile("^(?:" + "|".join(map(re.escape, _words)) + ")$"),
        sorted({word[:1] for word in _words}),
    )

# No \A: ``match(text, pos)`` anchors at pos, and \A would never match after a BOM.
_OPEN = re.compile(r"---[ \t]*\r?\n")
_LONE_CR = re.compile(r"---[ \t]*\r(?!\n)")  # a classic Mac file's first line
_CLOSE = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_HANDLER = frontmatter.YAMLHandler()


@dataclass(frozen=True)
class Split:
    """Where the front matter sits in the file text (character offsets)."""

    fm_start: int
    fm_end: int
    body_start: int

    def front(self, text: str) -> str:
        return text[self.fm_start : self.fm_end]

    def body(self, text: str) -> str:
        return text[self.body_start :]


def split(text: str, path: Any = None) -> Split:
    """Locate the ``---`` fences; a file without them is an error, not a guess."""
    text_start = 1 if text.startswith("\ufeff") else 0
    opening = _OPEN.match(text, text_start)
    if not opening and _LONE_CR.match(text, text_start):
        raise FloorError(
            "its lines end in a lone carriage return (the old Mac text format): save it with "
            "Unix (LF) or Windows (CRLF) line endings",
            path=path,
            line=1,
        )
    if not opening:
        raise FloorError(
            "no front matter: the file must start with a '---' line, then the "
            "question's fields, then another '---' line",
            path=path,
            line=1,
        )
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise FloorError(
            "the front matter is never closed: add a '---' line after the fields",
            path=path,
        )
    return Split(opening.end(), closing.start(), closing.end())


def fm_line_offset(text: str, sp: Split) -> int:
    """Line number (0-based) of the first front-matter line in the file."""
    return text.count("\n", 0, sp.fm_start)


_CURLY = "\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb"  # “ ” „ ‘ ’ « »


def _indented(front: str, line: int) -> bool:
    """Whether front-matter line ``line`` starts with a space and then a field name."""
    lines = front.splitlines()
    return 0 <= line < len(lines) and re.match(r" +[A-Za-z_][\w-]*:(\s|$)", lines[line]) is not None


def _quotes_advice(front: str, line: int | None) -> str:
    """Which quotes to use. Word processors and TextEdit turn typed quotes into curly ones
    (“…”), which look like quotes to the author and are plain text to YAML: on such a line, say
    so, or "put it in quotes" reads as advice already followed."""
    lines = front.splitlines()
    if line is None or not 0 <= line < len(lines) or not any(c in lines[line] for c in _CURLY):
        return "quotes"
    return 'straight quotes ("…"): the curly ones (“…”) an editor typed are not quotes to YAML'


def load_mapping(text: str, path: Any = None) -> tuple[dict[str, Any], Split]:
    """Parse the front matter into a dict, with errors naming file and line."""
    sp = split(text, path)
    front = sp.front(text)
    if len(front) > MAX_FRONT_MATTER // 4 and len(front.encode("utf-8")) > MAX_FRONT_MATTER:
        raise FloorError(
            f"the front matter is {len(front.encode('utf-8')) // 1024} KiB, more than the "
            f"{MAX_FRONT_MATTER // 1024} KiB a question file may hold; shorten the fields "
            "(long answers belong in the body, below the second '---')",
            path=path,
            line=fm_line_offset(text, sp) + 1,
        )
    try:
        loader = StrictLoader if "&" in front or "!" in front else _UnmarkedLoader
        data = _HANDLER.load(front, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "tab" in str(exc).lower() or (mark and _tab_indented(front, mark.line)):
            problem = "a tab is used for indentation; YAML needs spaces"
        elif exc.context and "quoted scalar" in exc.context and exc.context_mark:
            mark = exc.context_mark  # where the quote opens, not where the file ends
            problem = "a quoted value is never closed; add the closing quote"
        elif exc.context and "flow sequence" in exc.context and exc.context_mark:
            mark = exc.context_mark  # where the list opens (`tags: [a, b`), not the next line
            problem = "a list opened with '[' is never closed; add the closing ']'"
        elif problem.startswith("mapping values are not allowed") and mark and _indented(front, mark.line):
            # `  asked: 2026-12-01` under `question: …`: read as the question's second line
            problem = "this line is indented, so it reads as part of the field above; "
            problem += "start it at the line's beginning"
        elif problem.startswith("mapping values are not allowed"):
            # YAML's words for `quick_answer: Yes: and no` (a colon and a space inside a value)
            problem = "the value holds ': ' (a colon, then a space) outside quotes; put the whole value in "
            problem += _quotes_advice(front, mark.line if mark else None)
        elif exc.context:
            problem = f"{exc.context}, {problem}"
        line = mark.line + 1 + fm_line_offset(text, sp) if mark else None
        field = _field_on(front, mark.line) if mark else None
        raise FloorError(f"malformed front matter: {problem}", path=path, line=line, field=field) from None
    except yaml.YAMLError as exc:
        raise FloorError(f"malformed front matter: {exc}", path=path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise FloorError(
            f"the front matter must be 'key: value' fields, not {kind}",
            path=path,
            line=fm_line_offset(text, sp) + 1,
        )
    for key in data:
        if not isinstance(key, str):
            raise FloorError(f"field name {key!r} is not text", path=path)
    return data, sp


def _field_on(front: str, line: int) -> str | None:
    """The field a front-matter line sets (`tags: [a` -> "tags"), to name it in an error."""
    lines = front.splitlines()
    found = re.match(r"([A-Za-z_][\w-]*)\s*:", lines[line]) if 0 <= line < len(lines) else None
    return found.group(1) if found else None


def _tab_indented(front: str, line: int) -> bool:
    """Whether the line a YAML error points at is indented with a tab.

    LibYAML reports a tab as "found character that cannot start any token",
    which does not say what to fix.
    """
    lines = front.splitlines()
    text = lines[line] if 0 <= line < len(lines) else ""
    return "\t" in text[: len(text) - len(text.lstrip(" \t"))]


# Characters YAML reads as line breaks: inside a plain or single-quoted scalar they
# would fold into spaces, so values holding them are written double-quoted (escaped).
_LINE_BREAKS = frozenset("\r\n\x85\u2028\u2029")


# Text YAML reads back as this very string when written plain: a letter first, then letters,
# digits, spaces and punctuation that is no YAML indicator (no '#', quotes, brackets …; a ':'
# only before another character, as in a sealed contact "age:…" or an id "csv:…"), not ending
# in a space; and not a word YAML 1.1 reads as a boolean or null.
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .,?!()/'+=-]|:(?=[^ ]))*(?<! )")
_RESOLVED_WORDS = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null"])


def dump_scalar(value: Any) -> str:
    """One-line YAML for a value, quoted whenever a YAML 1.1 reader could misread it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow_item(v) for v in value) + "]"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.casefold() not in _RESOLVED_WORDS:
        return text  # what the emitter writes for it too (tests/core/test_frontmatter_text.py), 50x sooner
    dumped = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1 << 30)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    dumped = dumped.rstrip("\n")
    if "\n" in dumped or not _LINE_BREAKS.isdisjoint(text):  # force one double-quoted line
        dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30).rstrip("\n")
    return dumped


def _flow_item(value: Any) -> str:
    """A list item: inside ``[…]`` plain text may not hold ``,[]{}`` or start with ``?``,
    so let the emitter judge it in flow context (and keep it on one line)."""
    if not isinstance(value, str):
        return dump_scalar(value)
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30)
    dumped = dumped.strip("\n")[1:-1]
    if "\n" in dumped or not _LINE_BREAKS.isdisjoint(value):
        dumped = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1 << 30).rstrip("\n")
    return dumped


def _value_spans(text: str, sp: Split) -> dict[str, tuple[int, int, int, bool]]:
    """key -> (line start of the key, value start, value end, is_block) in file offsets."""
    front = sp.front(text)
    node = yaml.compose(front, Loader=StrictLoader)
    spans: dict[str, tuple[int, int, int, bool]] = {}
    if not isinstance(node, yaml.MappingNode):
        return spans
    for key_node, value_node in node.value:
        key_start = sp.fm_start + key_node.start_mark.index
        line_start = text.rfind("\n", 0, key_start) + 1
        start = sp.fm_start + value_node.start_mark.index
        end = sp.fm_start + value_node.end_mark.index
        is_block = getattr(value_node, "style", None) in ("|", ">") or (
            isinstance(value_node, (yaml.SequenceNode, yaml.MappingNode)) and not value_node.flow_style
        )
        if start == end and value_node.value in ("", None):
            # "key:" with nothing after it: the value sits right after the colon
            colon = text.find(":", sp.fm_start + key_node.end_mark.index)
            start = end = colon + 1
        elif is_block:
            # a block ends after its last content line: blank lines below it are layout
            last = start + len(text[start:end].rstrip(" \t\r\n"))
            line_end = text.find("\n", last, end)
            if line_end != -1:
                end = line_end + 1
        spans[key_node.value] = (line_start, start, end, is_block)
    return spans


def set_field(text: str, key: str, value: Any, path: Any = None) -> str:
    """Return ``text`` with one field changed or added; every other byte kept."""
    _, sp = load_mapping(text, path)
    rendered = dump_scalar(value)
    spans = _value_spans(text, sp)
    if key in spans:
        _, start, end, is_block = spans[key]
        prefix = text[:start]
        if not prefix.endswith((" ", "\t")) and prefix.endswith(":"):
            rendered = " " + rendered
        elif is_block:
            # a block value starts on the next line; bring it back to the key's line
            while prefix.endswith((" ", "\t", "\n", "\r")):
                prefix = prefix[:-1]
            rendered = " " + rendered
        old = text[start:end]
        if is_block and old.endswith("\n"):  # keep the line break the block ended with
            rendered += "\r\n" if old.endswith("\r\n") else "\n"
        return prefix + rendered + text[end:]
    newline = "\r\n" if "\r\n" in text[: sp.body_start] else "\n"
    insert_at = sp.fm_end
    before = text[:insert_at]
    if before and not before.endswith("\n"):
        before += newline
    return before + f"{key}: {rendered}{newline}" + text[insert_at:]


def remove_field(text: str, key: str, path: Any = None) -> str:
    """Delete a field's whole lines, leaving every other byte as it was."""
    _, sp = load_mapping(text, path)
    spans = _value_spans(text, sp)
    if key not in spans:
        return text
    line_start, _, end, _ = spans[key]
    line_end = text.find("\n", max(end - 1, line_start))
    if text[end - 1 : end] == "\n":
        line_end = end - 1
    cut_to = len(text) if line_end == -1 else line_end + 1
    return text[:line_start] + text[cut_to:]


def set_body(text: str, body: str, path: Any = None) -> str:
    """Replace the Markdown body, keeping the front matter byte for byte.

    The body takes the file's line endings, so a CRLF file stays CRLF.
    """
    _, sp = load_mapping(text, path)
    head = text[: sp.body_start]
    newline = "\r\n" if head.endswith("\r\n") else "\n"
    body = body.replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    if body and not head.endswith("\n"):  # the closing '---' was the file's last line
        head += newline
    return head + body.replace("\n", newline)
