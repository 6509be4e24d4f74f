"""The strict front-matter reader and the byte-preserving field editor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from from_the_floor.core import frontmatter_text as ft
from from_the_floor.errors import FloorError
from helpers_floor import fails_cleanly, run_floor, write_question
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# --- the strict loader: YAML 1.1 traps stay text ---------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("2026-02-30", "2026-02-30"),
        ("2026-11-01", "2026-11-01"),
        ("12:30", "12:30"),
        ("0o17", "0o17"),
        ("1_000", "1_000"),
        ("3.0", "3.0"),
        ("42", "42"),
        (".inf", ".inf"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_only_true_false_null_are_typed(raw: str, expected: object) -> None:
    data, _ = ft.load_mapping(f"---\nvalue: {raw}\n---\n")
    assert data["value"] == expected
    assert type(data["value"]) is type(expected)


# --- the direct resolution and construction of plain fields equal PyYAML's own -----


class _GeneralLoader(ft.StrictLoader):
    """The strict loader with PyYAML's own resolver (regexes) and generic constructor."""

    resolve = yaml.resolver.BaseResolver.resolve
    get_single_data = yaml.constructor.BaseConstructor.get_single_data


def _outcome(text: str, loader: type) -> object:
    try:
        value = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("value", value, repr(value))  # repr tells True from "True", 1 from "1"


