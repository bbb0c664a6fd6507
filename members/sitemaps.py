from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from .models import Organisation, Region


def _in_default_language(name, *args):
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


class OrganisationSitemap(Sitemap):
    """Every public organisation, at its address in the default language."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Organisation.objects.published().order_by("id").only("slug", "updated_at")

    def location(self, item):
        # 100,000 reverse() calls would be slow: the prefix is reversed once.
        if not hasattr(self, "_prefix"):
            self._prefix = _in_default_language("members:directory")
        return f"{self._prefix}{item.slug}/"

    def lastmod(self, item):
        return item.updated_at


class RegionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Region.objects.order_by("id")

    def location(self, item):
        return _in_default_language("members:region", item.slug)


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "about", "members:directory", "members:regions", "accessibility", "privacy"]

    def location(self, item):
        return _in_default_language(item)


SITEMAPS = {"pages": PageSitemap, "regions": RegionSitemap, "organisations": OrganisationSitemap}
