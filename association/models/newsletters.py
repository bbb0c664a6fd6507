"""Newsletter subscribers (no account needed), the consent they gave and the suppression list
that every send consults."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def normalise_email(email):
    # Addresses are kept lower-case, so that one plain unique index answers "is it known?" and
    # "is it suppressed?" whatever case people type.
    return (email or "").strip().lower()


class SubscriberQuerySet(models.QuerySet):
    def sendable(self):
        """Confirmed and not on the suppression list: the only people a campaign may mail."""
        return self.filter(status=Subscriber.Status.CONFIRMED).exclude(
            Exists(Suppression.objects.filter(email=OuterRef("email")))
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    topics = models.ManyToManyField(
        "association.Topic", blank=True, related_name="subscribers", verbose_name=_("topics")
    )
    regions = models.ManyToManyField(
        "members.Region", blank=True, related_name="subscribers", verbose_name=_("regions")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # Signed into the links of every email (preferences, unsubscribe): a random key, so that a
    # link says nothing about how many people subscribe.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked to subscribe"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "email"], name="subscriber_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_lower_case"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="subscriber_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="unsubscribed") | Q(unsubscribed_at__isnull=False),
                name="subscriber_unsubscribed_has_time",
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class ConsentRecord(models.Model):
    """Proof of consent, written when a subscriber confirms: when, through which form, which
    version of the consent text they saw, and from which IP address they confirmed."""

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("subscriber"),
    )
    given_at = models.DateTimeField(_("given"))
    form = models.CharField(_("form"), max_length=100)
    text_version = models.CharField(_("version of the consent text"), max_length=20)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["subscriber", "-given_at", "-id"]

    def __str__(self):
        return f"{self.subscriber} · {self.given_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """An address that list mail never goes to, whether or not it is still a subscriber."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        HARD_BOUNCE = "hard-bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Complaint")

    email = models.EmailField(_("email address"), unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="suppression_email_lower_case"
            )
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


def is_suppressed(email):
    return Suppression.objects.filter(email=normalise_email(email)).exists()
