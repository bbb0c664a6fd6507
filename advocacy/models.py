from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.fields import URLField
from association.models import Topic
from association.sanitize import clean_html
from members.models import Organisation
from projects.models import validate_document


class Level(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("European Union")
    INTERNATIONAL = "international", _("International")


def validate_position_slug(slug):
    # /advocacy/positions/feed/ is the Atom feed's address.
    if slug == "feed":
        raise ValidationError(_("“feed” is reserved for the portal's own pages."))


def _pdf_validators():
    return [FileExtensionValidator(["pdf"]), validate_document]


class Consultation(models.Model):
    """A consultation that a public body runs and the association answers."""

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    consulting_body = models.CharField(
        _("consulting body"),
        max_length=255,
        help_text=_("A ministry, a parliament committee, a municipality, the European Commission…"),
    )
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    reference = models.CharField(_("reference number"), max_length=120, blank=True)
    url = URLField(_("web address"), blank=True)
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="consultations", verbose_name=_("topics")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gte=models.F("opens_on")),
                name="consultation_deadline_after_opening",
                violation_error_message=_("The deadline cannot come before the opening."),
            )
        ]

    def __str__(self):
        return self.title


class ConsultationDocument(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("consultation"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="advocacy/consultations/", blank=True, validators=_pdf_validators()
    )
    url = URLField(_("web address"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="consultation_document_file_or_link",
                violation_error_message=_("Upload a file or give a web address."),
            )
        ]

    def __str__(self):
        return self.title


class PositionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Position.Status.PUBLISHED)

    def year(self, year):
        """Published in that year (in the portal's time zone)."""
        return self.filter(published_at__year=year)

    def open_for_input(self, now=None):
        return self.filter(status=Position.Status.INPUT, input_deadline__gt=now or timezone.now())


class Position(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION_RESPONSE = "response", _("Consultation response")
        POSITION_PAPER = "paper", _("Position paper")
        STATEMENT = "statement", _("Statement")
        OPEN_LETTER = "letter", _("Open letter")
        LEGAL_PROPOSAL = "proposal", _("Proposal for a legal act")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        INPUT = "input", _("Open for member input")
        DRAFTING = "drafting", _("Drafting")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not-adopted", _("Not adopted")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"), max_length=255, unique=True, validators=[validate_position_slug]
    )
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), blank=True)
    pdf = models.FileField(
        _("PDF"), upload_to="advocacy/positions/", blank=True, validators=_pdf_validators()
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="positions", verbose_name=_("topics")
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("consultation answered"),
    )
    # The workflow: changed only through services.position_move (which checks each step).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    input_deadline = models.DateTimeField(_("member input until"), null=True, blank=True)
    input_visible_to_members = models.BooleanField(
        _("members see each other's input"), default=False
    )
    input_opened_at = models.DateTimeField(_("opened for input"), null=True, editable=False)
    input_reminded_at = models.DateTimeField(null=True, editable=False)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    signing_closed = models.BooleanField(_("co-signing closed"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.TextField(_("outcome note"), max_length=2000, blank=True)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Normalised title (A), summary and consultation (B) and text (C): see signals.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                "status", models.F("published_at").desc(), models.F("id").desc(),
                name="position_published",
            ),
            GinIndex(fields=["search_vector"], name="position_search"),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advocacy:position", args=[self.slug])

    @property
    def input_open(self):
        return (
            self.status == self.Status.INPUT
            and self.input_deadline is not None
            and self.input_deadline > timezone.now()
        )

    @property
    def signing_open(self):
        return self.status == self.Status.PUBLISHED and not self.signing_closed


class MemberInput(models.Model):
    """A member organisation's contribution to a position open for input."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("position")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="advocacy_inputs",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="advocacy_inputs",
        verbose_name=_("author"),
    )
    text = models.TextField(_("input"), max_length=10_000)
    attachment = models.FileField(
        _("attachment"),
        upload_to="advocacy/input/",
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "odt", "docx", "txt"]),
            validate_document,
        ],
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member input")
        verbose_name_plural = _("member input")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.organisation} – {self.position}"


class EndorsementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at=None)


class Endorsement(models.Model):
    """A member organisation co-signs a published position, by one of its admins."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("position")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("organisation"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150)
    signatory_title = models.CharField(_("signatory's title"), max_length=150)
    signed_at = models.DateTimeField(_("co-signed"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "organisation"],
                condition=Q(withdrawn_at=None),
                name="endorsement_once_per_organisation",
                violation_error_message=_("This organisation has already co-signed."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.position}"


class Body(models.Model):
    """A council, committee or working group where the association holds seats."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    parent_institution = models.CharField(_("parent institution"), max_length=255, blank=True)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    total_seats = models.PositiveSmallIntegerField(
        _("total seats"), validators=[MinValueValidator(1)]
    )
    url = URLField(_("web address"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("council or committee")
        verbose_name_plural = _("councils and committees")
        ordering = ["order", "name", "id"]

    def __str__(self):
        return self.name


class SeatQuerySet(models.QuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=today), term_start__lte=today)

    def past(self, today=None):
        return self.filter(term_end__lt=today or timezone.localdate())


class Seat(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice-chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        SUBSTITUTE = "substitute", _("Substitute")
        OBSERVER = "observer", _("Observer")

    # Roles that hold one of the body's seats (a substitute or an observer does not).
    HOLDING = [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER]

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="seats", verbose_name=_("council or committee")
    )
    delegate = models.CharField(_("delegate"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("nominated by"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown by name on the public pages.")
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "role", "delegate", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="seat_term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.delegate} ({self.body})"
