"""The countries a partner may be sought in: those of the EU programmes members apply to
(EU and EEA, the United Kingdom, Ukraine, Moldova, Georgia, Armenia and the Western Balkans).

Names come from the Unicode CLDR through babel, in the page's language, so that every country is
named as its readers spell it without a hand-kept translation of each name."""

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale

from .search import normalise

EU = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip
EEA = ["IS", "LI", "NO"]
NEIGHBOURS = ["GB", "UA", "MD", "GE", "AM"]
WESTERN_BALKANS = ["AL", "BA", "ME", "MK", "RS", "XK"]
COUNTRIES = [*EU, *EEA, *NEIGHBOURS, *WESTERN_BALKANS]


def _territories(language=None):
    try:
        return Locale.parse(to_locale(language or get_language() or "en")).territories
    except (UnknownLocaleError, ValueError):
        return Locale("en").territories


def country_name(code, language=None):
    return _territories(language).get(code, code)


def country_choices(language=None):
    """(code, name) for every country, alphabetical in the page's language."""
    names = _territories(language)
    return sorted(
        ((code, names.get(code, code)) for code in COUNTRIES),
        key=lambda choice: normalise(choice[1]),
    )
