from smtplib import SMTPException

from celery import shared_task

from .models import Registration


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def send_registration_email(registration_id, kind):
    """One email about a registration (events.services.EMAIL_STATUSES: its kinds), unless it
    has stopped being true since it was queued."""
    from .services import EMAIL_STATUSES, registration_message

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status not in EMAIL_STATUSES[kind]:
        return False
    registration_message(registration, kind).send()
    return True


@shared_task
def send_event_reminders():
    """Run by Celery beat: remind each confirmed registrant once, the day before."""
    from .services import claim_reminders

    return len(claim_reminders())
