"""The column's language: every word a reader sees comes from one gettext catalogue.

The catalogue is ``locale/<lang>/LC_MESSAGES/floor.po`` (compiled to ``.mo``,
both shipped with the kit), chosen by the site's ``DEFAULT_LANG``, as Pelican
themes do it. The theme's templates read it through Jinja's i18n extension
(pelican_plugin installs it); the ``web/`` functions that write text are handed
a :class:`Language` and call its ``gettext``/``ngettext``, so they stay pure.

Why Babel: it reads and writes the catalogues (``pybabel extract/update/compile``),
knows each language's plural rules, and formats dates with CLDR's month and day
names for any locale, without the operating system's locales (a CI machine or a
fresh laptop often has only English ones, so ``strftime("%B")`` cannot be trusted).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_mod
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..paths import PACKAGE_DIR

DOMAIN = "floor"
LOCALE_DIR = PACKAGE_DIR / "locale"
SOURCE_LANGUAGE = "en"  # the msgids are English


_FIRST_OF_MONTH = {form: f"{form}-1st" for form in ("long", "weekday", "short", "day")}


def shipped() -> list[str]:
    """The languages the kit has a catalogue for ("en", "fr", …)."""
    # locale/<lang>/LC_MESSAGES/floor.mo: the language is the folder above LC_MESSAGES
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def locale_code(lang: Any) -> str:
    """``DEFAULT_LANG`` as a Babel locale code: "fr", "fr-CA" → "fr_CA"; unknown → English."""
    from babel import Locale, UnknownLocaleError

    text = str(lang or "").strip().replace("-", "_") or SOURCE_LANGUAGE
    try:
        return str(Locale.parse(text))
    except (UnknownLocaleError, ValueError, TypeError):
        return SOURCE_LANGUAGE


def language_tag(lang: Any) -> str:
    """``DEFAULT_LANG`` as a BCP 47 language tag, the form HTML's ``lang``, XML, JSON Feed,
    schema.org and Pagefind expect: "fr_CA" → "fr-CA" (a regional code written the gettext way
    is not a valid tag, and browsers and screen readers ignore it); "fr", "en" as written.

    Pelican lowercases ``DEFAULT_LANG`` ("fr_ca"), so the subtags get their usual case back:
    a two-letter region in capitals ("CA"), a script capitalised ("Hant").
    """
    first, *rest = str(lang or "").strip().replace("_", "-").split("-")
    subtags = [first.lower()] + [
        s.upper() if len(s) == 2 and s.isalpha() else s.title() if len(s) == 4 and s.isalpha() else s
        for s in rest
    ]
    return "-".join(subtags) if first else SOURCE_LANGUAGE


def text_direction(lang: Any) -> str:
    """"rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu …), else "ltr".

    A page that says ``lang="ar"`` without ``dir="rtl"`` is laid out left to right: its
    paragraphs start at the left edge and a question's final "؟" lands on the wrong side.
    Babel's CLDR data knows each language's direction, so no list is kept here.
    """
    from babel import Locale, UnknownLocaleError

    text = str(lang or "").strip().replace("-", "_")
    if not text:
        return "ltr"
    try:
        order = Locale.parse(text).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def dir_attribute(lang: Any) -> str:
    """`` dir="rtl"`` to follow ``<html lang="…">`` on a right-to-left page, else nothing (the
    default direction is left to right, so other pages stay as they were, byte for byte)."""
    return ' dir="rtl"' if text_direction(lang) == "rtl" else ""


@dataclass(frozen=True)
class Language:
    """One language's messages and dates; what ``web/`` functions are handed."""

    code: str
    translations: gettext_mod.NullTranslations = field(compare=False, repr=False)
    has_catalogue: bool = True

    @property
    def is_source(self) -> bool:
        """Reads in the kit's own English words: an English code ("en", "en_GB"), or a language
        without a catalogue; what is written in English needs no translated copy then."""
        return not self.has_catalogue or self.code.split("_")[0] == SOURCE_LANGUAGE

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def date(self, value: dt.date, form: str = "long") -> str:
        """A date in the column's language, e.g. "6 December 2026", "6 décembre 2026".

        ``form``: "long" (day month year), "weekday" (with the day's name), "short"
        (abbreviated month), "month" (month and year), "day" (day and month).
        Each is a CLDR pattern from the catalogue, so a translator picks the order.
        """
        # Each day is formatted once per form: a list page shows every post's date, and Babel
        # parses the locale and the pattern on every call (about 18 µs, tens of thousands of
        # times in a build). Babel formats the date of a datetime, in its own zone, as here.
        day = value.date() if isinstance(value, dt.datetime) else value
        if getattr(day, "day", None) == 1 and form in _FIRST_OF_MONTH:
            form = _FIRST_OF_MONTH[form]  # French writes the 1st as "1er"
        if type(day) is not dt.date:
            return self._format(value, form)
        key = (day, form)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = self._format(day, form)
        return text

    def _format(self, value: Any, form: str) -> str:
        from babel.dates import format_date

        return format_date(value, format=self._pattern_table[form], locale=self._locale)

    @functools.cached_property
    def _dates(self) -> dict[tuple[dt.date, str], str]:
        return {}

    @functools.cached_property
    def _locale(self) -> Any:
        from babel import Locale

        return Locale.parse(self.code)

    @functools.cached_property
    def _pattern_table(self) -> dict[str, str]:
        return self._patterns()

    def _patterns(self) -> dict[str, str]:
        if not self.has_catalogue:
            return self._cldr_patterns()
        # Translators: CLDR date patterns (https://cldr.unicode.org/translation/date-time/date-time-patterns):
        # d day, EEEE weekday name, MMMM month name, MMM abbreviated month, y year.
        return {
            "long": self.pgettext("date pattern", "d MMMM y"),
            "weekday": self.pgettext("date pattern", "EEEE d MMMM y"),
            "short": self.pgettext("date pattern", "d MMM y"),
            "month": self.pgettext("date pattern", "MMM y"),
            "day": self.pgettext("date pattern", "d MMM"),
            # Translators: the same patterns for the first day of a month, for a language that
            # writes it apart: French "1er", as the CLDR pattern d'er' (quoted letters are kept).
            "long-1st": self.pgettext("date pattern, 1st of the month", "d MMMM y"),
            "weekday-1st": self.pgettext("date pattern, 1st of the month", "EEEE d MMMM y"),
            "short-1st": self.pgettext("date pattern, 1st of the month", "d MMM y"),
            "day-1st": self.pgettext("date pattern, 1st of the month", "d MMM"),
        }

    def _cldr_patterns(self) -> dict[str, str]:
        """A language without a catalogue has no translator to choose its patterns: CLDR's own
        for that locale, not the English catalogue's "d MMMM y" with the month's name swapped
        in, which Japanese reads as "7 12月 2026" (for 2026年12月7日) and German without its
        "7." dot. The first of the month is written as any other day."""
        loc = self._locale

        def skeleton(name: str, fallback: str) -> str:
            found = loc.datetime_skeletons.get(name)
            return str(getattr(found, "pattern", found or fallback))

        table = {
            "long": skeleton("yMMMMd", loc.date_formats["long"].pattern),
            "weekday": loc.date_formats["full"].pattern,
            "short": skeleton("yMMMd", loc.date_formats["medium"].pattern),
            "month": skeleton("yMMM", "MMM y"),
            "day": skeleton("MMMd", "d MMM"),
        }
        return {**table, **{first: table[form] for form, first in _FIRST_OF_MONTH.items()}}


