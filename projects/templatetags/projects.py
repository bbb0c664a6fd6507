from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language, to_locale

from ..models import NEWEST_FIRST, Project
from ..selectors import cached

register = template.Library()

# How many of an organisation's projects its profile lists; the rest are a link away.
PROFILE_PROJECTS = 10


@register.filter
def money(amount, currency):
    """An amount in its currency, written the way the page's language writes money."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=to_locale(get_language() or "en"))


@register.filter
def quantity(value):
    """A target or actual value as the page's language writes numbers, with no needless zeros."""
    if value is None:
        return ""
    return format_decimal(value, locale=to_locale(get_language() or "en"))


@register.inclusion_tag("projects/_organisation_projects.html")
def organisation_projects(organisation):
    """The published projects an organisation leads or partners in, newest first (cached until
    any project changes: the profile already spends the queries a page may)."""
    projects = cached(
        f"organisation:{organisation.pk}",
        lambda: list(
            Project.objects.published()
            .involving([organisation.pk])
            .select_related("funder")
            .order_by(*NEWEST_FIRST)[: PROFILE_PROJECTS + 1]
        ),
    )
    return {
        "organisation": organisation,
        "projects": projects[:PROFILE_PROJECTS],
        "more": len(projects) > PROFILE_PROJECTS,
    }
