from datetime import timedelta
from decimal import Decimal

from babel.numbers import list_currencies
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.fields import URLField
from association.models import Topic
from association.sanitize import clean_html
from members.models import Municipality, Organisation, Region

CURRENCIES = sorted(list_currencies())
# A funding call closes "soon" within this many days of its deadline.
CLOSING_SOON_DAYS = 14
DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "pptx", "txt"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


# Words the project pages' own addresses use: /projects/calls/, /my/projects/new/.
RESERVED_SLUGS = {"calls", "new"}


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the portal's own pages."), params={"slug": slug}
        )


def validate_currency(code):
    if code not in CURRENCIES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code, such as EUR or SEK."),
            params={"code": code},
        )


def validate_document(upload):
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    # The extension names a format; a PDF must also start like one (not an HTML page renamed).
    if upload.name.lower().endswith(".pdf"):
        upload.seek(0)
        if not upload.read(5).startswith(b"%PDF-"):
            raise ValidationError(_("The file is not a PDF document."))
        upload.seek(0)


def _document_validators():
    return [FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document]


# Lists show the newest projects first; projects with no start date come last.
NEWEST_FIRST = [models.F("start_date").desc(nulls_last=True), models.F("id").desc()]

money = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class Funder(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State budget")
        MUNICIPALITY = "municipality", _("Municipality")
        EU = "eu", _("EU programme")
        FOUNDATION = "foundation", _("Foundation")
        INTERNATIONAL = "international", _("International organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, such as LT.")
    )
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_(
            "For open data: an org-id.guide identifier such as LT-JAR-188692688. "
            "When empty, one is made under the portal's own prefix."
        ),
    )
    website = URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Programme(models.Model):
    funder = models.ForeignKey(
        Funder, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("funder")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=60, blank=True)
    website = URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["funder__name", "name", "id"]

    def __str__(self):
        return self.name


