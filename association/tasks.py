from smtplib import SMTPException

from celery import shared_task

from .mail import message_from_dict


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def send_email(data):
    message_from_dict(data).send()
