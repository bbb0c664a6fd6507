"""Reads of the directory that are more than a QuerySet method: search, figures, vocabularies."""

import hashlib
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from .models import FieldOfActivity, Municipality, Organisation, OrganisationType, Region
from .search import prefix_query
from .services import directory_version

# Relevance is computed for at most this many name matches plus as many other matches: a common
# prefix that matches most of 100,000 organisations still ranks a bounded set.
SEARCH_CANDIDATES = 250
CACHE_SECONDS = 60 * 60


def _cached(name, build):
    return cache.get_or_set(f"members:{name}:{directory_version()}", build, CACHE_SECONDS)


# Vocabularies unpickled once per process and directory version: unpickling a few hundred
# model instances on every request would cost more than the page's queries.
_vocabularies = {}


def vocabularies():
    """Types, places and fields of activity: few, read on every directory page, so cached."""

    def build():
        return {
            "types": list(OrganisationType.objects.all()),
            "regions": list(Region.objects.all()),
            "municipalities": list(Municipality.objects.all()),
            "fields": list(FieldOfActivity.objects.all()),
        }

    version = directory_version()
    if version not in _vocabularies:
        _vocabularies.clear()
        _vocabularies[version] = _cached("vocabularies", build)
    return _vocabularies[version]


def search_query(text):
    tsquery = prefix_query(text)
    return SearchQuery(tsquery, search_type="raw", config="simple") if tsquery else None


def matching(queryset, query):
    return queryset.filter(search_vector=query)


def ranked_search(queryset, text):
    """Ids of the best matches of the text, best first: matches in the name, then in the place
    or fields of activity, then in the description; alphabetical within each.

    Only a bounded set is ranked: up to SEARCH_CANDIDATES name matches and as many others, each
    found through a GIN index without any ordering (an ordered scan would walk the whole name
    index for a common word)."""
    tsquery = prefix_query(text)
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    matches = matching(queryset, query).order_by()
    by_name = matches.filter(name_vector=query).values("id")[:SEARCH_CANDIDATES]
    by_any = matches.values("id")[:SEARCH_CANDIDATES]
    # The same words, but only where the stored vector weighs them B (place, fields).
    in_place = SearchQuery(tsquery.replace(":*", ":*B"), search_type="raw", config="simple")
    return list(
        Organisation.objects.filter(id__in=by_name.union(by_any))
        .annotate(
            name_match=ExpressionWrapper(Q(name_vector=query), output_field=BooleanField()),
            place_match=ExpressionWrapper(Q(search_vector=in_place), output_field=BooleanField()),
        )
        .order_by("-name_match", "-place_match", "sort_name", "id")
        .values_list("id", flat=True)
    )


def cached_value(key, build):
    """A value derived from the directory (a count, map points), cached until it changes."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return _cached(f"derived:{digest}", build)


def cached_count(queryset, key):
    # Counting many thousands of rows on every page view would cost more than the whole page.
    return cached_value(f"count:{key}", queryset.count)


@dataclass
class TypeFigures:
    type: OrganisationType
    count: int


@dataclass
class Figures:
    """Rolled-up figures of a set of organisations, from one grouped query."""

    organisations: int = 0
    member_organisations: int = 0
    members: int = 0
    volunteers: int = 0
    staff: int = 0
    by_type: list = field(default_factory=list)


def figures(queryset):
    rows = (
        queryset.order_by()
        .values("type")
        .annotate(
            count=Count("id"),
            members=Sum("members_count"),
            volunteers=Sum("volunteers_count"),
            staff=Sum("staff_count"),
            member_organisations=Count(
                "id",
                filter=Q(
                    type__is_legal_entity=True,
                    membership_status=Organisation.MembershipStatus.MEMBER,
                ),
            ),
        )
    )
    by_type = {row["type"]: row for row in rows}
    result = Figures()
    for kind in vocabularies()["types"]:
        row = by_type.get(kind.pk)
        if row is None:
            continue
        result.by_type.append(TypeFigures(kind, row["count"]))
        result.organisations += row["count"]
        result.member_organisations += row["member_organisations"]
        result.members += row["members"] or 0
        result.volunteers += row["volunteers"] or 0
        result.staff += row["staff"] or 0
    return result


def association_figures():
    """The headline figures of the whole directory (home and About pages)."""
    return _cached("figures", lambda: figures(Organisation.objects.published()))
