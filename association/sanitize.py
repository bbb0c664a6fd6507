"""Rich text that people type in is cleaned on save, with an explicit allowlist."""

import html
import re

import nh3
from django.template.defaultfilters import linebreaks
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "abbr",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "lang"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(value):
    if not value:
        return value
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(value):
    """Rich text as plain text, for meta descriptions and open data: tags removed and entities
    decoded (a template or a JSON encoder escapes the text again where it goes)."""
    return html.unescape(strip_tags(value or ""))


_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_PARAGRAPHS = re.compile(r"</p>\s*<p>|<p>|</p>|<br>|<br />", re.IGNORECASE)
_AS_TEXT = {"<p>": "", "</p>": "", "<br>": "\n", "<br />": "\n"}


def text_for_editing(value):
    """Rich text as people edit it in a plain text box: paragraphs alone become the plain text
    they came from; anything richer stays HTML."""
    if value and not _TAG.search(_PARAGRAPHS.sub("", value)):
        return html.unescape(
            _PARAGRAPHS.sub(lambda match: _AS_TEXT.get(match.group().lower(), "\n\n"), value)
        ).strip()
    return value


def text_from_editing(text):
    """What people typed, as rich text: plain text becomes paragraphs; HTML is kept, for the
    model to sanitise with nh3 when it saves."""
    text = text.strip()
    return linebreaks(text) if text and not _TAG.search(text) else text
