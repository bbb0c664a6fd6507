from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..sanitize import clean_html


class NewsPostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published, or scheduled for a time that has come: a scheduled post needs no job."""
        return self.exclude(status=NewsPost.Status.DRAFT).filter(
            published_at__lte=now or timezone.now()
        )


class NewsPost(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    lead = models.TextField(
        _("lead"), max_length=600, blank=True, help_text=_("A sentence or two for lists.")
    )
    body = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    # Made once from the image when it is uploaded: for lists and for link previews.
    image_list = models.ImageField(upload_to="news/", blank=True, editable=False)
    image_social = models.ImageField(upload_to="news/", blank=True, editable=False)
    image_alt = models.CharField(
        _("image description for people who cannot see it"), max_length=250, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_("A scheduled post appears by itself at this time."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    topics = models.ManyToManyField(
        "association.Topic", blank=True, related_name="news", verbose_name=_("topics")
    )
    organisations = models.ManyToManyField(
        "members.Organisation",
        blank=True,
        related_name="news",
        verbose_name=_("related organisations"),
    )
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="news", verbose_name=_("related projects")
    )
    positions = models.ManyToManyField(
        "advocacy.Position",
        blank=True,
        related_name="news",
        verbose_name=_("related positions"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "-id"], name="news_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="news_image_described",
                violation_error_message=_("Describe the image for people who cannot see it."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:post", args=[self.slug])
