"""Writes to the directory that do more than save a form."""

import csv
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Avg
from django.utils.text import slugify

from .models import Municipality, Organisation, Region
from .search import document

PLACES_DIR = Path(__file__).resolve().parent / "data" / "places"
PLACE_COLUMNS = [
    "country", "region_code", "region_name", "municipality_code", "municipality_name",
    "latitude", "longitude",
]  # fmt: skip
# The description adds words to search, but a novel would only slow every search down.
DESCRIPTION_WORDS = 400
DIRECTORY_VERSION_KEY = "members:directory-version"


def directory_changed():
    """Cached figures and filter choices are keyed by this version; a change replaces it."""
    cache.set(DIRECTORY_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def directory_version():
    # A random token, not a counter: if Redis loses the key, a new one can never be mistaken
    # for a version that a process still holds in memory.
    return cache.get_or_set(DIRECTORY_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def refresh_search(organisation_ids):
    """Recompute the stored search vectors of these organisations, in batches."""
    name_columns = [
        f"fields_of_activity__name_{code}" for code in settings.MODELTRANSLATION_LANGUAGES
    ]
    sql = (
        "UPDATE members_organisation SET "
        "name_vector = to_tsvector('simple', %(name)s), "
        "search_vector = setweight(to_tsvector('simple', %(name)s), 'A')"
        " || setweight(to_tsvector('simple', %(place)s), 'B')"
        " || setweight(to_tsvector('simple', %(text)s), 'C') "
        "WHERE id = %(id)s"
    )
    organisation_ids = list(organisation_ids)
    for start in range(0, len(organisation_ids), 2000):
        batch = organisation_ids[start : start + 2000]
        rows = (
            Organisation.objects.filter(pk__in=batch)
            .annotate(**{f"field_{i}": ArrayAgg(column) for i, column in enumerate(name_columns)})
            .values("id", "name", "short_name", "description", "municipality__name",
                    *(f"field_{i}" for i in range(len(name_columns))))
        )  # fmt: skip
        params = []
        for row in rows:
            field_names = {
                name for i in range(len(name_columns)) for name in row[f"field_{i}"] if name
            }
            params.append({
                "id": row["id"],
                "name": document(row["name"], row["short_name"]),
                "place": document(row["municipality__name"], *sorted(field_names)),
                "text": " ".join(document(row["description"]).split()[:DESCRIPTION_WORDS]),
            })  # fmt: skip
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def read_places(source):
    """Rows of a places CSV: a country code that ships with the portal (lt, si, se) or a path."""
    path = PLACES_DIR / f"{source.lower()}.csv" if len(source) == 2 else Path(source)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows or set(PLACE_COLUMNS) - set(rows[0]):
        raise ValueError(f"{path} needs the columns {', '.join(PLACE_COLUMNS)}")
    return rows


def _unique_slug(name, country, taken):
    slug = slugify(name)[:120] or country.lower()
    if slug in taken:
        slug = f"{slug}-{country.lower()}"
    taken.add(slug)
    return slug


@transaction.atomic
def load_places(rows):
    """Create or update regions and municipalities from places rows; returns (regions, munis)."""
    region_slugs = set(Region.objects.values_list("slug", flat=True))
    municipality_slugs = set(Municipality.objects.values_list("slug", flat=True))
    regions = {}
    for row in rows:
        key = (row["country"].upper(), row["region_code"])
        if key not in regions:
            region = Region.objects.filter(country=key[0], code=key[1]).first()
            if region is None:
                region = Region(
                    country=key[0],
                    code=key[1],
                    slug=_unique_slug(row["region_name"], key[0], region_slugs),
                )
            region.name = row["region_name"]
            region.latitude = region.longitude = 0  # the mean of its municipalities, below
            region.save()
            regions[key] = region
        region = regions[key]
        municipality = Municipality.objects.filter(
            region__country=key[0], code=row["municipality_code"]
        ).first() or Municipality(
            code=row["municipality_code"],
            slug=_unique_slug(row["municipality_name"], key[0], municipality_slugs),
        )
        municipality.region = region
        municipality.name = row["municipality_name"]
        municipality.latitude = float(row["latitude"])
        municipality.longitude = float(row["longitude"])
        municipality.save()
    for region in regions.values():
        centre = region.municipalities.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        region.latitude, region.longitude = centre["lat"], centre["lon"]
        region.save(update_fields=["latitude", "longitude"])
    directory_changed()
    return len(regions), len(rows)
