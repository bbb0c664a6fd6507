"""Reads of advocacy that are more than a QuerySet method, cached until anything changes."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from association import versioned
from association.models import Topic

from .models import Body, Endorsement, Position, Seat
from .services import advocacy_version

# Unpickled once per process and version, as the directory's vocabularies are.
_vocabularies = {}


def cached(name, build):
    return versioned.cached("advocacy", advocacy_version, name, build)


def vocabularies():
    """Topics and the years with published positions: the list's filter choices."""

    def build():
        return {
            "topics": list(Topic.objects.all()),
            "years": list(
                Position.objects.published()
                .annotate(published_year=ExtractYear("published_at"))
                .order_by("-published_year")
                .values_list("published_year", flat=True)
                .distinct()
            ),
        }

    version = advocacy_version()
    if version not in _vocabularies:
        _vocabularies.clear()
        _vocabularies[version] = cached("vocabularies", build)
    return _vocabularies[version]


def bodies_with_seats_held():
    """Every council and committee with the number of seats the association's delegates hold
    now ("8 of 11"): substitutes and observers hold none."""
    current = Seat.objects.current().values("pk")
    return Body.objects.annotate(
        held=Count(
            "seats",
            filter=Q(seats__in=current, seats__role__in=Seat.HOLDING),
        )
    ).order_by("order", "name", "id")  # Meta.ordering is dropped from GROUP BY queries


def organisation_advocacy(organisation):
    """The published positions an organisation co-signed and the current public seats its people
    hold, for its profile (cached: the profile already spends the queries a page may)."""

    def build():
        endorsed = list(
            Endorsement.objects.active()
            .filter(organisation=organisation, position__status=Position.Status.PUBLISHED)
            .select_related("position")
            .order_by("-position__published_at", "-id")[:20]
        )
        seats = list(
            Seat.objects.current()
            .filter(organisation=organisation, public=True)
            .select_related("body")
            .order_by("body__order", "body__name", "id")
        )
        return {"positions": [e.position for e in endorsed], "seats": seats}

    return cached(f"organisation:{organisation.pk}", build)
