from django import template

from ..selectors import organisation_advocacy

register = template.Library()


@register.inclusion_tag("advocacy/_organisation_advocacy.html")
def organisation_advocacy_summary(organisation):
    """The positions an organisation co-signed and the seats its people hold, for its profile."""
    return organisation_advocacy(organisation)
