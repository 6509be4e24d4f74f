"""The column speaks its author's language: a French column shows no English label on any page.

One French site (`DEFAULT_LANG = "fr"`), asking by email, comments on, two posts, built
live, then retired (archive: farewell, complete column, notice), then moved away (redirect
pages). Every page, feed and the redirect pages are read for any of the English catalogue's
labels whose French differs, and for English month or day names.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
from babel.messages.pofile import read_po
from from_the_floor.core import i18n
from helpers_floor import ok, question_text, run_floor, write_question

LOCALE = i18n.LOCALE_DIR
TODAY = "2026-11-25"
MONTHS_AND_DAYS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
FRENCH_SETTINGS = """
DEFAULT_LANG = "fr"
FLOOR_ASK_CHANNEL = "mailto"
FLOOR_ASK_EMAIL = "questions@example.org"
FLOOR_COMMENTS = "giscus"
FLOOR_GISCUS = {"repo": "example/column", "repo-id": "R_1", "category": "Q", "category-id": "C_1"}
"""


def catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "floor.po").open("rb") as f:
        return read_po(f)


def english_labels() -> set[str]:
    """The English words a French page must not show: each msgid's literal runs (between
    placeholders and tags) of two words or more, or one word of six letters or more,
    where the French differs."""
    french = {m.id: m.string for m in catalogue("fr") if m.id}
    labels: set[str] = set()
    for message in catalogue("en"):
        if not message.id or (message.context or "").startswith("date pattern"):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        theirs = french.get(message.id)
        theirs = theirs if isinstance(theirs, tuple) else (theirs,)
        for text in ids:
            if text in theirs:
                continue
            for run in re.split(r"%\(\w+\)[sd]|<[^>]+>|[“”#…()]", text):
                run = run.strip(" .,:;—-")
                if run in " ".join(t for t in theirs if t):  # the same word in French ("archives")
                    continue
                if len(run.split()) >= 2 or len(run) >= 6:
                    labels.add(run)
    return labels


def add_post(site: Path, qid: str, question: str, asked: str, today: str) -> None:
    write_question(
        site,
        qid,
        question_text(
            question,
            asked=asked,
            quick="Oui, bien sûr.",
            body="Une réponse plus longue, *en français*.",
            tags="[écriture, lecteurs]",
            asker="Camille",
            credit="true",
        ),
    )
    assert "#" in ok(run_floor("publish", site=site, today=today))


def texts(output: Path) -> dict[str, str]:
    """Every page and feed as a reader (or a feed reader) gets it, entities decoded."""
    found = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if path.suffix in {".html", ".xml", ".json"} and not rel.startswith(("pagefind/", "theme/")):
            found[rel] = html.unescape(path.read_text(encoding="utf-8"))
    return found


# Names, not words: the same in every language.
NAMES = {"Giscus", "Isso", "GitHub", "GitHub Discussions", "JavaScript", "ReplayWeb.page"}
ADDRESSES = re.compile(r'(?:href|src|action|data-pagefind|data-src)="[^"]*"|https?://\S+')


def english_in(pages: dict[str, str]) -> dict[str, list[str]]:
    labels = english_labels() - NAMES
    seen = {}
    for rel, text in pages.items():
        text = ADDRESSES.sub("", text)
        hits = [label for label in labels if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)]
        hits += MONTHS_AND_DAYS.findall(text)
        if hits:
            seen[rel] = sorted(set(hits))
    return seen


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("fr") / "site"
    ok(
        run_floor(
            "init",
            site,
            "--title",
            "Demandez-moi",
            "--author",
            "Camille",
            "--timezone",
            "Europe/Paris",
            "--lang",
            "fr",  # the About page it writes is read too: in French, until the author rewrites it
        )
    )
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + FRENCH_SETTINGS, encoding="utf-8")
    add_post(site, "premiere", "Pourquoi répondre en public ?", "2026-10-30", "2026-11-09")
    add_post(site, "deuxieme", "Faut-il rester anonyme ?", "2026-11-02", "2026-11-16")
    write_question(site, "en-attente", question_text("Et ensuite ?", asked="2026-11-20"))
    return site


def test_a_french_column_shows_no_english_label(french: Path) -> None:
    ok(run_floor("build", site=french, today=TODAY))
    pages = texts(french / "output")
    for page in (
        "index.html",
        "floor/premiere/index.html",
        "ask/index.html",
        "stats/index.html",
        "search/index.html",
        "comment-policy/index.html",
        "about/index.html",
        "archives/index.html",
        "404.html",
        "tags/index.html",
        "feeds/all.atom.xml",
    ):
        assert page in pages, page
    assert english_in(pages) == {}
    post = pages["floor/premiere/index.html"]
    assert '<html lang="fr">' in post
    assert "Demandez-moi n° 1" in post and "Réponse rapide" in post
    assert "Posée par Camille le" in post and "30 octobre 2026" in post  # dates in French
    assert "Publié le" in post and "9 novembre 2026" in post
    assert "chaque lundi à 09:00 (heure de Paris)" in pages["about/index.html"]  # not "heure : Paris"
    assert "<title>À propos de cette chronique ·" in pages["about/index.html"]
    assert ">À propos de cette chronique</a>" in post  # the About page's link in the navigation
    assert "<title>Demandez-moi - écriture</title>" in pages["feeds/tag/ecriture.atom.xml"]
    assert 'title="Demandez-moi : écriture (Atom)"' in pages["tag/ecriture/index.html"]
    for listing in ("archives/index.html", "index.html", "tag/ecriture/index.html"):  # as posts number
        assert re.search(r'class="post-list-no">.*?</span>n° 1</span>', pages[listing]), listing
        assert not re.search(r">#\d", pages[listing]), listing
    tag_page = (french / "output" / "tag" / "ecriture" / "index.html").read_text(encoding="utf-8")
    for kind in ("Atom", "RSS"):  # a screen reader hears one sentence in French order
        hidden = '<span class="visually-hidden">'
        said = f"{hidden}flux </span>{kind}{hidden} de « écriture »</span></a>"
        assert said in tag_page, kind
    for page in ("search/index.html", "404.html"):  # the button says what it does; the link names a page
        assert '<button type="submit">Rechercher</button>' in pages[page], page
    assert ">Recherche</a>" in post and "<title>Recherche ·" in pages["search/index.html"]
    assert "Ma%20question%20%3A" in pages["ask/index.html"]  # the mail template, in French
    assert 'aria-label="Questions en attente de réponse' in pages["stats/index.html"]  # the chart


def test_every_atom_and_rss_feed_states_the_column_s_language(french: Path) -> None:
    """A feed reader learns the language from the feed itself (Atom's xml:lang, RSS's
    <language>), as the pages' <html lang> and the JSON Feed already say it."""
    ok(run_floor("build", site=french, today=TODAY))
    feeds = sorted((french / "output" / "feeds").rglob("*.xml"))
    kinds = {p.name.rsplit(".", 2)[-2] for p in feeds}
    assert kinds == {"atom", "rss"}, kinds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.get("language") == "fr", path
    head = (french / "output" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")[:300]
    assert re.search(r'<feed [^>]*xml:lang="fr"', head), head
    rss = (french / "output" / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    assert "<language>fr</language>" in rss


def test_switching_language_rebuilds_every_post_in_the_new_one(french: Path) -> None:
    """Pelican's content cache keeps each post's HTML by file: a new DEFAULT_LANG must not reuse it."""
    conf = french / "pelicanconf.py"
    before = conf.read_text(encoding="utf-8")
    conf.write_text(before + '\nDEFAULT_LANG = "en"\n', encoding="utf-8")
    try:
        ok(run_floor("build", site=french, today=TODAY))
        post = (french / "output" / "floor" / "premiere" / "index.html").read_text(encoding="utf-8")
        assert "Quick answer" in post and "Réponse rapide" not in post
    finally:
        conf.write_text(before, encoding="utf-8")
    ok(run_floor("build", site=french, today=TODAY))
    post = (french / "output" / "floor" / "premiere" / "index.html").read_text(encoding="utf-8")
    assert "Réponse rapide" in post and "Quick answer" not in post


def test_a_retired_french_column_says_goodbye_in_french(french: Path) -> None:
    ok(run_floor("retire", "--force", site=french, today=TODAY))
    ok(run_floor("build", site=french, today=TODAY))
    pages = texts(french / "output")
    assert "farewell/index.html" in pages and "the-complete-column/index.html" in pages
    assert english_in(pages) == {}
    # the column's name is the subject: "Demandez-moi a pris fin", never an agreement with it
    assert "Demandez-moi a pris fin" in pages["farewell/index.html"]
    assert "Cette chronique est terminée" in pages["floor/premiere/index.html"]

    ok(run_floor("unretire", site=french, today=TODAY))
    ok(
        run_floor(
            "retire",
            "--force",
            "--mode",
            "redirect",
            "--to",
            "https://new.example.org/",
            site=french,
            today=TODAY,
        )
    )
    ok(run_floor("build", site=french, today=TODAY))
    pages = texts(french / "output")
    assert "Cette page a déménagé" in pages["floor/premiere/index.html"]
    assert english_in(pages) == {}


def test_every_string_of_the_templates_and_code_is_in_both_catalogues() -> None:
    """Extracted as `make messages` does: a new string without its English and French fails here."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(__file__).resolve().parents[2]
    with (root / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords={"_": None, **_keywords()}
        )
    }
    assert len(found) > 150
    for lang in ("en", "fr"):
        translated = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0])
            for m in catalogue(lang)
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
        }
        assert found - translated == set(), lang


def _keywords() -> dict:
    from babel.messages.extract import DEFAULT_KEYWORDS

    return dict(DEFAULT_KEYWORDS)


# A form of "être" right after the column's name: its participle then takes a gender the name
# may not have ("Demandez-moi est terminée", "Le Courrier s’est arrêtée"). "avoir" agrees with
# nothing ("a pris fin", "a déménagé").
_AGREES_WITH_THE_NAME = re.compile(r"%\((?:site|name|column)\)s,? (?:est|était|sera|s[’']est|s[’']était)\b")


def test_no_french_sentence_gives_the_column_s_name_a_gender() -> None:
    """A column's name is the author's (Demandez-moi, Le Courrier, Ask Bea): a French sentence
    whose subject is the name must say it with avoir, or with "la chronique" as its subject."""
    wrong = []
    for message in catalogue("fr"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and "%(" in text and _AGREES_WITH_THE_NAME.search(text):
                wrong.append(text)
            elif text and re.match(r"\s*(?:Terminée|Fermée|Arrêtée)", text):
                wrong.append(text)  # a dateline whose implied subject is the name
    assert wrong == []


# Names a French column may well have: with an article (which "à" and "de" contract with: "au
# Courrier", "des Heures"), with an elided article (which they do not: "de L’Heure"), starting
# with a vowel ("de" elides: "d’Ask Bea", "d’Écrire juste"), and plain.
FRENCH_NAMES = (
    "Le Courrier des lecteurs",
    "Les Heures claires",
    "L’Heure du thé",
    "La Boîte à questions",
    "Ask Bea",
    "Écrire juste",
    "Demandez-moi",
)
# what French writes otherwise: "à le" is "au", "à les" "aux", "de le" "du", "de les" "des", and
# "de" before a vowel "d’"; a catalogue cannot know which the author's name needs
_UNCONTRACTED = re.compile(r"\b(?:[àÀ]|[dD]e) (?:[Ll]es?) |\b[dD]e (?=[AEIOUÀÂÉÈÊÎÔÛaeiouéèêâîôû])")
_NAME_SLOT = re.compile(r"%\((?:site|name|column)\)s")


def test_no_french_sentence_puts_a_preposition_a_name_would_contract_with_before_it() -> None:
    """"Comment envoyer une question à Le Courrier", "Tous les sujets de Les Heures claires",
    "réponses de Ask Bea": the column's name never follows "à" or "de" in French; the sentence
    names it first ("Le Courrier des lecteurs : tous les sujets …") or after a preposition that
    does not contract ("dans Le Courrier des lecteurs", "par Ask Bea")."""
    wrong = set()
    for message in catalogue("fr"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if not text or not _NAME_SLOT.search(text):
                continue
            for name in FRENCH_NAMES:
                said = _NAME_SLOT.sub(name, text)
                if _UNCONTRACTED.search(said):
                    wrong.add(said)
    assert sorted(wrong) == []


def test_the_compiled_catalogues_match_their_sources() -> None:
    """The .mo files the kit reads are the .po files compiled (`make messages` after an edit)."""
    import gettext

    for lang in ("en", "fr"):
        with (LOCALE / lang / "LC_MESSAGES" / "floor.mo").open("rb") as f:
            compiled = gettext.GNUTranslations(f)
        for message in catalogue(lang):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                assert compiled.ngettext(*message.id, 1) == message.string[0], message.id
                assert compiled.ngettext(*message.id, 5) == message.string[-1], message.id
            elif message.context:
                assert compiled.pgettext(message.context, message.id) == message.string, message.id
            else:
                assert compiled.gettext(message.id) == message.string, message.id


def test_a_language_without_a_catalogue_reads_in_english() -> None:
    assert i18n.language("fr-CA").has_catalogue and i18n.language("fr-CA").gettext("Tags") == "Étiquettes"
    german = i18n.language("de")  # Babel knows German; the kit has no catalogue for it yet
    assert not german.has_catalogue and german.gettext("Tags") == "Tags"
    assert german.date(__import__("datetime").date(2026, 12, 6)) == "6. Dezember 2026"  # CLDR's German order


def test_download_names_keep_accented_letters_and_a_retired_column_keeps_its_urls(
    tmp_path: Path,
) -> None:
    """ "Écrits du soir" downloads as ecrits-du-soir.zip (not crits-du-soir.zip); the name is
    recorded in retired.json when the column retires, and a retired.json from before that
    keeps the older name, so no download URL of a column already retired moves."""
    import json

    site = tmp_path / "site"
    ok(
        run_floor(
            "init", site, "--no-git", "--title", "Écrits du soir", "--author", "Camille", "--lang", "fr"
        )
    )
    add_post(site, "premiere", "Pourquoi écrire le soir ?", "2026-10-30", "2026-11-09")
    ok(run_floor("retire", "--force", site=site, today=TODAY))
    state = site / "retired.json"
    assert json.loads(state.read_text(encoding="utf-8"))["download_name"] == "ecrits-du-soir"
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nSITENAME = "Les soirs"\n', encoding="utf-8")
    ok(run_floor("build", site=site, today=TODAY))
    download = site / "output" / "download"
    assert sorted(p.name for p in download.iterdir()) == ["ecrits-du-soir.warc.gz", "ecrits-du-soir.zip"]
    assert "/download/ecrits-du-soir.zip" in (site / "output" / "farewell" / "index.html").read_text(
        encoding="utf-8"
    )

    older = json.loads(state.read_text(encoding="utf-8"))
    del older["download_name"]  # as a retirement before the name was recorded wrote it
    state.write_text(json.dumps(older, indent=2) + "\n", encoding="utf-8")
    conf.write_text(conf.read_text(encoding="utf-8").replace('SITENAME = "Les soirs"', ""), encoding="utf-8")
    ok(run_floor("build", site=site, today=TODAY))
    assert sorted(p.name for p in download.iterdir()) == ["crits-du-soir.warc.gz", "crits-du-soir.zip"]

    state.write_text(json.dumps({**older, "download_name": "../x"}) + "\n", encoding="utf-8")
    out = run_floor("build", site=site, today=TODAY)
    assert out.returncode != 0 and "download_name" in out.stderr and "Traceback" not in out.stderr


def test_a_download_name_from_any_script() -> None:
    from from_the_floor.core import ids

    assert ids.download_name("Écrits du soir") == "ecrits-du-soir"
    assert ids.download_name("Demandez à Claire") == "demandez-a-claire"
    japanese = ids.download_name("夜の質問")
    assert japanese != "column" and japanese.isascii() and japanese.replace("-", "").isalnum()
    assert ids.download_name("?!") == "column"


def test_a_right_to_left_column_is_laid_out_right_to_left(tmp_path: Path) -> None:
    """An Arabic column (`floor init --lang ar`): every page says dir="rtl" beside lang="ar",
    so a browser starts its lines at the right and puts a question's "؟" where it belongs; a
    withdrawn post's notice too. A left-to-right column's pages carry no dir at all."""
    site = tmp_path / "site"
    ok(run_floor("init", site, "--title", "اسألني أي شيء", "--author", "ليلى", "--lang", "ar"))
    for qid, question in (("awal", "كيف تختار ما تكتب عنه؟"), ("thani", "هل تقرأ كل تعليق؟")):
        write_question(
            site, qid, question_text(question, asked="2026-11-02", quick="نعم.", body="جواب أطول.")
        )
    ok(run_floor("publish", site=site, today="2026-11-09"))
    ok(run_floor("publish", site=site, today="2026-11-16"))
    ok(run_floor("withdraw", "thani", site=site, today=TODAY))
    ok(run_floor("build", site=site, today=TODAY))
    pages = {
        rel: text for rel, text in texts(site / "output").items() if rel.endswith(".html")
    }
    assert {"index.html", "404.html", "ask/index.html", "search/index.html"} <= set(pages)
    assert any(rel.startswith("floor/thani/") for rel in pages)  # the withdrawal notice
    wrong = [rel for rel, text in pages.items() if '<html lang="ar" dir="rtl">' not in text]
    assert wrong == []
    assert i18n.text_direction("he_IL") == "rtl" and i18n.text_direction("fa") == "rtl"
    for lang in ("en", "fr", "de", "ja", "", "xx"):
        assert i18n.text_direction(lang) == "ltr" and i18n.dir_attribute(lang) == ""
