"""The advocacy workflow and the writes that do more than save a form.

A position moves draft → open for member input → drafting → submitted → published; a step may
be skipped forward where a kind of position has none (a statement is not submitted to a body),
never taken back. Each refusal says why, in words for the secretariat or for member staff.
"""

import uuid

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.search import document as search_document

from .models import Endorsement, Position

ADVOCACY_VERSION_KEY = "advocacy:version"

Status = Position.Status
NEXT = {
    Status.DRAFT: [Status.INPUT, Status.DRAFTING, Status.PUBLISHED],
    Status.INPUT: [Status.DRAFTING],
    Status.DRAFTING: [Status.SUBMITTED, Status.PUBLISHED],
    Status.SUBMITTED: [Status.PUBLISHED],
    Status.PUBLISHED: [],
}


def refresh_position_search(position_ids):
    """Recompute the stored search vectors of these positions, normalised like the directory's
    (case and diacritics folded in Python: the embedded PostgreSQL has no unaccent)."""
    rows = Position.objects.filter(pk__in=list(position_ids)).select_related("consultation")
    updates = [
        (
            search_document(position.title),
            search_document(
                position.summary,
                position.consultation.title if position.consultation else "",
                position.consultation.consulting_body if position.consultation else "",
            ),
            search_document(position.body),
            position.pk,
        )
        for position in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE advocacy_position SET search_vector ="
            " setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C') WHERE id = %s",
            updates,
        )


def advocacy_version():
    # A random token, as for the directory and the projects: cached pages are keyed by it.
    return cache.get_or_set(ADVOCACY_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def advocacy_changed():
    cache.set(ADVOCACY_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def position_move(*, position, to):
    """Move a position one step of its workflow, or raise ValidationError saying why not."""
    if to not in NEXT[position.status]:
        raise ValidationError(
            _("A position that is “%(now)s” cannot become “%(to)s”.")
            % {"now": Status(position.status).label, "to": Status(to).label}
        )
    now = timezone.now()
    if to == Status.INPUT:
        if position.input_deadline is None or position.input_deadline <= now:
            raise ValidationError(
                _("Set a deadline for member input in the future before opening it.")
            )
        position.input_opened_at = now
    if to == Status.SUBMITTED and position.submitted_on is None:
        position.submitted_on = timezone.localdate(now)
    if to == Status.PUBLISHED:
        position.published_at = now
    position.status = to
    position.save()
    if to == Status.INPUT:
        from .tasks import notify_input_opened

        transaction.on_commit(lambda: notify_input_opened.delay(position.pk))


def _input_still_open(position):
    if not position.input_open:
        raise ValidationError(_("Member input for this position is closed."))


def input_save(*, member_input):
    """Save a new or edited input while the position is open for it."""
    _input_still_open(member_input.position)
    member_input.save()
    return member_input


def input_withdraw(*, member_input):
    _input_still_open(member_input.position)
    member_input.delete()


def endorse(*, position, organisation, user, name, title):
    if position.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published position can be co-signed."))
    if position.signing_closed:
        raise ValidationError(_("Co-signing of this position is closed."))
    if Endorsement.objects.active().filter(position=position, organisation=organisation).exists():
        raise ValidationError(_("%(name)s has already co-signed.") % {"name": organisation.name})
    return Endorsement.objects.create(
        position=position,
        organisation=organisation,
        signed_by=user,
        signatory_name=name,
        signatory_title=title,
    )


def endorsement_withdraw(*, endorsement):
    if endorsement.position.signing_closed:
        raise ValidationError(_("Co-signing of this position is closed."))
    endorsement.withdrawn_at = timezone.now()
    endorsement.save(update_fields=["withdrawn_at"])
