"""Search text normalised in Python, because the embedded PostgreSQL has no `unaccent`.

Text is case-folded and stripped of diacritics ("Kultūros" → "kulturos", "Göteborg" →
"goteborg") before it goes into the stored tsvector and before it becomes a query, so both sides
meet on the same plain letters with PostgreSQL's extension-free `simple` configuration.
"""

import re
import unicodedata

from django.utils.html import strip_tags

# Letters that Unicode does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_WORD = re.compile(r"[0-9a-z]+")
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8


def normalise(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    return _WORD.findall(normalise(text))


def document(*parts):
    """Normalised words of some text (HTML allowed), ready for to_tsvector('simple', ...)."""
    return " ".join(word for part in parts for word in words(strip_tags(part or "")))


def prefix_query(text):
    """A tsquery matching every word of the text as a prefix, or "" if it has no words.

    Only [0-9a-z] survive normalisation, so nothing a visitor types can reach tsquery syntax.
    """
    terms = words((text or "")[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]
    return " & ".join(f"{term}:*" for term in terms)
