"""The newsletter sending engine. PostgreSQL holds the truth of what was sent: one delivery row
per (campaign, address), claimed with FOR UPDATE SKIP LOCKED, marked `sending` and committed
before the SMTP server hears of it, `sent` and committed right after its 250. A row left
`sending` by a dead process becomes `unknown` and is never resent automatically: it may have
gone out."""

import binascii
import contextlib
import smtplib
import threading
import time
import uuid
from datetime import timedelta
from email.header import Header
from email.utils import formatdate, parseaddr
from urllib.parse import urlsplit

import css_inline
import redis
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Campaign, Delivery, Subscriber, Suppression

MAX_ATTEMPTS = 5
ACTIVE = [Delivery.Status.PENDING, Delivery.Status.CLAIMED, Delivery.Status.SENDING]
# In the text rendered once, replaced by each recipient's own links.
PLACEHOLDERS = {
    "unsubscribe_url": "https://unsubscribe.invalid/",
    "preferences_url": "https://preferences.invalid/",
}
CALLS_CLOSING_DAYS = 21


# --- Audience and rendering -------------------------------------------------------------------


def audience(campaign):
    """Who may receive the campaign now, not suppressed and matching its audience: confirmed
    subscribers, or member staff who did not opt out."""
    if campaign.audience == Campaign.Audience.STAFF:
        return staff_audience(campaign)
    people = Subscriber.objects.sendable()
    if campaign.language:
        people = people.filter(language=campaign.language)
    # Within topics (and within regions) any one matches; a subscriber who chose none wants
    # them all. Topics, regions and language must all match.
    for field, ids in [
        ("topics", list(campaign.topics.values_list("pk", flat=True))),
        ("regions", list(campaign.regions.values_list("pk", flat=True))),
    ]:
        if ids:
            through = getattr(Subscriber, field).through
            column = "topic" if field == "topics" else "region"
            chosen = through.objects.filter(subscriber=OuterRef("pk"))
            people = people.filter(
                Exists(chosen.filter(**{f"{column}__in": ids})) | ~Exists(chosen)
            )
    return people


def staff_audience(campaign):
    """People with a role (of the chosen level) in an organisation (of the chosen types), with an
    active account, who did not opt out."""
    from members.models import Role

    from .models import User

    roles = Role.objects.filter(user=OuterRef("pk"))
    if campaign.staff_level:
        roles = roles.filter(level=campaign.staff_level)
    types = list(campaign.organisation_types.values_list("pk", flat=True))
    if types:
        roles = roles.filter(organisation__type__in=types)
    return User.objects.filter(is_active=True, receive_member_mailings=True, email__gt="").filter(
        Exists(roles), ~Exists(Suppression.objects.filter(email=Lower(OuterRef("email"))))
    )


def campaign_context(campaign, now=None):
    from advocacy.models import Position
    from projects.models import FundingCall

    from .models import NewsPost

    now = now or timezone.now()
    news = positions = calls = []
    if campaign.include_news:
        news = list(NewsPost.objects.published(now).order_by("-published_at")[:5])
    if campaign.include_positions:
        positions = list(Position.objects.open_for_input(now).order_by("input_deadline")[:5])
    if campaign.include_calls:
        calls = list(
            FundingCall.objects.published()
            .open(now)
            .filter(deadline__lte=now + timedelta(days=CALLS_CLOSING_DAYS))
            .order_by("deadline", "id")[:5]
        )
    return {
        "campaign": campaign,
        "news": news,
        "positions": positions,
        "calls": calls,
        "site_url": settings.SITE_URL,
        "language": translation.get_language(),
        **PLACEHOLDERS,
    }


# Styles inlined for mail programs that drop <style>; the block stays for those that read it
# (dark mode and narrow screens are media queries, which cannot be inlined).
_inliner = css_inline.CSSInliner(keep_style_tags=True)


def inline_css(html):
    return _inliner.inline(html)


def campaign_render(campaign):
    """The HTML and plain text of the campaign (with the unsubscribe placeholder)."""
    with translation.override(campaign.language or settings.LANGUAGE_CODE):
        context = campaign_context(campaign)
        html = inline_css(render_to_string("email/campaign.html", context))
        text = render_to_string("email/campaign.txt", context)
    return html, text


