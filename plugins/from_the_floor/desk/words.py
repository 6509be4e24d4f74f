"""The CLI's messages in the desk's words: a `floor …` step becomes a link to the desk page that does it.

The desk shows what the commands print (made by the same functions), and those
messages name the next step as a command to type. The desk is made for working
without a terminal, so each step it can take itself is said as the button or
page that takes it; a step only the terminal can take (there is no desk page
for it) says so plainly. The CLI's own messages are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup, escape

_ID = r"(?P<id>[^\s`]+)"
_RETIREMENT = "/schedule#retire-h"


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def _question(m: re.Match[str]) -> str:
    return "/q/" + quote(m.group("id"), safe="")


# (pattern, replacement), tried in order; the first ones read a command with the words around it.
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Markup]]] = [
    (
        re.compile(rf"`floor release {_ID}` schedules it"),
        lambda m: Markup("{} to schedule it").format(_link(_question(m), "release it on its page")),
    ),
    (re.compile(rf"`floor answer {_ID}[^`]*`"), lambda m: _link(_question(m), "answer it on its page")),
    (re.compile(rf"`floor show {_ID}`"), lambda m: _link(_question(m), "open it")),
    (
        re.compile(
            r"post\(s\) need a quick answer \(add a quick_answer line to content/floor/ID\.md\): "
            r"(?P<ids>[^\s,;]+(?:, [^\s,;]+)*)"  # after the first ten: "; 12 more: …"
        ),
        lambda m: Markup("post(s) need a quick answer; write it on each post's page: {}").format(
            Markup(", ").join(_link("/q/" + quote(i, safe=""), i) for i in m.group("ids").split(", "))
        ),
    ),
    (
        re.compile(rf"Not the same question\? `floor split {_ID} --entry \d+`"),
        lambda m: Markup("Not the same question? {} (Duplicates, Split off)").format(
            _link(_question(m) + "#dups-h", "Split it off on its page")
        ),
    ),
    (
        re.compile(r"`floor queue` lists them all"),
        lambda m: Markup("{} lists them all").format(_link("/", "the queue")),
    ),
    (
        re.compile(r"question file\(s\) cannot be read; `floor check`"),
        lambda m: Markup("question file(s) cannot be read; {} names them").format(_link("/", "the queue")),
    ),
    (
        re.compile(r"`floor retire --when-done` arms it"),
        lambda m: Markup("the {} button on the Schedule page arms it").format(
            _link(_RETIREMENT, "Arm retirement")
        ),
    ),
    (
        re.compile(r"`floor retire --when-done`"),
        lambda m: Markup("the {} button on the Schedule page").format(_link(_RETIREMENT, "Arm retirement")),
    ),
    (
        re.compile(r"`floor retire --disarm`"),
        lambda m: Markup("the {} button on the Schedule page").format(
            _link(_RETIREMENT, "Disarm retirement")
        ),
    ),
    (
        re.compile(r"--own-name NAME signs those posts"),
        lambda m: Markup("typing that name in {} (Take in, for a blog export) signs those posts").format(
            _link("/intake#own_name", "Your name on the old blog")
        ),
    ),
    (re.compile(r"Between slots `floor publish` waits"), lambda m: Markup("Between slots, publishing waits")),
    (
        re.compile(r"`floor publish(?: --commit)?` run now"),
        lambda m: _link("/publish", "Publishing now"),
    ),
    (re.compile(r"`floor publish(?: --commit)?`"), lambda m: _link("/publish", "Publish now")),
    (re.compile(r"`floor push`"), lambda m: _link("/publish#push", "Push, on the Publish page,")),
    # a step with no desk page (floor retire, unretire, check …): said as what it is
    (
        re.compile(r"`(?P<cmd>floor [^`]+)`"),
        lambda m: Markup("<code>{}</code> in a terminal").format(m.group("cmd")),
    ),
]


def desk_words(text: object) -> Markup:
    """``text`` (a CLI message, plain text) as safe HTML, its `floor …` steps said the desk's way.

    Everything that is not a recognised command is escaped, so reader text in a
    message stays text.
    """
    parts: list[str] = [str(text)]
    for pattern, replace in _RULES:
        done: list[str] = []
        for part in parts:
            if isinstance(part, Markup):
                done.append(part)
                continue
            at = 0
            for m in pattern.finditer(part):
                done += [part[at : m.start()], replace(m)]
                at = m.end()
            done.append(part[at:])
        parts = done
    return Markup("").join(p if isinstance(p, Markup) else escape(p) for p in parts)