def _ids(relation, column):
    return ArraySubquery(relation.through.objects.filter(project_id=OuterRef("pk")).values(column))


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def with_relation_ids(self):
        """Topic, region and municipality ids as arrays in each project's own row: pages take
        the names from cached vocabularies, which saves a query per relation."""
        return self.annotate(
            topic_ids=_ids(Project.topics, "topic_id"),
            region_ids=_ids(Project.regions, "region_id"),
            municipality_ids=_ids(Project.municipalities, "municipality_id"),
        )

    def involving(self, organisation_ids):
        """Projects that any of these organisations leads or partners in."""
        partner = ProjectPartner.objects.filter(
            project=OuterRef("pk"), organisation_id__in=organisation_ids
        )
        return self.filter(Q(lead_organisation_id__in=organisation_ids) | Exists(partner))

    def in_region(self, region_id):
        """Projects placed in the region, or in one of its municipalities."""
        by_region = Project.regions.through.objects.filter(
            project_id=OuterRef("pk"), region_id=region_id
        )
        by_municipality = Project.municipalities.through.objects.filter(
            project_id=OuterRef("pk"), municipality__region_id=region_id
        )
        return self.filter(Exists(by_region) | Exists(by_municipality))


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"), max_length=255, unique=True, validators=[validate_not_reserved]
    )
    code = models.CharField(
        _("project code"), max_length=60, blank=True, help_text=_("As the funder gave it.")
    )
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead organisation"),
        help_text=_("Empty when the association itself leads the project."),
    )
    funder = models.ForeignKey(
        Funder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("funder"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("programme"),
    )
    decision_reference = models.CharField(
        _("funding decision"),
        max_length=200,
        blank=True,
        help_text=_("The decision or order that granted the money, such as its number."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_document = models.FileField(
        _("decision document"),
        upload_to="projects/decisions/",
        blank=True,
        validators=_document_validators(),
    )
    amount_awarded = models.DecimalField(_("amount awarded"), null=True, blank=True, **money)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    co_financing = models.DecimalField(_("co-financing"), null=True, blank=True, **money)
    total_budget = models.DecimalField(_("total budget"), null=True, blank=True, **money)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    # The year a project counts under in lists and totals: of its funding decision, else its start.
    year = models.PositiveSmallIntegerField(_("year"), null=True, editable=False, db_index=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="projects", verbose_name=_("regions")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="projects", verbose_name=_("municipalities")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="projects", verbose_name=_("topics")
    )
    website = URLField(_("project's web page"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    submitted_at = models.DateTimeField(
        _("submitted for publication"),
        null=True,
        blank=True,
        help_text=_("When member staff asked the secretariat to publish it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Normalised title, code, summary and organisation names: see services.refresh_project_search.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(
                models.F("start_date").desc(nulls_last=True),
                models.F("id").desc(),
                name="project_newest",
            ),
            GinIndex(fields=["search_vector"], name="project_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="project_currency_code"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description = clean_html(self.description)
        known = self.decision_date or self.start_date
        self.year = known.year if known else None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.slug])

    def clean(self):
        if self.programme_id and self.funder_id and self.programme.funder_id != self.funder_id:
            raise ValidationError({"programme": _("This programme belongs to another funder.")})


class ProjectItem(models.Model):
    """One entry of a project's ordered lists: an aim, an activity, an expected or achieved
    result. Results may say how they are measured (indicator) with a target and an actual value."""

    class Kind(models.TextChoices):
        AIM = "aim", _("Aim")
        ACTIVITY = "activity", _("Activity")
        EXPECTED = "expected", _("Expected result")
        ACHIEVED = "achieved", _("Achieved result")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="items", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), max_length=2000)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual value"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("aim, activity or result")
        verbose_name_plural = _("aims, activities and results")
        ordering = ["project", "kind", "order", "id"]

    def __str__(self):
        return self.text[:80]


class ProjectPartner(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner")
        CO_APPLICANT = "co-applicant", _("Co-applicant")
        ASSOCIATED = "associated", _("Associated partner")
        CO_FUNDER = "co-funder", _("Co-funder")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnered_projects",
        verbose_name=_("organisation in the directory"),
    )
    name = models.CharField(
        _("name"), max_length=255, blank=True, help_text=_("For a partner outside the directory.")
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTNER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["project", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="partner_named",
                violation_error_message=_(
                    "Choose an organisation from the directory or give a name."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "organisation"], name="partner_once_per_project"
            ),
        ]

    def __str__(self):
        return self.name or str(self.organisation)

    @property
    def display_name(self):
        return self.organisation.name if self.organisation_id else self.name


class ProjectImage(models.Model):
    MAX_PER_PROJECT = 12

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="images", verbose_name=_("project")
    )
    image = models.ImageField(_("image"), upload_to="projects/images/")
    thumbnail = models.ImageField(upload_to="projects/images/", editable=False)
    social = models.ImageField(upload_to="projects/images/", editable=False)
    alt_text = models.CharField(
        _("description for people who cannot see it"),
        max_length=250,
        help_text=_("What the image shows, in a sentence."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["order", "id"]

    def __str__(self):
        return self.alt_text


class ProjectDocument(models.Model):
    """A report, a leaflet or a link to one: a file, a web address, or both."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="projects/documents/", blank=True, validators=_document_validators()
    )
    url = URLField(_("web address"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="document_file_or_link",
                violation_error_message=_("Upload a file or give a web address."),
            )
        ]

    def __str__(self):
        return self.title


class FundingCallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open(self, now=None):
        now = now or timezone.now()
        today = timezone.localdate(now)
        return self.filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today), deadline__gt=now)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_on__gt=timezone.localdate(now), deadline__gt=now)

    def closed(self, now=None):
        return self.filter(deadline__lte=now or timezone.now())


class FundingCall(models.Model):
    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="calls", verbose_name=_("funder")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    eligibility = models.TextField(_("who may apply"), max_length=2000, blank=True)
    amount_min = models.DecimalField(_("smallest grant"), null=True, blank=True, **money)
    amount_max = models.DecimalField(_("largest grant"), null=True, blank=True, **money)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Date and time, in the portal's time zone.")
    )
    url = URLField(_("web address"), blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="funding_calls", verbose_name=_("topics")
    )
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="call_amounts_in_order",
                violation_error_message=_("The largest grant cannot be less than the smallest."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="call_currency_code"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:call", args=[self.slug])

    def clean(self):
        if self.programme_id and self.funder_id and self.programme.funder_id != self.funder_id:
            raise ValidationError({"programme": _("This programme belongs to another funder.")})
        if self.opens_on and self.deadline and self.deadline.date() < self.opens_on:
            raise ValidationError({"deadline": _("The deadline cannot come before the opening.")})

    @property
    def state(self):
        """open, closing-soon, upcoming or closed, from the dates and the present moment."""
        now = timezone.now()
        if self.deadline <= now:
            return "closed"
        if self.opens_on and self.opens_on > timezone.localdate(now):
            return "upcoming"
        if self.deadline - now <= timedelta(days=CLOSING_SOON_DAYS):
            return "closing-soon"
        return "open"
