"""Emails to member staff about positions open for their input: when one opens, and a reminder
before its deadline. Each message leaves through association.mail.queue_email, as a task of its
own that is retried alone, so a failing address never makes the others receive it twice."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from association.mail import queue_email
from association.models import AssociationProfile, User
from members.models import Role

from .models import Position

# The reminder goes this long before the deadline.
REMIND_BEFORE = timedelta(days=2)


def audience():
    """Everyone who works on a member organisation, wants these emails and has confirmed the
    address they sign in with: one row a person, always in the same order."""
    return (
        User.objects.filter(is_active=True, notify_advocacy=True)
        .filter(Exists(Role.objects.filter(user=OuterRef("pk"))))
        .filter(
            Exists(
                EmailAddress.objects.filter(
                    user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
                )
            )
        )
        .order_by("email", "pk")
    )


def _send_to_audience(position, template):
    # Member staff read the portal's own language: the users have no language of their own.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "association": AssociationProfile.load(),
            "position": position,
            "link": settings.SITE_URL + reverse("advocacy-staff:input", args=[position.slug]),
            "settings_link": settings.SITE_URL + reverse("advocacy-staff:notifications"),
        }
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        body = render_to_string(f"email/{template}_body.txt", context)
    sent = 0
    for email in audience().values_list("email", flat=True).iterator():
        queue_email(EmailMessage(subject=subject, body=body, to=[email]))
        sent += 1
    return sent


@shared_task
def notify_input_opened(position_id):
    """Tell member staff that a position is open for their input. Queued once, when the
    secretariat opens it (services.position_move); a position no longer open gets nothing."""
    position = Position.objects.filter(pk=position_id).first()
    if position is None or not position.input_open:
        return 0
    return _send_to_audience(position, "advocacy_input_opened")


def claim_reminders(now=None):
    """The positions open for input whose deadline comes within REMIND_BEFORE and that have had
    no reminder, each marked reminded in the same statement: of two runs at once, only one
    claims a position."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE advocacy_position SET input_reminded_at = %s"
            " WHERE status = %s AND input_reminded_at IS NULL"
            " AND input_deadline > %s AND input_deadline <= %s"
            " RETURNING id",
            [now, Position.Status.INPUT, now, now + REMIND_BEFORE],
        )
        return sorted(row[0] for row in cursor.fetchall())


@shared_task
def remind_input_deadlines():
    """Run by Celery beat: remind member staff of each position whose input closes soon, once."""
    sent = 0
    for position in Position.objects.filter(pk__in=claim_reminders()).order_by("input_deadline"):
        sent += _send_to_audience(position, "advocacy_input_reminder")
    return sent
