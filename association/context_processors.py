from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import AssociationProfile


def portal(request):
    match = request.resolver_match
    return {
        # The part of the site a page belongs to, for the main navigation's aria-current.
        "section": (match.namespace or match.url_name) if match else "",
        # Lazy: a page that never shows the association's name costs no query.
        "association": SimpleLazyObject(AssociationProfile.load),
        "signup_open": settings.ACCOUNT_SIGNUP_OPEN,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
    }
