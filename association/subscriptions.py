"""Newsletter subscriptions without an account: double opt-in, preferences and unsubscribing by
signed links, the suppression list. Campaigns (later) mail `Subscriber.objects.sendable()` and
put `list_unsubscribe_headers()` and templates/email/newsletter_footer.txt in every message."""

import functools
import hashlib
import ipaddress
import time
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import get_urlconf, reverse
from django.utils import timezone, translation

from members.models import Region

from .mail import queue_email
from .models import AssociationProfile, ConsentRecord, Subscriber, Suppression, Topic
from .models.newsletters import (
    is_suppressed,  # noqa: F401 - part of this module's interface, for campaigns
    normalise_email,
)

# Raise the version whenever the consent text (subscription_forms.CONSENT_TEXT) changes: each
# consent record names the version the subscriber saw.
CONSENT_TEXT_VERSION = "1"
SUBSCRIBE_FORM = "newsletter-subscribe"
CONFIRM_MAX_AGE = timedelta(days=7)
UNCONFIRMED_MARGIN = timedelta(days=1)
RATE_WINDOW = 60 * 60

CONFIRM_SALT = "association.newsletter.confirm"
PREFERENCES_SALT = "association.newsletter.preferences"
UNSUBSCRIBE_SALT = "association.newsletter.unsubscribe"
STAFF_OPT_OUT_SALT = "association.newsletter.staff-opt-out"


class LinkInvalid(Exception):
    """The link was cut short, altered or never made here."""


class LinkExpired(Exception):
    """The link was genuine but is too old (or was overtaken by an unsubscription)."""


# --- Tokens -----------------------------------------------------------------------------------


def preferences_token(subscriber):
    return signing.Signer(salt=PREFERENCES_SALT).sign(subscriber.key.hex)


def unsubscribe_token(subscriber):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.key.hex)


def staff_opt_out_token(user):
    return signing.Signer(salt=STAFF_OPT_OUT_SALT).sign(str(user.pk))