# What question files hold (text, true/false/null, lists, the odd alias or flow value) ...
_COMMON = [
    *("word", "two words", "yes", "no", "true", "False", "null", "~", "", "42", "2026-02-30"),
    *("'quoted: text'", '"esc\\u00e9"', "!!str 5", "!!bool yes", "!!bool off", "!!null x"),
    *("*anchor", "! text", "[a, b]", "[]", "{}", "{k: v, k2: [x]}", ">-\n  folded\n  text", "|\n  kept\n"),
]
# ... and what sends a document the general way.
_ODD = ["!!int 5", "!!float 1.5", "!!binary aGk=", "!!timestamp 2026-01-02", "!!seq [a]", "!!set {a}"]
_ODD += ["!!omap [a: 1]", "&other shared"]
_SCALARS = st.one_of(*[st.sampled_from(_COMMON)] * 5, st.sampled_from(_ODD))
_KEYS = st.one_of(
    *[st.sampled_from(["question", "tags", "asked", "42", "'quoted'", "!!str key", "two words"])] * 8,
    st.sampled_from(["<<", "true", "null", "!!int 7", "? complex"]),
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Mostly well-formed, mostly plain fields: values are compared, not just errors."""
    lines = ["first: &anchor base"]
    for key in draw(st.lists(_KEYS, unique=True, max_size=6)):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(_SCALARS)}")
        else:
            lines.append(f"{key}:")
            items = draw(st.lists(_SCALARS.filter(lambda s: "\n" not in s), max_size=3))
            lines.extend(f"  - {item}" for item in items)
    return "\n".join(lines) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_plain_fields_are_built_as_pyyaml_builds_them(text: str) -> None:
    assert _outcome(text, ft.StrictLoader) == _outcome(text, _GeneralLoader)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "<<: {a: b}\nc: d\n",
        "a: &x [b, *x]\n",
        "a: !!str [b]\n",
        "!!str [a]: b\n",
        "- a\n- b\n",
        "just text\n",
        "a: !custom x\n",
        "[a]: b\n",
        "",
    ],
)
def test_documents_that_are_not_plain_fields_go_the_general_way(text: str) -> None:
    fast, general = _outcome(text, ft.StrictLoader), _outcome(text, _GeneralLoader)
    if fast[0] == "value" and "[...]" in fast[2]:  # a list holding itself: compare shapes
        assert fast[2] == general[2]
    else:
        assert fast == general


def test_an_alias_cycle_is_refused_before_it_is_built() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="YAML alias"):
        yaml.load("a: &x [b, *x]\n", Loader=ft.StrictLoader)


# --- aliases, explicit tags and oversized front matter: refused before anything is built ---

FIXTURES = Path(__file__).parent.parent / "fixtures" / "yaml"


def _as_question(front: str) -> str:
    return "---\nquestion: Is this safe?\n" + front + "---\nBody.\n"


def test_a_billion_laughs_file_is_refused_with_its_line() -> None:
    bomb = (FIXTURES / "billion.yaml").read_text(encoding="utf-8")
    text = _as_question(bomb)
    # the first anchor an alias repeats: expected from the file, not typed in
    anchors = re.findall(r"&(\w+)", bomb)
    first = next(name for name in anchors if f"*{name}" in bomb)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if f"&{first} " in row)
    with pytest.raises(FloorError) as caught:
        ft.load_mapping(text, "questions/bomb.md")
    assert caught.value.line == line and str(caught.value.path) == "questions/bomb.md"
    assert "YAML alias" in caught.value.problem


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!binary aGk=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!foo bar", "!foo"),
        ("!!int 5", "!!int"),
        ("!!bool yes", "!!bool"),
        ("!!omap [a: 1]", "!!omap"),
        ("[a, !!timestamp 2026-01-02]", "!!timestamp"),
    ],
)
def test_an_explicit_tag_is_refused_with_file_and_line(value: str, tag: str) -> None:
    text = _as_question(f"asker: Sam\ndetails: {value}\n")
    with pytest.raises(FloorError) as caught:
        ft.load_mapping(text, "questions/tagged.md")
    assert caught.value.line == 4 and repr(tag) in caught.value.problem
    assert "explicit YAML tag" in caught.value.problem


@pytest.mark.parametrize("value", ["!!str 5", "! text", "true", "null", "'!!binary aGk='"])
def test_harmless_text_and_the_three_words_still_read(value: str) -> None:
    data, _ = ft.load_mapping(_as_question(f"details: {value}\n"))
    assert data["details"] == yaml.safe_load(f"v: {value}")["v"]


def test_oversized_front_matter_is_refused_before_it_is_parsed() -> None:
    line = "x" * 1000
    many = "".join(f"k{n}: {line}\n" for n in range(ft.MAX_FRONT_MATTER // 1000 + 1))
    with pytest.raises(FloorError) as caught:
        ft.load_mapping(_as_question(many), "questions/big.md")
    assert f"{ft.MAX_FRONT_MATTER // 1024} KiB" in caught.value.problem and caught.value.line == 2
    # just under the cap still reads
    few = "".join(f"k{n}: {line}\n" for n in range(ft.MAX_FRONT_MATTER // 1000 - 2))
    assert len(ft.load_mapping(_as_question(few))[0]) == ft.MAX_FRONT_MATTER // 1000 - 1


def test_floor_check_names_the_bomb_file_and_line(site: Path) -> None:
    bomb = _as_question((FIXTURES / "billion.yaml").read_text(encoding="utf-8"))
    write_question(site, "bomb", bomb)
    err = fails_cleanly(run_floor("check", site=site))
    assert "questions/bomb.md:4: " in err and "YAML alias" in err


def test_split_finds_body_and_front() -> None:
    text = "---\nquestion: Q?\n---\nBody line\n---\nnot a fence for us\n"
    sp = ft.split(text)
    assert sp.front(text) == "question: Q?\n"
    assert sp.body(text) == "Body line\n---\nnot a fence for us\n"


def test_a_utf8_bom_is_allowed_before_the_fence() -> None:
    text = "\ufeff---\nquestion: Q?\n---\nBody\n"
    data, sp = ft.load_mapping(text, "q.md")
    assert data == {"question": "Q?"}
    assert sp.body(text) == "Body\n"
    edited = ft.set_field(text, "hold", True)
    assert edited == "\ufeff---\nquestion: Q?\nhold: true\n---\nBody\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('---\nquestion: "never closed\nasked: 2026-11-01\n---\n', 2, "quoted value is never closed"),
        (
            "---\nquestion: hi\ntags: [a, b\nasked: 2026-11-01\n---\n",
            3,
            "tags: malformed front matter: a list opened with '[' is never closed",
        ),
        (
            "---\nquestion: hi\ntags: [x\nquick_answer: yes\n---\n",
            3,
            "tags: malformed front matter: a list opened with '[' is never closed",
        ),
        ("---\nquestion: hi\ntags:\n\t- a\n---\n", 4, "tab"),
        ("---\nquestion: hi\n\tasked: 2026-11-01\n---\n", 3, "tab"),
        # a colon in a value, its quotes curly as TextEdit and Word type them, or none; a field indented
        (
            "---\nquestion: Why?\nasked: 2026-11-01\nquick_answer: \u201cBecause: it is.\u201d\n---\n",
            4,
            "quick_answer: malformed front matter: the value holds ': ' (a colon, then a space) outside "
            'quotes; put the whole value in straight quotes ("…"): the curly ones (“…”) an editor typed',
        ),
        ("---\nquestion: Why: now?\n---\n", 2, "outside quotes; put the whole value in quotes"),
        ("---\nquestion: hi\n  asked: 2026-11-01\n---\n", 3, "this line is indented, so it reads as part of"),
        ("---\nquestion: a\nasked: 2026-11-01\nquestion: b\n---\n", 4, "'question' is given twice"),
        ("---\n- a\n- b\n---\n", 2, "not a list"),
        ("---\njust some words\n---\n", 2, "not a single value"),
        ("no fences at all\n", 1, "no front matter"),
        ("", 1, "no front matter"),
        # a classic Mac file: every line ends in a lone CR, so no line ever ends
        ("---\rquestion: hi\rasked: 2026-11-01\r---\r", 1, "lines end in a lone carriage return"),
        ("\ufeff--- \rquestion: hi\r---\r", 1, "save it with Unix (LF) or Windows (CRLF)"),
    ],
)
def test_errors_name_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(FloorError) as info:
        ft.load_mapping(text, "questions/bad.md")
    err = info.value
    assert str(err.path) == "questions/bad.md"
    assert err.line == line
    assert words in err.message
    assert err.message.startswith(f"questions/bad.md:{line}: ")


def test_an_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(FloorError, match="never closed"):
        ft.load_mapping("---\nquestion: a\n", "q.md")


def test_python_tags_are_refused_not_executed() -> None:
    text = "---\nquestion: !!python/object/apply:os.system [echo hi]\n---\n"
    with pytest.raises(FloorError, match="malformed front matter"):
        ft.load_mapping(text, "q.md")


def test_an_empty_front_matter_is_an_empty_mapping() -> None:
    data, sp = ft.load_mapping("---\n---\nbody\n")
    assert data == {}
    assert sp.body("---\n---\nbody\n") == "body\n"


# --- dump_scalar: what we write reads back as the same text ------------------------


@pytest.mark.parametrize(
    "value",
    [
        *("no", "yes", "true", "null", "~", "2026-02-30", "#hash", "- dash", "a: b", "'quote", '"dq'),
        *("@handle", "`tick", "%pct", "!bang", "*star", "&amp", "{brace", "[bracket", " lead", "trail "),
        *("ünïcödé 東京", "line\nbreak", "cr\rhere", "nel\x85here", "ls\u2028here", "tab\there", ""),
        *("0x1F", "1e3"),
    ],
)
def test_dump_scalar_round_trips_text(value: str) -> None:
    dumped = ft.dump_scalar(value)
    assert "\n" not in dumped and "\r" not in dumped
    data, _ = ft.load_mapping(f"---\nvalue: {dumped}\n---\n")
    assert data["value"] == value


def test_dump_scalar_types() -> None:
    assert ft.dump_scalar(True) == "true"
    assert ft.dump_scalar(None) == "null"
    assert ft.dump_scalar(3) == "3"
    assert ft.dump_scalar(["a b", "no"]) == "[a b, 'no']"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_set_field_round_trips_any_text(value: str) -> None:
    base = "---\n# keep me\nquestion: Q?\nasked: 2026-11-01\nquick_answer:\nhold: true  # c\n---\nBody\n"
    out = ft.set_field(base, "quick_answer", value)
    data, _ = ft.load_mapping(out)
    assert data["quick_answer"] == value
    assert data["hold"] is True and data["question"] == "Q?"
    # only the quick_answer line changed
    assert out.splitlines()[:4] == base.splitlines()[:4]
    assert out.splitlines()[5:] == base.splitlines()[5:]


@pytest.mark.parametrize(
    "items",
    [["a, b", "x]"], ["[y", "{z}", "?q", "no"], ["- x", "a: b", "#c", "a #b"], ["l\nb", ""], ["ünï, 東京"]],
)
def test_lists_keep_items_with_flow_characters(items: list[str]) -> None:
    dumped = ft.dump_scalar(items)
    assert "\n" not in dumped
    assert ft.load_mapping(f"---\ntags: {dumped}\n---\n")[0]["tags"] == items


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=12), max_size=4))
def test_set_field_round_trips_any_list(items: list[str]) -> None:
    out = ft.set_field("---\nquestion: Q?\ntags:\n  - a\n---\nBody\n", "tags", items)
    assert ft.load_mapping(out)[0] == {"question": "Q?", "tags": items}


# --- editing in place: every other byte kept ----------------------------------------

AUTHORED = (
    "---\n"
    "# Written by hand; keep my notes.\n"
    "question:    Does   odd spacing survive?   # the asker's own words\n"
    "asked: 2026-11-01\n"
    "details: |\n"
    "  Reader's details, with a block scalar.\n"
    "  Second line — ünïcödé, 東京.\n"
    "\n"
    "tags:\n"
    "  - one   # first\n"
    "  - two\n"
    "quick_answer:   # to do\n"
    "hold: true   # waiting for the ask page\n"
    "---\n"
    "The body: *Markdown*, naïve café.\n"
    "\n"
    "Second paragraph.\n"
)


def test_set_an_empty_field_keeps_its_comment_and_everything_else() -> None:
    out = ft.set_field(AUTHORED, "quick_answer", "Yes: it does.")
    assert out == AUTHORED.replace("quick_answer:   # to do", "quick_answer: 'Yes: it does.'   # to do")


def test_set_a_block_field_replaces_only_the_block() -> None:
    out = ft.set_field(AUTHORED, "details", "short")
    expected = AUTHORED.replace(
        "details: |\n  Reader's details, with a block scalar.\n  Second line — ünïcödé, 東京.\n",
        "details: short\n",
    )
    assert out == expected
    out = ft.set_field(AUTHORED, "tags", ["x", "y z"])
    assert out == AUTHORED.replace("tags:\n  - one   # first\n  - two\n", "tags: [x, y z]\n")


def test_remove_field_takes_its_whole_line_only() -> None:
    out = ft.remove_field(AUTHORED, "hold")
    assert out == AUTHORED.replace("hold: true   # waiting for the ask page\n", "")
    assert ft.remove_field(AUTHORED, "not_there") == AUTHORED


def test_add_field_goes_before_the_closing_fence() -> None:
    out = ft.set_field(AUTHORED, "declined", "Off topic")
    assert out == AUTHORED.replace("---\nThe body", "declined: Off topic\n---\nThe body")


def test_set_body_keeps_the_front_matter() -> None:
    out = ft.set_body(AUTHORED, "New **answer**.")
    head = AUTHORED[: AUTHORED.index("---\nThe body") + 4]
    assert out == head + "New **answer**.\n"


CRLF = AUTHORED.replace("\n", "\r\n")


def test_crlf_files_stay_crlf() -> None:
    out = ft.set_field(CRLF, "quick_answer", "Sure")
    assert out == CRLF.replace("quick_answer:   # to do", "quick_answer: Sure   # to do")
    # a YAML 1.1 boolean word is quoted, so any reader keeps it as text
    out = ft.set_field(CRLF, "quick_answer", "Yes")
    assert out == CRLF.replace("quick_answer:   # to do", "quick_answer: 'Yes'   # to do")
    out = ft.set_field(CRLF, "tags", ["x"])
    assert out == CRLF.replace("tags:\r\n  - one   # first\r\n  - two\r\n", "tags: [x]\r\n")
    out = ft.set_field(CRLF, "not_before", "2026-12-01")
    assert out == CRLF.replace("---\r\nThe body", "not_before: '2026-12-01'\r\n---\r\nThe body")
    out = ft.remove_field(CRLF, "hold")
    assert out == CRLF.replace("hold: true   # waiting for the ask page\r\n", "")
    out = ft.set_body(CRLF, "one\ntwo\r\n")
    assert out.endswith("---\r\none\r\ntwo\r\n")
    assert "\n" not in out.replace("\r\n", "")


def test_set_body_when_the_closing_fence_ends_the_file() -> None:
    out = ft.set_body("---\nquestion: Q?\n---", "Body")
    assert out == "---\nquestion: Q?\n---\nBody\n"
    assert ft.load_mapping(out)[0] == {"question": "Q?"}


def test_blank_lines_after_a_block_are_layout_not_value() -> None:
    text = "---\nquestion: Q?\ndetails: |\n  one\n\n# note\nhold: true\n---\n"
    assert ft.set_field(text, "details", "x") == "---\nquestion: Q?\ndetails: x\n\n# note\nhold: true\n---\n"
    assert ft.remove_field(text, "details") == "---\nquestion: Q?\n\n# note\nhold: true\n---\n"


def test_editing_a_broken_file_raises_and_changes_nothing() -> None:
    bad = '---\nquestion: "open\n---\n'
    with pytest.raises(FloorError):
        ft.set_field(bad, "hold", True, "q.md")
    with pytest.raises(FloorError):
        ft.set_body(bad, "x", "q.md")


def test_without_an_anchor_an_alias_is_still_an_error() -> None:
    """Front matter with no '&' or '!' skips the alias-and-tag walk: an alias there has no anchor."""
    with pytest.raises(FloorError, match="alias"):
        ft.load_mapping(_as_question("details: *nowhere\n"))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abXY09 .,?!()/'-:+=#\"[]{}&*|>%@`~\\\t", min_size=1, max_size=14))
def test_plain_text_is_written_as_the_yaml_emitter_writes_it(text: str) -> None:
    """dump_scalar's shortcut for plain text gives the emitter's own output, and reads back."""
    dumped = ft.dump_scalar(text)
    assert yaml.safe_load(f"key: {dumped}")["key"] == text
    if ft._PLAIN.fullmatch(text):
        emitted = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1 << 30)
        assert dumped == emitted.removesuffix("\n...\n").rstrip("\n")