def campaign_send_test(*, campaign, to):
    """The campaign as it is now, to one address (the secretariat's own), outside the counts."""
    from .mail import queue_email

    html, text = campaign_render(campaign)
    message = EmailMultiAlternatives(subject=f"[TEST] {campaign.subject}", body=text, to=[to])
    message.attach_alternative(html, "text/html")
    queue_email(message)


# --- Starting, pausing, resuming, cancelling --------------------------------------------------


def queue_drains(campaign_id, count=None):
    from .tasks import drain_campaign

    count = count or settings.NEWSLETTER_DRAINS
    transaction.on_commit(
        lambda: [drain_campaign.delay(campaign_id) for _ in range(count)], robust=True
    )


@transaction.atomic
def campaign_start(*, campaign):
    """Fill the deliveries once and start sending. Calling it again changes nothing."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        return 0
    campaign.html, campaign.text = campaign_render(campaign)
    people = audience(campaign).order_by().values("id", "email")
    sql, params = people.query.sql_with_params()
    table = Delivery._meta.db_table
    # The id goes to the subscriber or the user column, by audience.
    ids = "people.id, NULL" if people.model is Subscriber else "NULL, people.id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, subscriber_id, user_id, email, status, "  # noqa: S608
            "attempts, last_error) "
            f"SELECT %s, {ids}, people.email, %s, 0, '' FROM ({sql}) AS people "
            "ON CONFLICT (campaign_id, email) DO NOTHING",
            [campaign.pk, Delivery.Status.PENDING, *params],
        )
        added = cursor.rowcount
    campaign.status = Campaign.Status.SENDING
    campaign.started_at = timezone.now()
    campaign.save(update_fields=["html", "text", "status", "started_at"])
    queue_drains(campaign.pk)
    return added


def _move(campaign, allowed, to):
    updated = Campaign.objects.filter(pk=campaign.pk, status__in=allowed).update(status=to)
    campaign.refresh_from_db(fields=["status"])
    return bool(updated)


def campaign_pause(*, campaign):
    return _move(campaign, [Campaign.Status.SENDING], Campaign.Status.PAUSED)


@transaction.atomic
def campaign_resume(*, campaign):
    resumed = _move(campaign, [Campaign.Status.PAUSED], Campaign.Status.SENDING)
    if resumed:
        queue_drains(campaign.pk)
    return resumed


def campaign_cancel(*, campaign):
    allowed = [
        Campaign.Status.DRAFT,
        Campaign.Status.SCHEDULED,
        Campaign.Status.SENDING,
        Campaign.Status.PAUSED,
    ]
    cancelled = _move(campaign, allowed, Campaign.Status.CANCELLED)
    if cancelled:
        Campaign.objects.filter(pk=campaign.pk).update(finished_at=timezone.now())
    return cancelled


@transaction.atomic
def resend_unknown(*, campaign):
    """The secretariat decided: the uncertain rows go out again."""
    count = campaign.deliveries.filter(status=Delivery.Status.UNKNOWN).update(
        status=Delivery.Status.PENDING, next_attempt_at=None, lease_expires_at=None
    )
    if count:
        Campaign.objects.filter(
            pk=campaign.pk, status__in=[Campaign.Status.FINISHED, Campaign.Status.FAILED]
        ).update(status=Campaign.Status.SENDING, finished_at=None)
        campaign.refresh_from_db(fields=["status", "finished_at"])
        if campaign.status == Campaign.Status.SENDING:
            queue_drains(campaign.pk)
    return count


@transaction.atomic
def campaign_finish_if_done(campaign_id):
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return False
    if campaign.deliveries.filter(status__in=ACTIVE).exists():
        return False
    troubled = campaign.deliveries.filter(
        status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]
    ).exists()
    campaign.status = Campaign.Status.FAILED if troubled else Campaign.Status.FINISHED
    campaign.finished_at = timezone.now()
    campaign.save(update_fields=["status", "finished_at"])
    return True


def progress(campaign):
    counts = dict(campaign.deliveries.values_list("status").annotate(n=Count("id")).order_by())
    waiting = sum(counts.get(status, 0) for status in ACTIVE)
    sent = counts.get(Delivery.Status.SENT, 0)
    minute_ago = timezone.now() - timedelta(minutes=1)
    last_minute = campaign.deliveries.filter(
        status=Delivery.Status.SENT, sent_at__gte=minute_ago
    ).count()
    rate = last_minute / 60
    return {
        "pending": waiting,
        "sent": sent,
        "failed": counts.get(Delivery.Status.FAILED, 0),
        "unknown": counts.get(Delivery.Status.UNKNOWN, 0),
        "total": sum(counts.values()),
        "rate": round(rate, 1),
        "seconds_left": round(waiting / rate) if rate and waiting else None,
    }


# --- Sending ----------------------------------------------------------------------------------

# One SMTP connection per worker process, kept open between tasks (per thread, for the threads
# of tests and of a threaded pool: a connection is not shared).
_smtp = threading.local()
_redis = {"client": None}


def smtp_connection():
    """One SMTP connection per process, kept open between tasks."""
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if getattr(_smtp, "key", None) != key or getattr(_smtp, "connection", None) is None:
        smtp_close()
        _smtp.connection = get_connection(fail_silently=False)
        _smtp.key = key
    _smtp.connection.open()
    return _smtp.connection


def deliver(message):
    connection = smtp_connection()
    smtp = getattr(connection, "connection", None)
    if isinstance(smtp, smtplib.SMTP):
        # Django's SMTP backend, open: straight to the server, since the backend would parse
        # both addresses again for every message (the costliest step left in sending).
        smtp.sendmail(message.envelope_from, message.to, message.raw)
    else:  # the development outbox, or the tests' memory
        connection.send_messages([message])


def smtp_close():
    if getattr(_smtp, "connection", None) is not None:
        # A dead connection is closed either way.
        with contextlib.suppress(Exception):
            _smtp.connection.close()
    _smtp.connection = None


# Each process takes a few sends of the second's budget at once (a tenth of a second's worth, at
# most RATE_TAKE), rather than asking Redis before every message.
RATE_TAKE = 10
_rate = threading.local()


def rate_wait():
    """Wait until this message fits in the global per-second budget shared through Redis."""
    limit = settings.NEWSLETTER_RATE_PER_SECOND
    if limit <= 0:
        return
    second = int(time.time())
    if getattr(_rate, "second", None) == second and _rate.left > 0:
        _rate.left -= 1
        return
    if _redis["client"] is None:
        _redis["client"] = redis.Redis.from_url(settings.REDIS_URL)
    client = _redis["client"]
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    take = max(1, min(RATE_TAKE, limit // 10))
    while True:
        now = time.time()
        second = int(now)
        key = f"{prefix}:newsletter-rate:{second}"
        pipe = client.pipeline()
        pipe.incrby(key, take)
        pipe.expire(key, 5)
        count = pipe.execute()[0]
        granted = min(take, limit - (count - take))
        if granted > 0:
            _rate.second, _rate.left = second, granted - 1
            return
        time.sleep(max(0.001, second + 1 - time.time()))


def message_id(delivery_id, campaign_id):
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<campaign-{campaign_id}.delivery-{delivery_id}@{domain}>"


class RenderedMIME:
    """A message already serialised, for a mail backend (they call message().as_bytes())."""

    def __init__(self, raw):
        self.raw = raw

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.raw.replace(b"\r\n", linesep.encode())


class CampaignMessage(EmailMessage):
    """One recipient's copy, serialised by CampaignMail: the email package's serialiser costs
    more per message than everything else in sending (see bench/newsletter.py)."""

    def __init__(self, raw, *, subject, to, envelope_from):
        super().__init__(subject=subject, to=to)
        self.raw, self.envelope_from = raw, envelope_from

    def message(self):
        return RenderedMIME(self.raw)


def _header(text):
    return Header(text, "us-ascii" if text.isascii() else "utf-8").encode(linesep="\r\n")


def _quoted_printable(text):
    # Quoted-printable keeps every line under the 998 octets SMTP allows, whatever the HTML.
    return binascii.b2a_qp(text.encode(), istext=True).replace(b"\n", b"\r\n")


class CampaignMail:
    """The campaign's message as text built once, with each recipient's own parts put in:
    To, Message-ID, List-Unsubscribe and the two links of the footer."""

    def __init__(self, campaign):
        self.campaign = campaign
        self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
        self.envelope_from = parseaddr(self.sender)[1]
        self.subject = _header(campaign.subject.replace("\r", " ").replace("\n", " "))
        self.boundary = f"campaign-{campaign.pk}-{uuid.uuid4().hex}"

    def personal(self, text, links):
        for name, url in links.items():
            text = text.replace(PLACEHOLDERS[name], url)
        return text

    def message(self, delivery_id, email, recipient):
        """The message to `email`; recipient: its Subscriber or User (None: erased since)."""
        to = email if email.isascii() else sanitize_address(email, "utf-8")
        links, headers = recipient_links(recipient)
        headers = {"Message-ID": message_id(delivery_id, self.campaign.pk), **headers}
        lines = [
            f"From: {self.sender}",
            f"To: {to}",
            f"Subject: {self.subject}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
            *(f"{name}: {value}" for name, value in headers.items()),
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"',
            "",
        ]
        parts = [("plain", self.campaign.text), ("html", self.campaign.html)]
        raw = "\r\n".join(lines).encode() + b"\r\n"
        for subtype, body in parts:
            raw += (
                f'--{self.boundary}\r\nContent-Type: text/{subtype}; charset="utf-8"\r\n'
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            ).encode()
            raw += _quoted_printable(self.personal(body, links)) + b"\r\n"
        raw += f"--{self.boundary}--\r\n".encode()
        return CampaignMessage(
            raw, subject=self.campaign.subject, to=[to], envelope_from=self.envelope_from
        )


def recipient_links(recipient):
    """The footer's links and the List-Unsubscribe headers of a subscriber or member staff."""
    from .subscriptions import (
        list_unsubscribe_headers,
        one_click_url,
        staff_links,
        subscriber_links,
    )

    if isinstance(recipient, Subscriber):
        return subscriber_links(recipient), list_unsubscribe_headers(one_click_url(recipient))
    if recipient is not None:
        links = staff_links(recipient)
        return links, list_unsubscribe_headers(links["unsubscribe_url"])
    # Erased since the rows were filled: the row still goes out, with no personal link.
    return {name: settings.SITE_URL for name in PLACEHOLDERS}, {}


