"""Reads of projects that are more than a QuerySet method: vocabularies and totals, cached."""

from collections import defaultdict

from django.db.models import Count, F, Sum

from association import versioned
from association.models import Topic

from .models import Funder, Programme, Project
from .services import projects_version

# Unpickled once per process and version, as the directory's vocabularies are.
_vocabularies = {}


def cached(name, build):
    """A value derived from projects (a count, totals), kept until any project changes."""
    return versioned.cached("projects", projects_version, name, build)


def vocabularies():
    """Funders, programmes, topics and the years that have projects: the list's filter choices."""

    def build():
        return {
            "funders": list(Funder.objects.all()),
            "programmes": list(Programme.objects.select_related("funder")),
            "topics": list(Topic.objects.all()),
            "years": list(
                Project.objects.published()
                .exclude(year=None)
                .order_by("-year")
                .values_list("year", flat=True)
                .distinct()
            ),
        }

    version = projects_version()
    if version not in _vocabularies:
        _vocabularies.clear()
        _vocabularies[version] = cached("vocabularies", build)
    return _vocabularies[version]


def totals(queryset, key):
    """Amounts awarded, by funder and by year, each as {currency: sum}: amounts in different
    currencies are never added together. Two grouped queries, cached per filter."""

    def build():
        awarded = queryset.exclude(amount_awarded=None).order_by()
        # Keyed by id as well as name: two funders may share a name.
        by_funder = defaultdict(dict)
        for funder_id, name, currency, total, count in (
            awarded.values_list("funder_id", "funder__name", "currency")
            .annotate(total=Sum("amount_awarded"), count=Count("id"))
            .order_by("funder__name", "funder_id", "currency")
        ):
            by_funder[(funder_id, name or "")][currency] = (total, count)
        by_year = defaultdict(dict)
        overall = defaultdict(lambda: 0)
        for year, currency, total, count in (
            awarded.values_list("year", "currency")
            .annotate(total=Sum("amount_awarded"), count=Count("id"))
            .order_by(F("year").desc(nulls_last=True), "currency")
        ):
            by_year[year][currency] = (total, count)
            overall[currency] += total
        return {
            "by_funder": [(name, sorted(sums.items())) for (_id, name), sums in by_funder.items()],
            "by_year": [(year, sorted(sums.items())) for year, sums in by_year.items()],
            "overall": sorted(overall.items()),
        }

    return cached(f"totals:{key}", build)
