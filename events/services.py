"""Registrations: registering (a place or the waiting list), cancelling by a signed link (the
waiting list moves up), the emails about them, reminders the day before, and the events member
staff propose.

Every write that counts places locks the event's row first, so two people asking for the last
place at once are served one after the other: one gets it, the other waits."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from association.mail import queue_email
from association.models import AssociationProfile
from association.models.newsletters import normalise_email

from .calendar import events_calendar
from .models import Event, Registration

CANCEL_SALT = "events.registration.cancel"
# The reminder goes to events starting in this window from the hourly run: wide enough that a
# missed run or two still reminds everyone once, "the day before".
REMINDER_FROM, REMINDER_TO = timedelta(hours=12), timedelta(hours=36)
# Registrations sent from one connection in an hour, beyond which the form refuses.
REGISTRATIONS_PER_IP = 10


class RegistrationClosed(ValidationError):
    """Registration for this event is not possible (now): the message says why."""


class LinkInvalid(Exception):
    """A cancellation link that was cut short, altered or never made here."""


# --- Reads ------------------------------------------------------------------------------------


def closed_reason(event, now=None):
    """Why nobody can register for the event now, or None when they can."""
    if event.status == Event.Status.CANCELLED:
        return _("This event is cancelled.")
    if event.status != Event.Status.PUBLISHED or not event.registration_open:
        return _("Registration for this event is not on this site.")
    if (now or timezone.now()) >= event.registration_closes_at:
        return _("Registration for this event has closed.")
    return None


def places_left(event):
    """Free places, or None when there is no limit."""
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def active_registration(event, user):
    """The signed-in person's own registration (not cancelled) for the event, if any."""
    if not user.is_authenticated:
        return None
    # By the address too: a registration made before signing in is theirs (addresses of
    # accounts are verified).
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(Q(user=user) | Q(email=normalise_email(user.email)))
        .first()
    )


# --- Links ------------------------------------------------------------------------------------


def cancel_token(registration):
    return signing.Signer(salt=CANCEL_SALT).sign(registration.key.hex)