@functools.lru_cache(maxsize=8)
def language(lang: Any = SOURCE_LANGUAGE) -> Language:
    """The catalogue for ``DEFAULT_LANG`` (a region falls back to its language: "fr_CA" → "fr").

    A language the kit has no catalogue for reads in English, with ``has_catalogue`` False
    (``floor check`` says so).
    """
    from babel.support import Translations

    code = locale_code(lang)
    found = Translations.load(str(LOCALE_DIR), [code], DOMAIN)
    has = isinstance(found, gettext_mod.GNUTranslations)
    if not has:
        found = gettext_mod.NullTranslations()
    return Language(code=code, translations=found, has_catalogue=has)


def format_number(value: float, lang: Language) -> str:
    """A figure as the column's language writes it ("2.5", "2,5"), without trailing zeros."""
    from babel.numbers import format_decimal

    # (the parsed locale: a code would be parsed again on every call)
    return str(format_decimal(value, format="#,##0.##", locale=lang._locale))


def post_numbers(numbers: Iterable[int], lang: Language) -> str:
    """Post numbers as the column's language lists them ("#2 and #4", "n° 2 et n° 4"): the
    sentence that says which posts were withdrawn, where the series skips them."""
    from babel.lists import format_list

    shown = [lang.gettext("#%(number)s") % {"number": n} for n in sorted(set(numbers))]
    return str(format_list(shown, locale=lang._locale)) if shown else ""


def withdrawn_sentence(numbers: Iterable[int], lang: Language) -> str:
    """The sentence "Post #4 was withdrawn and is not counted." beside a count of posts, so a reader
    who sees "3 posts" while the numbers run to #5 knows why (empty when nothing was withdrawn)."""
    numbers = sorted(set(numbers))
    if not numbers:
        return ""
    said = lang.ngettext(
        "Post %(numbers)s was withdrawn and is not counted.",
        "Posts %(numbers)s were withdrawn and are not counted.",
        len(numbers),
    )
    return said % {"numbers": post_numbers(numbers, lang)}


def weekday_name(index: int, lang: Language) -> str:
    """Monday (0) … Sunday (6) in the column's language, as it is written mid-sentence."""
    from babel.dates import get_day_names

    return str(get_day_names("wide", locale=lang._locale)[index])


