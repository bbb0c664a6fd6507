import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """The same page in each language. Every page has the same address in every language but
    for its prefix, so the prefix is swapped; a page that does not exist (a 404) or has no
    prefix offers each language's home page."""
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request else "/"
    prefix = f"/{current}/"
    found = request is not None and request.resolver_match is not None
    links = []
    for code, _name in settings.LANGUAGES:
        url = (
            f"/{code}/" + path[len(prefix) :] if found and path.startswith(prefix) else f"/{code}/"
        )
        info = get_language_info(code)
        links.append(
            {"code": code, "url": url, "name": info["name_local"], "current": code == current}
        )
    return {"links": links}


@register.simple_tag
def select_options(bound_field):
    """A select's options, the chosen one selected. Written here because Django's widget
    renders every option through a template: slow for a list of hundreds of places."""
    current = str(bound_field.value() or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == current else "", label)
            for value, label in bound_field.field.choices
        ),
    )


# Characters that could end the <script> element or start markup inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A schema.org description as a <script type="application/ld+json"> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def as_list(value):
    """One item as a list, for an include that takes several (see _error_summary.html)."""
    return [value]


@register.filter
def prepend(items, first):
    """A list with one item before the others."""
    return [first, *items]


@register.inclusion_tag("association/_related_news.html")
def related_news(obj):
    """The latest news about an organisation, a project or a position."""
    from ..news import related_news as latest

    return {"posts": latest(obj)}
