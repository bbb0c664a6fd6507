"""Reads of the directory that are more than a QuerySet method: search, figures, vocabularies."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum

from .models import FieldOfActivity, Municipality, Organisation, OrganisationType, Region
from .search import prefix_query
from .services import directory_version

# Relevance is computed for at most this many name matches plus as many other matches: a common
# prefix that matches most of 100,000 organisations still ranks a bounded set.
SEARCH_CANDIDATES = 500
CACHE_SECONDS = 60 * 60


def _cached(name, build):
    return cache.get_or_set(f"members:{name}:{directory_version()}", build, CACHE_SECONDS)


def vocabularies():
    """Types, places and fields of activity: few, read on every directory page, so cached."""

    def build():
        return {
            "types": list(OrganisationType.objects.all()),
            "regions": list(Region.objects.all()),
            "municipalities": list(Municipality.objects.all()),
            "fields": list(FieldOfActivity.objects.all()),
        }

    return _cached("vocabularies", build)


def search_query(text):
    tsquery = prefix_query(text)
    return SearchQuery(tsquery, search_type="raw", config="simple") if tsquery else None


def matching(queryset, query):
    return queryset.filter(search_vector=query)


def ranked(queryset, query):
    """The best matches of the query in the queryset, name matches first, at most
    2 × SEARCH_CANDIDATES of them."""
    matches = matching(queryset, query)
    by_name = matches.filter(name_vector=query).values("id")[:SEARCH_CANDIDATES]
    by_any = matches.values("id")[:SEARCH_CANDIDATES]
    return (
        Organisation.objects.filter(Q(id__in=by_name) | Q(id__in=by_any))
        .annotate(
            name_match=ExpressionWrapper(Q(name_vector=query), output_field=BooleanField()),
            rank=SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0]),
        )
        .order_by("-name_match", "-rank", "sort_name", "id")
    )


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
