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

from .errors import FloorError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader whose only implicit types are null and true/false."""


StrictLoader.yaml_implicit_resolvers = {}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)

_OPEN = re.compile(r"\A---[ \t]*\r?\n")
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


def load_mapping(text: str, path: Any = None) -> tuple[dict[str, Any], Split]:
    """Parse the front matter into a dict, with errors naming file and line."""
    sp = split(text, path)
    front = sp.front(text)
    try:
        data = _HANDLER.load(front, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + fm_line_offset(text, sp) if mark else None
        problem = exc.problem or "invalid YAML"
        if "\t" in front and "tab" in str(exc).lower():
            problem = "a tab is used for indentation; YAML needs spaces"
        elif exc.context:
            problem = f"{exc.context}, {problem}"
        raise FloorError(f"malformed front matter: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise FloorError(f"malformed front matter: {exc}", path=path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise FloorError(
            f"the front matter must be 'key: value' fields, not a {kind}",
            path=path,
            line=fm_line_offset(text, sp) + 1,
        )
    for key in data:
        if not isinstance(key, str):
            raise FloorError(f"field name {key!r} is not text", path=path)
    return data, sp


def dump_scalar(value: Any) -> str:
    """One-line YAML for a value, quoted whenever a YAML 1.1 reader could misread it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dump_scalar(v) for v in value) + "]"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    dumped = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1 << 30)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    dumped = dumped.rstrip("\n")
    if "\n" in dumped:  # a folded multi-line scalar: force one double-quoted line
        dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30).rstrip("\n")
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
        suffix = text[end:]
        if is_block and not rendered.endswith("\n"):
            rendered += "\n" if not suffix.startswith("\n") else ""
        return prefix + rendered + suffix
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
    """Replace the Markdown body, keeping the front matter byte for byte."""
    _, sp = load_mapping(text, path)
    if body and not body.endswith("\n"):
        body += "\n"
    return text[: sp.body_start] + body
