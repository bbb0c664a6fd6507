"""Writes to the directory that do more than save a form."""

import csv
import hashlib
import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Avg
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from association.images import store_variants
from association.mail import queue_email
from association.models import AssociationProfile

from .models import (
    RESERVED_SLUGS,
    AnnualReport,
    ChangeRequest,
    Invitation,
    Municipality,
    Organisation,
    Photo,
    Region,
    Role,
)
from .search import document

PLACES_DIR = Path(__file__).resolve().parent / "data" / "places"
PLACE_COLUMNS = [
    "country", "region_code", "region_name", "municipality_code", "municipality_name",
    "latitude", "longitude",
]  # fmt: skip
# The description adds words to search, but a novel would only slow every search down.
DESCRIPTION_WORDS = 400
DIRECTORY_VERSION_KEY = "members:directory-version"


def unique_slug(name, taken=None):
    """A slug for a new organisation from its name, not yet used and not reserved. Bulk writers
    pass the set of slugs taken, which this updates."""
    base = slugify(name)[:240] or "organisation"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or (
        slug in taken if taken is not None else Organisation.objects.filter(slug=slug).exists()
    ):
        number += 1
        slug = f"{base}-{number}"
    if taken is not None:
        taken.add(slug)
    return slug


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


# --- Member staff: invitations, roles, media, change requests, annual reports ---------------


def _send(*, template, to, context):
    """Render an email from templates/email/<template>_subject.txt and _body.txt and queue it."""
    context = {"association": AssociationProfile.load()} | context
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    body = render_to_string(f"email/{template}_body.txt", context)
    queue_email(EmailMessage(subject=subject, body=body, to=[to]))


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, organisation, email, level, invited_by, request):
    """Invite someone by email; a pending invitation of the same address to the same
    organisation is replaced."""
    email = email.strip().lower()
    Invitation.objects.pending().filter(organisation=organisation, email=email).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation(
        organisation=organisation, email=email, level=level, invited_by=invited_by
    )
    invitation_send(invitation=invitation, request=request)
    return invitation


def invitation_send(*, invitation, request):
    """(Re)send an invitation with a fresh token and a fresh week to accept it."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = _token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=Invitation.VALID_DAYS)
    invitation.save()
    link = request.build_absolute_uri(reverse("invitation", args=[token]))
    _send(
        template="invitation",
        to=invitation.email,
        context={"invitation": invitation, "link": link, "days": Invitation.VALID_DAYS},
    )


def invitation_revoke(*, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_for_token(token):
    """The pending invitation with this token, or None (unknown, used, revoked or expired)."""
    return (
        Invitation.objects.pending()
        .select_related("organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation, user):
    """Give the invited role to the user: once. An existing role is raised, never lowered."""
    role, created = Role.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"level": invitation.level}
    )
    if not created and invitation.level == Role.Level.ADMIN:
        role.level = Role.Level.ADMIN
        role.save(update_fields=["level"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return role


def organisation_set_logo(*, organisation, upload):
    """A new logo in its three sizes; the old files go once the change is committed."""
    old = stored_files(organisation.logo, organisation.logo_thumbnail, organisation.logo_social)
    store_variants(
        upload,
        organisation.logo,
        organisation.logo_thumbnail,
        organisation.logo_social,
        main_side=800,
        list_side=160,
    )
    organisation.save()
    delete_files_on_commit(old)


def organisation_remove_logo(*, organisation):
    old = stored_files(organisation.logo, organisation.logo_thumbnail, organisation.logo_social)
    organisation.logo = organisation.logo_thumbnail = organisation.logo_social = ""
    organisation.save()
    delete_files_on_commit(old)


def photo_add(*, organisation, upload, alt_text):
    photo = Photo(organisation=organisation, alt_text=alt_text, order=organisation.photos.count())
    store_variants(
        upload, photo.image, photo.thumbnail, photo.social, main_side=1600, list_side=400
    )
    photo.save()
    return photo


def photo_delete(*, photo):
    delete_files_on_commit(stored_files(photo.image, photo.thumbnail, photo.social))
    photo.delete()


def stored_files(*files):
    """(storage, name) of each file now: saving a new file into the field renames its object."""
    return [(file.storage, file.name) for file in files if file]


def delete_files_on_commit(stored):
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def change_request_apply(change_request):
    """The organisation with the requested values set (not saved)."""
    organisation = change_request.organisation
    for name, value in change_request.changes.items():
        field = Organisation._meta.get_field(name)
        setattr(organisation, field.attname, value)
    return organisation


@transaction.atomic
def change_request_decide(*, change_request, approve, by, note=""):
    """Approve (the change is made) or reject a pending request; the requester is told."""
    if approve:
        organisation = change_request_apply(change_request)
        # Raises ValidationError when the tree's rules forbid the change.
        organisation.full_clean(exclude=["slug"])
        organisation._change_reason = f"Change request {change_request.pk}"
        organisation.save()
    change_request.status = (
        ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    )
    change_request.decided_by = by
    change_request.decided_at = timezone.now()
    change_request.decision_note = note
    change_request.save()
    if change_request.requested_by:
        _send(
            template="change_decision",
            to=change_request.requested_by.email,
            context={"change_request": change_request},
        )


@transaction.atomic
def annual_report_save(*, organisation, year, values, user):
    """Record a year's figures; the latest year's become the organisation's in the directory."""
    report, _created = AnnualReport.objects.update_or_create(
        organisation=organisation, year=year, defaults=values | {"reported_by": user}
    )
    latest = organisation.annual_reports.order_by("-year").first()
    if latest == report:
        organisation.members_count = report.members
        organisation.volunteers_count = report.volunteers
        organisation.staff_count = report.staff
        organisation.save()
    return report
