"""Email leaves through a Celery task queued after commit, so that a slow or failing mail server
never slows or breaks a page, and a message is retried instead of lost."""

import email
import email.policy
import re
import uuid
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def message_to_dict(message):
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(alt) for alt in getattr(message, "alternatives", [])],
    }


def message_from_dict(data):
    return EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alt) for alt in data["alternatives"]],
    )


def queue_email(message):
    from .tasks import send_email

    data = message_to_dict(message)
    transaction.on_commit(lambda: send_email.delay(data))


class OutboxBackend(BaseEmailBackend):
    """Development only: keep each message as an .eml file that /dev/outbox/ shows."""

    def send_messages(self, email_messages):
        settings.OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            path = settings.OUTBOX_DIR / f"{uuid.uuid4().hex}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)


class OutboxMessage:
    def __init__(self, path):
        self.id = path.stem
        self.parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        self.subject = self.parsed["Subject"]
        self.to = self.parsed["To"]
        self.sent_at = parsedate_to_datetime(self.parsed["Date"])

    @property
    def text(self):
        part = self.parsed.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self):
        part = self.parsed.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


def outbox_messages():
    if not settings.OUTBOX_DIR.is_dir():
        return []
    messages = [OutboxMessage(path) for path in settings.OUTBOX_DIR.glob("*.eml")]
    return sorted(messages, key=lambda message: message.sent_at, reverse=True)


def outbox_message(message_id):
    # Names are uuid4 hex; anything else (a path, a long string) is not a message of the outbox.
    if not re.fullmatch(r"[0-9a-f]{32}", message_id):
        return None
    path = settings.OUTBOX_DIR / f"{message_id}.eml"
    return OutboxMessage(path) if path.is_file() else None