# Etc/GMT+5, Etc/GMT-3 …: a fixed offset, no city
_FIXED_OFFSET = re.compile(r"Etc/GMT[+-]\d+")


def zone_name(zone: str, lang: Language) -> str:
    """A time zone as a reader names it: its city in the column's language ("Londres" for
    Europe/London in French, "New York"), or "UTC"; an IANA name means little to a reader,
    and "Europe/Paris" in a French sentence reads as code. A zone CLDR does not know is its name.

    A zone without a city keeps a name that says its time: Etc/GMT+5 is an offset ("GMT-05:00",
    since its POSIX sign is the reverse of what it reads: five hours *behind*, which CLDR's
    "GMT+5" would tell a reader the other way), and a name without a region (EST, CET) stays as
    the author wrote it (CLDR names EST "Panama").
    """
    return _zone_label(zone, lang)[0]


def _zone_label(zone: str, lang: Language) -> tuple[str, bool]:
    """:func:`zone_name`, and whether that name is a city's (Paris) rather than a zone's own
    (UTC, GMT-05:00, EST): a sentence says "Paris time" and "UTC time", but French says
    "heure de Paris" and "heure UTC"."""
    from babel.dates import get_timezone, get_timezone_gmt, get_timezone_location

    try:
        tz = get_timezone(zone)
        if _FIXED_OFFSET.fullmatch(zone):  # no daylight saving: any day's offset is the zone's
            return str(get_timezone_gmt(dt.datetime(2000, 1, 1, tzinfo=tz), locale=lang._locale)), False
        if "/" not in zone:
            return zone, False
        city = str(get_timezone_location(tz, locale=lang._locale, return_city=True))
        return city, not zone.startswith("Etc/")  # (Etc/UTC is "UTC", no city)
    except (LookupError, ValueError):
        return zone.replace("_", " "), False


# What a language's grammar does to the word before a city's name that a catalogue entry
# cannot: French "de" before a vowel is "d’" (heure d’Amsterdam), and "de Le"/"de Les" are
# "du"/"des" (heure du Caire). An aspirated h is not elided (heure de Hong Kong), so none is.
# Each rule: (the words' end before the name, the name's start it applies to, what they become).
_VOWEL = "AEIOUÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜaeiouàâäæéèêëîïôöœùûü"
_CONTRACTIONS: dict[str, tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]] = {
    "fr": (
        (re.compile(r"(?<!\w)de $"), re.compile(r"Les "), "des "),
        (re.compile(r"(?<!\w)de $"), re.compile(r"Le "), "du "),
        (re.compile(r"(?<!\w)de $"), re.compile(f"(?=[{_VOWEL}])"), "d’"),
    ),
}


def zone_time(zone: str, lang: Language) -> str:
    """The zone a column publishes in, as a sentence names its time: "London time", "UTC time";
    in French "heure de Londres", "heure d’Amsterdam", "heure du Caire", "heure UTC" (CLDR's own
    "heure : Londres" is a label, not how a sentence says it)."""
    name, is_city = _zone_label(zone, lang)
    if not is_city:
        # Translators: the time of a zone named by its abbreviation or offset: "UTC time", "GMT-05:00 time"
        return lang.pgettext("time zone without a city", "%(zone)s time") % {"zone": name}
    # Translators: the time of a city's zone, as in "every Monday at 09:00 (London time)"
    before, _, after = lang.pgettext("time zone", "%(city)s time").partition("%(city)s")
    for words, start, joined in _CONTRACTIONS.get(lang.code.split("_")[0], ()):
        found = start.match(name)
        if found and words.search(before):
            before, name = words.sub(joined, before), name[found.end() :]
            break
    return before + name + after


ENGLISH = Language(code=SOURCE_LANGUAGE, translations=gettext_mod.NullTranslations())


def asks_source(raw: dict[str, Any]) -> bool:
    """Whether the settings plainly ask for the kit's own English (DEFAULT_LANG unset or "en"),
    which :func:`for_settings` would read as :attr:`Language.is_source`: told without loading
    Babel, which `floor check` on an English column otherwise imports for nothing (about 0.03 s)."""
    return str(raw.get("DEFAULT_LANG") or SOURCE_LANGUAGE) == SOURCE_LANGUAGE


def for_settings(raw: dict[str, Any]) -> Language:
    """The language a site's settings (pelicanconf.py) ask for."""
    return language(str(raw.get("DEFAULT_LANG") or SOURCE_LANGUAGE))


def catalogue_stamp() -> str:
    """What changes when any catalogue does: part of the key Pelican's cached posts are read under.

    Taken from the catalogues' bytes, not their file times: installing the same kit again (a CI
    runner's fresh virtual environment, pip or uv unpacking the wheel anew) gives the files new
    times, and a key made from those made the next build read and convert every post again."""
    import hashlib  # here: the commands that load this module without building need not

    parts = []
    for path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        parts.append(f"{path.parent.parent.name}:{digest}")
    return ";".join(parts)
