"""Writes to projects and funding calls that do more than save a form."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from association.images import store_variants
from association.mail import queue_email
from association.models import AssociationProfile
from members.search import document as search_document
from members.services import delete_files_on_commit, stored_files

from .models import RESERVED_SLUGS, Project, ProjectImage

PROJECTS_VERSION_KEY = "projects:version"


def projects_version():
    # A random token, as for the directory: cached pages and totals are keyed by it.
    return cache.get_or_set(PROJECTS_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def projects_changed():
    cache.set(PROJECTS_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def unique_slug(model, title, taken=None):
    """A slug for a new project or call from its title, not yet used. Bulk writers pass the set
    of slugs taken, which this updates."""
    base = slugify(title)[:240] or model._meta.model_name
    slug, number = base, 1
    while slug in RESERVED_SLUGS or (
        slug in taken if taken is not None else model.objects.filter(slug=slug).exists()
    ):
        number += 1
        slug = f"{base}-{number}"
    if taken is not None:
        taken.add(slug)
    return slug


def refresh_project_search(project_ids):
    """Recompute the stored search vectors: title and code (A), lead and partners (B), summary
    and description (C), all normalised like the directory's."""
    rows = (
        Project.objects.filter(pk__in=list(project_ids))
        .select_related("lead_organisation")
        .prefetch_related("partners__organisation")
    )
    updates = []
    for project in rows:
        partners = [partner.display_name for partner in project.partners.all()]
        lead = project.lead_organisation.name if project.lead_organisation else ""
        updates.append(
            (
                search_document(project.title, project.code),
                search_document(lead, *partners),
                search_document(project.summary, project.description),
                project.pk,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE projects_project SET search_vector ="
            " setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C') WHERE id = %s",
            updates,
        )


def project_set_published(*, project, published=True):
    project.published = published
    project.save(update_fields=["published", "updated_at"])


def project_image_add(*, project, upload, alt_text):
    image = ProjectImage(project=project, alt_text=alt_text, order=project.images.count())
    store_variants(
        upload, image.image, image.thumbnail, image.social, main_side=1600, list_side=400
    )
    image.save()
    return image


def project_image_delete(*, image):
    delete_files_on_commit(stored_files(image.image, image.thumbnail, image.social))
    image.delete()


def document_delete(*, document):
    delete_files_on_commit(stored_files(document.file))
    document.delete()


def project_submit_for_publication(*, project, by, review_url):
    """Member staff ask the secretariat to publish the project: it is marked submitted and
    the association's address (if it has one) gets an email with the link to review it."""
    project.submitted_at = timezone.now()
    project.save(update_fields=["submitted_at", "updated_at"])
    association = AssociationProfile.load()
    if not association.email:
        return
    context = {"association": association, "project": project, "by": by, "link": review_url}
    # The secretariat reads the portal's own language, whatever the sender's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("email/project_submitted_subject.txt", context)
        body = render_to_string("email/project_submitted_body.txt", context)
    queue_email(EmailMessage(subject=" ".join(subject.split()), body=body, to=[association.email]))


def project_delete(*, project):
    """A project and, once that is committed, its files."""
    files = [project.decision_document]
    for image in project.images.all():
        files += [image.image, image.thumbnail, image.social]
    files += [document.file for document in project.documents.all()]
    delete_files_on_commit(stored_files(*files))
    project.delete()