def user_for_staff_opt_out(token):
    """The member staff a mailing's opt-out link was made for (None: the account is gone)."""
    from .models import User

    try:
        pk = int(signing.Signer(salt=STAFF_OPT_OUT_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise LinkInvalid from error
    return User.objects.filter(pk=pk).first()


def _subscriber_from(token, salt):
    """The subscriber a preferences or unsubscribe link names; None if it was erased since."""
    try:
        key = uuid.UUID(signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError):
        raise LinkInvalid from None
    return Subscriber.objects.filter(key=key).first()


def subscriber_for_preferences(token):
    return _subscriber_from(token, PREFERENCES_SALT)


def subscriber_for_unsubscribe(token):
    return _subscriber_from(token, UNSUBSCRIBE_SALT)


def confirmation_token(*, email, name, language, topics, regions, form, version):
    # What the person asked for travels in the link, so that the confirmation applies exactly
    # the request that this email answers, and nobody else's request can change it.
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {
            "e": email,
            "n": name,
            "l": language,
            "t": sorted(topic.pk for topic in topics),
            "r": sorted(region.pk for region in regions),
            "f": form,
            "v": version,
            "at": time.time(),
        },
        compress=True,
    )


def read_confirmation(token):
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    if not isinstance(data, dict) or not {"e", "n", "l", "t", "r", "f", "v", "at"} <= data.keys():
        raise LinkInvalid
    return data


# --- Links and headers ------------------------------------------------------------------------


def _absolute(path, base_url=None):
    return (base_url or settings.SITE_URL).rstrip("/") + path


# A campaign makes three links for each of tens of thousands of people: each page's path is
# reversed once per language with this in place of the token, which is then put in.
TOKEN = "TOKEN"  # noqa: S105 - a placeholder, not a secret


@functools.cache
def _path_with_token(name, language, urlconf):
    with translation.override(language):
        return reverse(name, args=[TOKEN], urlconf=urlconf)


def _link(name, token, language=None, base_url=None):
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _absolute(_path_with_token(name, language, urlconf).replace(TOKEN, token), base_url)


def subscriber_links(subscriber, base_url=None):
    """The preferences and unsubscribe pages, in the subscriber's language."""
    language = subscriber.language
    return {
        "preferences_url": _link(
            "newsletter:preferences", preferences_token(subscriber), language, base_url
        ),
        "unsubscribe_url": _link(
            "newsletter:unsubscribe", unsubscribe_token(subscriber), language, base_url
        ),
    }


def staff_links(user):
    """Member staff's opt-out page (it takes the one-click POST too) and their email settings,
    behind sign-in: they have an account."""
    return {
        "preferences_url": _absolute(reverse("advocacy-staff:notifications")),
        "unsubscribe_url": _link("newsletter-staff-opt-out", staff_opt_out_token(user)),
    }


def staff_opt_out(user):
    type(user).objects.filter(pk=user.pk).update(receive_member_mailings=False)


def one_click_url(subscriber, base_url=None):
    return _link("newsletter-one-click", unsubscribe_token(subscriber), base_url=base_url)


def unsubscribe_mailto():
    return settings.UNSUBSCRIBE_MAILTO or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def list_unsubscribe_headers(one_click):
    """RFC 2369 and RFC 8058 headers for list mail (campaigns), not for the confirmation: the
    HTTPS link (one_click) takes a one-click POST; the mailto is for clients that prefer mail."""
    mailto = f"mailto:{unsubscribe_mailto()}?subject=unsubscribe"
    return {
        "List-Unsubscribe": f"<{one_click}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Rate limits ------------------------------------------------------------------------------


def _over_limit(key, limit):
    # add() then incr() is atomic in Redis, so concurrent requests in any process count once.
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > limit


def subscribe_limit_reached(*, ip, email):
    """Which hourly limit this request goes over, "ip" or "address", or None. Unknown and known
    addresses count alike, so the answer says nothing about who subscribes."""
    if _over_limit(
        f"newsletter:subscribe:ip:{ip or 'unknown'}", settings.NEWSLETTER_SUBSCRIBE_PER_IP
    ):
        return "ip"
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    if _over_limit(
        f"newsletter:subscribe:address:{digest}", settings.NEWSLETTER_SUBSCRIBE_PER_ADDRESS
    ):
        return "address"
    return None


def client_ip(request):
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


# --- Writes -----------------------------------------------------------------------------------


def _send(*, template, to, language, context):
    with translation.override(language):
        context = {"association": AssociationProfile.load()} | context
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        body = render_to_string(f"email/{template}_body.txt", context)
    queue_email(EmailMessage(subject=subject, body=body, to=[to]))


@transaction.atomic
def subscription_request(
    *, email, name, language, topics, regions, form=SUBSCRIBE_FORM, base_url=None
):
    """Someone asks to subscribe: a confirmation email, or, for a confirmed subscriber, a note
    with their links. Nothing a stranger types changes a confirmed subscription, and the
    confirmation email never repeats the name typed (it would carry a stranger's words)."""
    email = normalise_email(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"name": name, "language": language}
    )
    if subscriber.status == Subscriber.Status.CONFIRMED:
        _send(
            template="newsletter_already_subscribed",
            to=email,
            language=subscriber.language,
            context=subscriber_links(subscriber, base_url),
        )
        return subscriber
    if subscriber.status == Subscriber.Status.PENDING:
        # Shown to the secretariat while it waits; the confirmation applies its own copy.
        if not created:
            subscriber.name, subscriber.language = name, language
            subscriber.save(update_fields=["name", "language", "updated_at"])
        subscriber.topics.set(topics)
        subscriber.regions.set(regions)
    token = confirmation_token(
        email=email,
        name=name,
        language=language,
        topics=topics,
        regions=regions,
        form=form,
        version=CONSENT_TEXT_VERSION,
    )
    with translation.override(language):
        link = _absolute(reverse("newsletter:confirm", args=[token]), base_url)
    _send(
        template="newsletter_confirm",
        to=email,
        language=language,
        context={"link": link, "days": CONFIRM_MAX_AGE.days},
    )
    return subscriber


@transaction.atomic
def subscription_confirm(*, token, ip):
    """Activate the subscription a confirmation link asks for and record the consent. Returns
    (subscriber, True) when it activated it, (subscriber, False) when it was already active."""
    data = read_confirmation(token)
    email = normalise_email(data["e"])
    subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber, False
    if subscriber.unsubscribed_at and subscriber.unsubscribed_at.timestamp() > data["at"]:
        # Asked for before the person unsubscribed: only a new request subscribes them again.
        raise LinkExpired
    now = timezone.now()
    languages = dict(settings.LANGUAGES)
    subscriber.name = str(data["n"])[:150]
    subscriber.language = data["l"] if data["l"] in languages else settings.LANGUAGE_CODE
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.save()
    subscriber.topics.set(Topic.objects.filter(pk__in=data["t"]))
    subscriber.regions.set(Region.objects.filter(pk__in=data["r"]))
    ConsentRecord.objects.create(
        subscriber=subscriber,
        given_at=now,
        form=str(data["f"])[:100],
        text_version=str(data["v"])[:20],
        ip_address=ip,
    )
    # A new, confirmed request lifts an earlier unsubscription, bounce or complaint: the person
    # has just shown that the address works and wants the mail.
    Suppression.objects.filter(email=email).delete()
    return subscriber, True


@transaction.atomic
def subscription_cancel(*, subscriber, reason=Suppression.Reason.UNSUBSCRIBED):
    """Unsubscribe at once and put the address on the suppression list. Safe to repeat."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    suppress(email=subscriber.email, reason=reason)
    return subscriber


def suppress(*, email, reason):
    suppression, _ = Suppression.objects.get_or_create(
        email=normalise_email(email), defaults={"reason": reason}
    )
    return suppression


def forget_unconfirmed(now=None):
    """Delete requests to subscribe that were never confirmed and whose links have expired,
    with a margin: the address of someone who never agreed is not kept. Celery beat runs it."""
    cutoff = (now or timezone.now()) - CONFIRM_MAX_AGE - UNCONFIRMED_MARGIN
    # A request repeated since is kept: its save touched updated_at. (A link that outlives its
    # row still works: confirming makes the row again.)
    _, deleted = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, updated_at__lt=cutoff
    ).delete()
    return deleted.get(Subscriber._meta.label, 0)


# --- GDPR -------------------------------------------------------------------------------------


def _time(value):
    return value.isoformat() if value else None


def subscriber_export(subscribers):
    """Everything kept about these subscribers, their consent and suppression included."""
    subscribers = subscribers.prefetch_related("topics", "regions", "consents")
    suppressions = {
        suppression.email: suppression
        for suppression in Suppression.objects.filter(
            email__in=[subscriber.email for subscriber in subscribers]
        )
    }
    data = []
    for subscriber in subscribers:
        suppression = suppressions.get(subscriber.email)
        data.append(
            {
                "email": subscriber.email,
                "name": subscriber.name,
                "language": subscriber.language,
                "status": subscriber.status,
                "asked_to_subscribe_at": _time(subscriber.created_at),
                "confirmed_at": _time(subscriber.confirmed_at),
                "unsubscribed_at": _time(subscriber.unsubscribed_at),
                "updated_at": _time(subscriber.updated_at),
                "topics": [topic.name for topic in subscriber.topics.all()],
                "regions": [region.name for region in subscriber.regions.all()],
                "consents": [
                    {
                        "given_at": _time(consent.given_at),
                        "form": consent.form,
                        "consent_text_version": consent.text_version,
                        "ip_address": consent.ip_address,
                    }
                    for consent in subscriber.consents.all()
                ],
                "suppression": suppression
                and {"reason": suppression.reason, "since": _time(suppression.created_at)},
            }
        )
    return data


@transaction.atomic
def subscriber_erase(subscribers):
    """Delete the subscribers with their preferences and consent records. An address on the
    suppression list stays there (the address and the reason only): without it, a later
    import or bounce list could mail someone who asked never to be mailed again."""
    count = subscribers.count()
    for subscriber in subscribers:
        subscriber.delete()
    return count