CLAIM_SQL = """
UPDATE {table} SET status = 'claimed', lease_expires_at = %s
WHERE id IN (
    SELECT id FROM {table}
    WHERE campaign_id = %s AND status = 'pending'
      AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
    ORDER BY id
    FOR UPDATE SKIP LOCKED
    LIMIT %s
)
RETURNING id, email, subscriber_id, user_id
"""


def claim(campaign_id, size):
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL.format(table=Delivery._meta.db_table), [lease, campaign_id, now, size]
        )
        rows = cursor.fetchall()
    return sorted(rows)


def _still_sending(campaign_id):
    return Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists()


def _release(ids):
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.CLAIMED).update(
        status=Delivery.Status.PENDING, lease_expires_at=None
    )


def _smtp_code(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return codes[0] if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def _retry_or_fail(delivery_id, attempts, error):
    if attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, lease_expires_at=None, last_error=error[:1000]
        )
        return
    delay = settings.NEWSLETTER_RETRY_SECONDS * 2 ** (attempts - 1)
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.PENDING,
        lease_expires_at=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_error=error[:1000],
    )


# One statement, one commit, at each step of a drain: the row whose 250 just came becomes
# `sent`, and the next row `sending` before the server hears of it (a row that is no longer
# `claimed`, taken back by the reaper, is not ours to send and returns nothing).
MARK_SQL = """
WITH sent AS (
    UPDATE {table} SET status = 'sent', sent_at = %s, lease_expires_at = NULL WHERE id = %s
)
UPDATE {table} SET status = 'sending', attempts = attempts + 1, lease_expires_at = %s
WHERE id = %s AND status = 'claimed' RETURNING attempts
"""