def registration_for_token(token):
    """The registration a cancellation link names (None: it was deleted since)."""
    try:
        key = uuid.UUID(signing.Signer(salt=CANCEL_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise LinkInvalid from None
    return Registration.objects.select_related("event", "organisation").filter(key=key).first()


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


# --- Emails -----------------------------------------------------------------------------------

# Which registrations each email is still true of when the worker comes to send it: a
# confirmation is not sent for a registration cancelled in the meantime, nor the waiting-list
# note for someone who has already moved up (they get the promotion instead).
EMAIL_STATUSES = {
    "confirmation": {Registration.Status.CONFIRMED},
    "waiting": {Registration.Status.WAITING},
    "promoted": {Registration.Status.CONFIRMED},
    "reminder": {Registration.Status.CONFIRMED},
}
# The emails that come with the event as a calendar file: those that give a place.
WITH_CALENDAR = {"confirmation", "promoted"}


def registration_message(registration, kind):
    """The email of this kind to the registrant, in the language they registered in."""
    event = registration.event
    with translation.override(registration.language):
        context = {
            "association": AssociationProfile.load(),
            "registration": registration,
            "event": event,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "event_url": _absolute(event.get_absolute_url()),
            "cancel_url": _absolute(reverse("events:cancel", args=[cancel_token(registration)])),
            # The link to join is for people with a place, never for the waiting list.
            "online_url": event.online_url
            if event.online and registration.status == Registration.Status.CONFIRMED
            else "",
        }
        subject = " ".join(render_to_string(f"email/event_{kind}_subject.txt", context).split())
        body = render_to_string(f"email/event_{kind}_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if kind in WITH_CALENDAR:
        message.attach(
            f"{slugify(event.title)[:60] or 'event'}.ics",
            events_calendar([event], name=event.title),
            "text/calendar",
        )
    return message


def _queue(registration, kind):
    # The message is built by the worker (it carries a calendar file, which association.mail's
    # queue does not), from the id, once the registration is committed.
    from .tasks import send_registration_email

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email.delay(pk, kind))


# --- Writes -----------------------------------------------------------------------------------


def _kind_for(registration):
    return "confirmation" if registration.status == Registration.Status.CONFIRMED else "waiting"


@transaction.atomic
def registration_create(
    *,
    event,
    name,
    email,
    organisation=None,
    organisation_name="",
    needs="",
    user=None,
    language=None,
):
    """Register someone: a place while there are places, else the waiting list. Returns
    (registration, created); for an address already registered, its registration and False,
    and the confirmation goes to that address again (only its owner reads it)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    reason = closed_reason(event)
    if reason:
        raise RegistrationClosed(reason, code="closed")
    email = normalise_email(email)
    existing = (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(email=email)
        .first()
    )
    if existing is not None:
        _queue(existing, _kind_for(existing))
        return existing, False
    left = places_left(event)
    registration = Registration.objects.create(
        event=event,
        name=name,
        email=email,
        organisation=organisation,
        organisation_name="" if organisation else organisation_name,
        needs=needs,
        user=user if user is not None and user.is_authenticated else None,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        status=Registration.Status.CONFIRMED
        if left is None or left > 0
        else Registration.Status.WAITING,
        consent_at=timezone.now(),
    )
    _queue(registration, _kind_for(registration))
    return registration, True


def _fill_places(event):
    """Move the waiting list up, in the order people registered, while places are free. The
    caller holds the event's row lock."""
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by(
        "created_at", "id"
    )
    left = places_left(event)
    if left is not None:
        waiting = waiting[:left]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _queue(registration, "promoted")
    return promoted


@transaction.atomic
def registration_cancel(*, registration):
    """Cancel a registration (safe to repeat) and give its place to the waiting list. Returns
    the registrations that moved up."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CANCELLED:
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
    # An event that has started keeps its list as it is: a place freed then is of no use.
    if event.starts_at <= timezone.now():
        return []
    return _fill_places(event)


@transaction.atomic
def event_places_changed(*, event):
    """After the secretariat changes an event's places: the waiting list moves up into any that
    are now free (before the event starts). Returns the registrations that moved up."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at <= timezone.now():
        return []
    return _fill_places(event)


def claim_reminders(now=None):
    """Mark, and return the ids of, the confirmed registrations to remind now: those of
    published events starting in the reminder window, not reminded yet. The rows are claimed
    with SKIP LOCKED and marked in the same transaction, so two runs at once remind each person
    once."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Registration.objects.select_for_update(skip_locked=True)
            .filter(
                status=Registration.Status.CONFIRMED,
                reminded_at__isnull=True,
                event__status=Event.Status.PUBLISHED,
                event__starts_at__gte=now + REMINDER_FROM,
                event__starts_at__lte=now + REMINDER_TO,
            )
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=ids).update(reminded_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _send_reminder(pk))
    return ids


def _send_reminder(pk):
    from .tasks import send_registration_email

    send_registration_email.delay(pk, "reminder")


def email_registrants(*, registrations, subject, message):
    """The secretariat's message to these registrants: one email each, in no one's sight of
    the others' addresses. Returns how many were queued."""
    count = 0
    for registration in registrations.select_related("event"):
        event = registration.event
        with translation.override(registration.language):
            body = render_to_string(
                "email/event_message_body.txt",
                {
                    "message": message,
                    "event": event,
                    "starts_at": timezone.localtime(event.starts_at),
                    "event_url": _absolute(event.get_absolute_url()),
                    "cancel_url": _absolute(
                        reverse("events:cancel", args=[cancel_token(registration)])
                    )
                    if registration.status != Registration.Status.CANCELLED
                    else "",
                },
            )
        queue_email(EmailMessage(subject=subject, body=body, to=[registration.email]))
        count += 1
    return count


def _unique_slug(title):
    base = slugify(title)[:200] or "event"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def event_propose(*, event, user, attempts=3):
    """Save an event member staff propose: the secretariat publishes it."""
    event.status = Event.Status.PROPOSED
    event.proposed_by = user
    for attempt in range(attempts):
        event.slug = _unique_slug(event.title)
        try:
            with transaction.atomic():
                event.save()
            return event
        except IntegrityError:
            # Someone took the same address between the check and the save: take the next one.
            if attempt == attempts - 1 or not Event.objects.filter(slug=event.slug).exists():
                raise
