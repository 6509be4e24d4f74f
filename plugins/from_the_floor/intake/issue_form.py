"""The Ask page's GitHub issue form, read back field by field from the issue GitHub made of it.

GitHub turns a submitted issue form into Markdown: one ``### <label>`` heading
per field, then the reader's value, ``_No response_`` for a field left empty,
and ``- [X] <option>`` / ``- [ ] <option>`` for checkboxes. The labels come from
the form file, so the parse follows the form: the site's own
``.github/ISSUE_TEMPLATE/*.yml`` when it has one with a ``question`` field
(the author may have reworded the labels), else the form ``floor init`` ships.
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
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not re.search(r"(?m)^\s*(?:-\s+)?id:\s*['\"]?question['\"]?\s*$", text):
            continue  # a bug-report form, not ours
        form = load(path)
        if "question" in form.ids:
            candidates.append(form)
    for form in candidates:
        if issue_label and issue_label in form.issue_labels:
            return form
    return candidates[0] if candidates else load(SHIPPED)


def strip_title(title: str, form: Form) -> str:
    """The title without the form's prefix ("Question: "), also when only "Question:" is left."""
    prefix = form.title.strip()
    text = title.strip()
    if prefix and text.casefold().startswith(prefix.casefold()):
        text = text[len(prefix) :].strip()
    return text


def parse_body(body: str, form: Form) -> dict[str, str | bool] | None:
    """Field id → value from GitHub's rendering of ``form``; None when the body is not one.

    Headings are matched only against the form's labels, in the form's order,
    so a reader's own ``###`` heading stays part of the field it is in.
    """
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
    """Labels of answered fields the parse does not keep (a field the author added to the form)."""
    known = set(form.ids.values())
    out = []
    parts = re.split(r"(?m)^### (.+)$", body.replace("\r\n", "\n"))
    for label, value in zip(parts[1::2], parts[2::2], strict=False):
        label = label.strip()
        if label in form.labels and label not in known and value.strip() not in ("", NO_RESPONSE):
            out.append(label)
    return out
