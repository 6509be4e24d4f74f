"""A date in the column's language is Babel's, however often and in whatever order it is asked."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from from_the_floor.core import i18n

FORMS = ("long", "weekday", "short", "month", "day")


def test_each_form_of_each_day_is_babels_in_any_order() -> None:
    for code in ("en", "fr"):
        lang = i18n.language(code)
        days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 400, 37)]
        for _ in range(2):  # the second round is remembered
            for day in days:
                for form in FORMS:
                    pattern = i18n._FIRST_OF_MONTH.get(form, form) if day.day == 1 else form
                    want = format_date(day, format=lang._patterns()[pattern], locale=code)
                    assert lang.date(day, form) == want


def test_french_writes_the_first_of_a_month_1er_and_english_1() -> None:
    """Walked: a French column's bylines said "le 1 septembre"; French writes "1er"."""
    fr, en = i18n.language("fr"), i18n.language("en")
    first, second = dt.date(2026, 9, 1), dt.date(2026, 9, 2)
    assert [fr.date(first, f) for f in FORMS] == [
        "1er septembre 2026",
        "mardi 1er septembre 2026",
        "1er sept. 2026",
        "sept. 2026",
        "1er sept.",
    ]
    assert fr.date(second, "weekday") == "mercredi 2 septembre 2026"
    assert fr.date(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)) == "1er septembre 2026"
    assert [en.date(first, f) for f in FORMS] == [
        "1 September 2026",
        "Tuesday 1 September 2026",
        "1 Sep 2026",
        "Sep 2026",
        "1 Sep",
    ]


def test_a_moment_is_dated_in_its_own_zone_as_babel_does() -> None:
    lang = i18n.language("en")
    paris = dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    london = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert paris == london  # equal moments, but not the same day where each is told
    assert lang.date(paris) == "1 January 2026"
    assert lang.date(london) == "31 December 2025"
    assert lang.date(dt.datetime(2026, 3, 1, 12)) == lang.date(dt.date(2026, 3, 1)) == "1 March 2026"


def test_a_language_formats_with_its_parsed_locale_as_babel_does_from_the_code() -> None:
    """The kit formats with the locale it parsed once; every result is Babel's own from the code."""
    from babel.dates import get_day_names
    from babel.numbers import format_decimal

    for code in ("fr", "en"):
        i18n.language.cache_clear()
        lang = i18n.language(code)
        day = dt.date(2026, 12, 6)
        got = (
            [lang.date(day, form) for form in FORMS],
            i18n.format_number(1234.5, lang),
            i18n.weekday_name(0, lang),
        )
        want = (  # Babel's own, from the code
            [format_date(day, format=lang._patterns()[form], locale=code) for form in FORMS],
            str(format_decimal(1234.5, format="#,##0.##", locale=code)),
            str(get_day_names("wide", locale=code)[0]),
        )
        assert got == want
    assert i18n.format_number(2.5, i18n.language("fr")) == "2,5"


def test_a_time_zone_is_named_by_its_city_in_the_column_s_language() -> None:
    """The About page says when posts go out in words a reader uses, not an IANA name."""
    french, english = i18n.language("fr"), i18n.language("en")
    assert i18n.zone_name("Europe/London", french) == "Londres"
    assert i18n.zone_name("Europe/London", english) == "London"
    assert i18n.zone_name("America/New_York", english) == "New York"
    assert i18n.zone_name("Etc/UTC", french) == "UTC"
    assert i18n.zone_name("Not_A/Zone_Name", english) == "Not A/Zone Name"  # unknown: its own name


def test_a_zone_without_a_city_is_named_by_its_offset_or_as_written() -> None:
    """Etc/GMT+5 is five hours behind UTC (POSIX's sign): the About page must not say "GMT+5"."""
    french, english = i18n.language("fr"), i18n.language("en")
    assert i18n.zone_name("Etc/GMT+5", english) == "GMT-05:00"
    assert i18n.zone_name("Etc/GMT-3", french) == "UTC+03:00"
    assert i18n.zone_name("EST", english) == "EST"  # not CLDR's "Panama"
    assert i18n.zone_name("CET", french) == "CET"  # not "Bruxelles"
    assert i18n.zone_name("UTC", french) == "UTC"


