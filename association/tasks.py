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


# --- Newsletter campaigns: the tasks carry only the campaign id (see association.campaigns) ---


@shared_task
def drain_campaign(campaign_id):
    from .campaigns import drain

    return drain(campaign_id)


@shared_task
def reap_campaigns():
    from .campaigns import reap

    return reap()


@shared_task
def forget_unconfirmed_subscribers():
    from .subscriptions import forget_unconfirmed

    return forget_unconfirmed()
