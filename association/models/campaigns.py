"""Newsletter campaigns and their deliveries: one row per (campaign, recipient), the truth of
what has been sent (the broker only carries campaign ids)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Role


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Finished with failures")

    class Audience(models.TextChoices):
        SUBSCRIBERS = "subscribers", _("Newsletter subscribers")
        STAFF = "staff", _("Member staff")

    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The line that mail programs show after the subject."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    include_news = models.BooleanField(_("include recent news"), default=True)
    include_positions = models.BooleanField(_("include positions open for input"), default=True)
    include_calls = models.BooleanField(_("include funding calls closing soon"), default=True)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.SUBSCRIBERS
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language the newsletter is written in. Subscribers: only those who read it; "
            "empty: every subscriber. Member staff get it whatever their language."
        ),
    )
    topics = models.ManyToManyField(
        "association.Topic",
        blank=True,
        related_name="campaigns",
        verbose_name=_("topics"),
        help_text=_("Empty: everyone. Otherwise: who chose one of them, or none."),
    )
    regions = models.ManyToManyField(
        "members.Region",
        blank=True,
        related_name="campaigns",
        verbose_name=_("regions"),
        help_text=_("Empty: everyone. Otherwise: who chose one of them, or none."),
    )
    # Member staff: people with a role in a member organisation who did not opt out.
    staff_level = models.CharField(
        _("member staff role"),
        max_length=10,
        choices=Role.Level.choices,
        blank=True,
        help_text=_("Member staff only. Empty: admins and editors."),
    )
    organisation_types = models.ManyToManyField(
        "members.OrganisationType",
        blank=True,
        related_name="campaigns",
        verbose_name=_("organisation types"),
        help_text=_("Member staff only. Empty: staff of every kind of organisation."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Rendered once when sending starts: every recipient gets the same text.
    html = models.TextField(_("HTML"), blank=True, editable=False)
    text = models.TextField(_("plain text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter campaign")
        verbose_name_plural = _("newsletter campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Claimed")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Uncertain")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("campaign")
    )
    subscriber = models.ForeignKey(
        "association.Subscriber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("member staff"),
    )
    email = models.EmailField(_("email address"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="delivery_once_per_email")
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "next_attempt_at"], name="delivery_claim")
        ]

    def __str__(self):
        return f"{self.campaign_id} → {self.email}"