def test_the_publishing_zone_reads_as_a_sentence_says_it() -> None:
    """The About page says "chaque lundi à 09:00 (heure de Paris)", not CLDR's label "heure :
    Paris"; French elides and contracts "de" before a city's name, and a zone with no city
    takes none."""
    french, english = i18n.language("fr"), i18n.language("en")
    assert i18n.zone_time("Europe/Paris", french) == "heure de Paris"
    assert i18n.zone_time("Europe/Amsterdam", french) == "heure d’Amsterdam"
    assert i18n.zone_time("Asia/Yerevan", french) == "heure d’Erevan"  # (CLDR's French name)
    assert i18n.zone_time("Africa/Cairo", french) == "heure du Caire"  # Le Caire
    assert i18n.zone_time("America/Havana", french) == "heure de La Havane"
    assert i18n.zone_time("Asia/Hong_Kong", french) == "heure de Hong Kong"  # an aspirated h
    assert i18n.zone_time("America/Argentina/Buenos_Aires", french) == "heure de Buenos Aires"
    assert i18n.zone_time("Etc/UTC", french) == "heure UTC"
    assert i18n.zone_time("Etc/GMT-3", french) == "heure UTC+03:00"
    assert i18n.zone_time("CET", french) == "heure CET"
    assert i18n.zone_time("Europe/Paris", i18n.language("fr_CA")) == "heure de Paris"
    # English as before: "(London time)", "(UTC time)"
    assert i18n.zone_time("Europe/London", english) == "London time"
    assert i18n.zone_time("Europe/Amsterdam", english) == "Amsterdam time"
    assert i18n.zone_time("Etc/UTC", english) == "UTC time"
    assert i18n.zone_time("Etc/GMT+5", english) == "GMT-05:00 time"


def test_a_language_tag_is_bcp_47_whatever_form_default_lang_takes() -> None:
    """One helper for every place the kit states the language (html lang, feeds, JSON-LD, Pagefind)."""
    from from_the_floor.core.i18n import language_tag

    assert [language_tag(x) for x in ("fr", "en", "fr_CA", "fr_ca", "pt-br", "zh_hant_tw", "")] == [
        "fr",
        "en",
        "fr-CA",
        "fr-CA",
        "pt-BR",
        "zh-Hant-TW",
        "en",
    ]


def test_a_language_reads_in_the_kit_s_english_when_english_or_without_a_catalogue() -> None:
    from from_the_floor.core import i18n

    assert i18n.language("en").is_source and i18n.language("en_GB").is_source and i18n.ENGLISH.is_source
    assert i18n.language("de").is_source  # no catalogue: it reads in English
    assert not i18n.language("fr").is_source and not i18n.language("fr_CA").is_source


@pytest.mark.parametrize(
    ("lang", "numbers", "said"),
    [
        ("en", [4], "Post #4 was withdrawn and is not counted."),
        ("en", [4, 2, 7], "Posts #2, #4, and #7 were withdrawn and are not counted."),
        ("fr", [4], "Le billet n° 4 a été retiré et n’est pas compté."),
        ("fr", [2, 4], "Les billets n° 2 et n° 4 ont été retirés et ne sont pas comptés."),
        ("en", [], ""),
    ],
)
def test_the_withdrawn_posts_are_named_beside_the_count(lang: str, numbers: list[int], said: str) -> None:
    """Stats and the farewell count the posts a reader can read: "3 posts" while the numbers run to
    #5 is explained by one sentence naming the withdrawn numbers, in the column's language."""
    assert i18n.withdrawn_sentence(numbers, i18n.language(lang)) == said


@pytest.mark.parametrize(
    ("lang", "long", "weekday", "first"),
    [
        ("ja", "2026年12月7日", "2026年12月7日月曜日", "2026年12月1日"),
        ("de", "7. Dezember 2026", "Montag, 7. Dezember 2026", "1. Dezember 2026"),
        ("ko", "2026년 12월 7일", "2026년 12월 7일 월요일", "2026년 12월 1일"),
    ],
)
def test_a_language_without_a_catalogue_writes_dates_in_its_own_order(
    lang: str, long: str, weekday: str, first: str
) -> None:
    """No translator chose its date patterns, so CLDR's own are used: a Japanese column's post
    said "7 12月 2026" (the English catalogue's "d MMMM y" with the month's name swapped in),
    a German one "7 Dezember 2026" without the dot after the day."""
    from from_the_floor.core import i18n

    words = i18n.language(lang)
    assert not words.has_catalogue
    assert words.date(dt.date(2026, 12, 7)) == long
    assert words.date(dt.date(2026, 12, 7), "weekday") == weekday
    assert words.date(dt.date(2026, 12, 1)) == first
    # the kit's own languages keep their catalogue's patterns
    assert i18n.language("en").date(dt.date(2026, 12, 7)) == "7 December 2026"
    assert i18n.language("fr").date(dt.date(2026, 12, 1)) == "1er décembre 2026"
