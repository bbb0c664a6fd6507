from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if code != current and url == path:
            # A page with no version in that language (a 404): offer that language's home page.
            url = f"/{code}/"
        info = get_language_info(code)
        links.append(
            {"code": code, "url": url, "name": info["name_local"], "current": code == current}
        )
    return {"links": links}
