"""The Ask page's GitHub issue form, read back field by field from the issue GitHub made of it.

GitHub turns a submitted issue form into Markdown: one ``### <label>`` heading
per field, then the reader's value, ``_No response_`` for a field left empty,
and ``- [X] <option>`` / ``- [ ] <option>`` for checkboxes. The labels come from
the form file, so the parse follows the form: the site's own
``.github/ISSUE_TEMPLATE/*.yml`` when it has one with a ``question`` field
(the author may have reworded the labels, or ``floor init --lang`` translated them), else the
form the kit ships in English; an issue filed with the English form still reads on a site
whose own form is now another (a column whose form was translated later).
Fields are known by their ``id`` (question, details, asker, credit), which
match the question file's keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import FloorError
from ..paths import SKELETON_DIR

SHIPPED = SKELETON_DIR / "question-issue.yml"
FIELDS = ("question", "details", "asker", "credit")
NO_RESPONSE = "_No response_"
_TICK = re.compile(r"^\s*-\s+\[(?P<mark>[ xX])\]\s+(?P<option>.*?)\s*$")


@dataclass
class Form:
    """What the parse needs from a form file: its title prefix and each field's label."""

    path: Path
    title: str = ""
    labels: list[str] = field(default_factory=list)  # every field's label, in the form's order
    ids: dict[str, str] = field(default_factory=dict)  # field id → its label
    issue_labels: list[str] = field(default_factory=list)
    # the form the kit ships (English), read when the site's own form does not match: an issue
    # filed before the site's form was translated or reworded still reads field by field
    earlier: Form | None = None


def load(path: Path) -> Form:
    """One issue-form file; a file GitHub could not use either is a clear error."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FloorError(f"is not a readable issue form ({type(exc).__name__})", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("body"), list):
        raise FloorError("is not an issue form: it has no 'body' list of fields", path=path)
    form = Form(path=path, title=str(data.get("title") or ""))
    labels = data.get("labels")
    form.issue_labels = [str(x) for x in labels] if isinstance(labels, list) else []
    for element in data["body"]:
        if not isinstance(element, dict) or element.get("type") == "markdown":
            continue
        attributes = element.get("attributes") if isinstance(element.get("attributes"), dict) else {}
        label = str(attributes.get("label") or "").strip()
        if not label:
            continue
        form.labels.append(label)
        if isinstance(element.get("id"), str) and element["id"] in FIELDS:
            form.ids[element["id"]] = label
    return form


def for_site(root: Path, issue_label: str | None) -> Form:
    """The site's own question form if it has one (by its ``question`` field), else the shipped one.

    With several, the one that gives issues ``issue_label`` wins.
    """
    folder = Path(root) / ".github" / "ISSUE_TEMPLATE"
    candidates: list[Form] = []
    texts: dict[Path, str] = {}
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not re.search(r"(?m)^\s*(?:-\s+)?id:\s*['\"]?question['\"]?\s*$", text):
            continue  # a bug-report form, not ours
        form = load(path)
        if "question" in form.ids:
            candidates.append(form)
            texts[path] = text
    chosen = next((f for f in candidates if issue_label and issue_label in f.issue_labels), None)
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is None:
        return load(SHIPPED)
    if texts[chosen.path] == SHIPPED.read_text(encoding="utf-8", errors="replace"):
        return chosen  # the copy `floor init` wrote: the shipped form itself, not parsed again
    shipped = load(SHIPPED)
    if shipped.ids != chosen.ids or shipped.title != chosen.title:
        chosen.earlier = shipped
    return chosen


def _forms(form: Form) -> list[Form]:
    """``form``, then the kit's English form when the site's own differs from it."""
    return [form] if form.earlier is None else [form, form.earlier]


def read(body: str, form: Form) -> tuple[Form, dict[str, str | bool] | None]:
    """The form ``body`` was filed with and its fields (:func:`parse_body`), the body parsed once
    per candidate: the site's own form, else the kit's English one (an issue from before the
    form was translated); (the site's own, None) when the body is neither's."""
    for candidate in _forms(form):
        values = _parse(body, candidate)
        if values is not None:
            return candidate, values
    return form, None


def strip_title(title: str, form: Form) -> str:
    """The title without the form's prefix ("Question: "), also when only "Question:" is left."""
    text = title.strip()
    for candidate in _forms(form):
        prefix = candidate.title.strip()
        if prefix and text.casefold().startswith(prefix.casefold()):
            return text[len(prefix) :].strip()
    return text


def parse_body(body: str, form: Form) -> dict[str, str | bool] | None:
    """Field id → value from GitHub's rendering of ``form`` (or of the kit's English form it
    replaced); None when the body is neither.

    Headings are matched only against the form's labels, in the form's order,
    so a reader's own ``###`` heading stays part of the field it is in.
    """
    return read(body, form)[1]


def _parse(body: str, form: Form) -> dict[str, str | bool] | None:
    """:func:`parse_body` for exactly ``form``'s labels."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Found from the end: GitHub's own headings are the last of their kind, in the form's order,
    # so a reader's "### <a label>" line inside a field stays part of that field.
    starts: dict[str, int] = {}
    limit = len(lines)
    for label in reversed(form.labels):
        for index in range(limit - 1, -1, -1):
            if lines[index].startswith("### ") and lines[index][4:].strip() == label:
                starts[label] = index
                limit = index
                break
    ordered = sorted(starts.items(), key=lambda item: item[1])
    sections: dict[str, list[str]] = {}
    for n, (label, index) in enumerate(ordered):
        stop = ordered[n + 1][1] if n + 1 < len(ordered) else len(lines)
        sections[label] = lines[index + 1 : stop]
    question_label = form.ids.get("question")
    if question_label is None or question_label not in sections:
        return None
    values: dict[str, str | bool] = {}
    for field_id, label in form.ids.items():
        text = "\n".join(sections.get(label, [])).strip()
        if field_id == "credit":
            values["credit"] = any(
                (m := _TICK.match(line)) is not None and m.group("mark") in "xX" for line in text.split("\n")
            )
            continue
        values[field_id] = "" if text == NO_RESPONSE else text
    return values


def unread(body: str, form: Form) -> list[str]:
    """Labels of answered fields the parse does not keep (a field the author added to the form);
    ``form`` is the one the body was filed with (:func:`read`'s), so the body is not parsed again."""
    known = set(form.ids.values())
    out = []
    parts = re.split(r"(?m)^### (.+)$", body.replace("\r\n", "\n"))
    for label, value in zip(parts[1::2], parts[2::2], strict=False):
        label = label.strip()
        if label in form.labels and label not in known and value.strip() not in ("", NO_RESPONSE):
            out.append(label)
    return out