def mark(*, sent_id=None, sending_id=None):
    """Commit sent_id as `sent` and sending_id as `sending`; returns sending_id's attempts, or
    None if it was not ours. Committed (autocommit) before the next message goes to the server:
    if this process dies from there on, the row stays `sending` and the reaper makes it
    `unknown`, never pending."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            MARK_SQL.format(table=Delivery._meta.db_table), [now, sent_id, lease, sending_id]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def send_marked(message, delivery_id, email, attempts):
    """Hand one message, its row marked `sending`, to the server. Returns SENT (the row is
    marked by the next mark()), FAILED (5xx: suppressed) or PENDING (retried later)."""
    try:
        deliver(message)
    except OSError as error:  # smtplib's errors are OSErrors, and so are dropped connections
        code = _smtp_code(error)
        if code is not None and 500 <= code < 600:
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.FAILED, lease_expires_at=None, last_error=str(error)[:1000]
            )
            Suppression.objects.get_or_create(
                email=email.lower(), defaults={"reason": Suppression.Reason.HARD_BOUNCE}
            )
            return Delivery.Status.FAILED
        if code is None:  # no answer from the server: the connection is in doubt
            smtp_close()
        _retry_or_fail(delivery_id, attempts, f"{type(error).__name__}: {error}")
        return Delivery.Status.PENDING
    return Delivery.Status.SENT


def recipients(rows):
    """The Subscriber or User of each claimed row, in two queries for the batch."""
    from .models import User

    subscribers = Subscriber.objects.in_bulk({row[2] for row in rows if row[2]})
    users = User.objects.in_bulk({row[3] for row in rows if row[3]})
    return [subscribers.get(row[2]) or users.get(row[3]) for row in rows]


def drain(campaign_id, max_seconds=None):
    """Send claimed batches until nothing is due, the campaign stops, or time is up."""
    max_seconds = max_seconds or settings.NEWSLETTER_DRAIN_SECONDS
    started = time.monotonic()
    done = 0
    while time.monotonic() - started < max_seconds:
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            break
        rows = claim(campaign_id, settings.NEWSLETTER_BATCH)
        if not rows:
            break
        mail = CampaignMail(campaign)
        checked = time.monotonic()
        sent_id = None
        for index, (row, recipient) in enumerate(zip(rows, recipients(rows), strict=True)):
            delivery_id, email = row[0], row[1]
            # Pause and cancel take effect within a second, not a batch.
            if time.monotonic() - checked > 1:
                checked = time.monotonic()
                if not _still_sending(campaign_id):
                    mark(sent_id=sent_id)
                    _release([row[0] for row in rows[index:]])
                    return done
            attempts = mark(sent_id=sent_id, sending_id=delivery_id)
            sent_id = None
            if attempts is None:
                continue
            rate_wait()
            message = mail.message(delivery_id, email, recipient)
            if send_marked(message, delivery_id, email, attempts) == Delivery.Status.SENT:
                sent_id = delivery_id
                done += 1
        mark(sent_id=sent_id)
    campaign_finish_if_done(campaign_id)
    return done


# --- The reaper (Celery beat, every minute) ---------------------------------------------------


def reap(now=None):
    now = now or timezone.now()
    expired = Q(lease_expires_at__lt=now)
    unknown = Delivery.objects.filter(expired, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.UNKNOWN,
        lease_expires_at=None,
        last_error="The sending process stopped: the message may or may not have gone out.",
    )
    released = Delivery.objects.filter(expired, status=Delivery.Status.CLAIMED).update(
        status=Delivery.Status.PENDING, lease_expires_at=None
    )
    for campaign in Campaign.objects.filter(
        status=Campaign.Status.SCHEDULED, scheduled_at__lte=now
    ):
        campaign_start(campaign=campaign)
    for campaign_id in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list(
        "pk", flat=True
    ):
        if Delivery.objects.filter(
            campaign_id=campaign_id, status=Delivery.Status.PENDING
        ).exists():
            with transaction.atomic():
                queue_drains(campaign_id)
        else:
            campaign_finish_if_done(campaign_id)
    return {"unknown": unknown, "released": released}
