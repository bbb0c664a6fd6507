from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from association.fields import URLField
from association.sanitize import clean_html

from .countries import COUNTRIES, country_name
from .search import normalise

# Words the portal's own addresses use beside organisation slugs: /members/map/,
# /members/regions/, /members/partners/, /my/projects/, /my/advocacy/, and /my/notifications/
# kept free for the account's notification settings.
RESERVED_SLUGS = {"map", "regions", "partners", "projects", "advocacy", "notifications"}


def validate_web_addresses(text):
    """Each line is an http(s) address: the public profile links every one of them."""
    is_web_address = URLValidator(schemes=["http", "https"])
    for line in filter(None, map(str.strip, text.splitlines())):
        try:
            is_web_address(line)
        except ValidationError:
            raise ValidationError(
                _(
                    "“%(line)s” is not a web address: give one address per line, starting with https://."
                ),
                params={"line": line},
                code="invalid",
            ) from None


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the directory's own pages.") % {"slug": slug}
        )


# A node's path is the ids from the root down to itself, each zero-padded to PATH_STEP digits and
# followed by "/": "00000012/00000345/". A subtree is then one prefix range on an index.
PATH_STEP = 8


class Region(models.Model):
    """A county or statistical region: the first-level division for regional figures."""

    country = models.CharField(_("country"), max_length=2)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_code_unique")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:region", args=[self.slug])


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="municipality_code_unique")
        ]

    def __str__(self):
        return self.name


class FieldOfActivity(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class OrganisationType(models.Model):
    """A kind of organisation that the association names itself: centre, branch, collective..."""

    name = models.CharField(_("name (singular)"), max_length=80)
    name_plural = models.CharField(_("name (plural)"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_legal_entity = models.BooleanField(
        _("member in its own right"),
        default=True,
        help_text=_("A legal entity that can be a member; otherwise a unit of one."),
    )
    can_be_top_level = models.BooleanField(
        _("may stand at the top"),
        default=True,
        help_text=_("Whether an organisation of this type may have no parent."),
    )
    allowed_parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="allowed_children",
        verbose_name=_("may sit under"),
    )

    class Meta:
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


# Columns a list never shows and that weigh most: left in the database.
LIST_DEFERRED = ["search_vector", "name_vector", "description", "social_links", "legal_name"]


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def within(self, organisation):
        """The organisation and everything under it, at any depth (one index range)."""
        return self.filter(path__startswith=organisation.path)

    def for_list(self):
        """What a list of organisations shows. Fields of activity come as ids in the same
        query (their names are in the cached vocabularies): a subquery per row shown, where an
        aggregate would group the whole table before the page is cut."""
        chosen = (
            Organisation.fields_of_activity.through.objects.filter(organisation_id=OuterRef("pk"))
            .order_by("fieldofactivity__order", "fieldofactivity_id")
            .values("fieldofactivity_id")
        )
        return (
            self.select_related("type", "municipality", "parent")
            .defer(*LIST_DEFERRED, *(f"parent__{name}" for name in LIST_DEFERRED))
            .annotate(field_ids=ArraySubquery(chosen))
        )


class Organisation(models.Model):
    class MembershipStatus(models.TextChoices):
        MEMBER = "member", _("Member")
        APPLICANT = "applicant", _("Applicant")
        FORMER = "former", _("Former member")
        NONE = "none", _("Not a member")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=255, unique=True, validators=[validate_not_reserved]
    )
    # The name without case or diacritics, so that "Šiauliai" sorts among the S.
    sort_name = models.CharField(max_length=255, editable=False, default="")
    type = models.ForeignKey(
        OrganisationType,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("type"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    # Maintained by the database (see the tree trigger in the migrations): never set by hand.
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    registration_code = models.CharField(_("registration code"), max_length=40, blank=True)
    membership_status = models.CharField(
        _("membership"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.MEMBER,
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    fields_of_activity = models.ManyToManyField(
        FieldOfActivity,
        blank=True,
        related_name="organisations",
        verbose_name=_("fields of activity"),
    )

    address = models.CharField(_("street address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    social_links = models.TextField(
        _("social media links"),
        blank=True,
        help_text=_("One address per line."),
        validators=[validate_web_addresses],
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    members_count = models.PositiveIntegerField(
        _("members and participants"), null=True, blank=True
    )
    volunteers_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    # Made once from the logo when it is uploaded: for lists and for link previews.
    logo_thumbnail = models.ImageField(upload_to="organisations/", blank=True, editable=False)
    logo_social = models.ImageField(upload_to="organisations/", blank=True, editable=False)
    published = models.BooleanField(_("published"), default=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The organisation's id in an imported spreadsheet."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Normalised text of the name (A), place and fields (B) and description (C): see search.py.
    search_vector = SearchVectorField(null=True, editable=False)
    name_vector = SearchVectorField(null=True, editable=False)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "sort_name", "path", "depth", "search_vector", "name_vector", "updated_at",
        ],
        m2m_fields=[fields_of_activity],
    )  # fmt: skip

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(OpClass("path", name="varchar_pattern_ops"), name="organisation_path"),
            models.Index(fields=["sort_name", "id"], name="organisation_name_order"),
            models.Index(fields=["-updated_at", "id"], name="organisation_updated"),
            models.Index(F("members_count").desc(nulls_last=True), "id", name="organisation_size"),
            models.Index(fields=["latitude", "longitude"], name="organisation_position"),
            GinIndex(fields=["search_vector"], name="organisation_search"),
            GinIndex(fields=["name_vector"], name="organisation_name_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="organisation_coordinates_together",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)
        # The trigger has just set the path (and moved any descendants).
        self.refresh_from_db(fields=["path", "depth"])

    def get_absolute_url(self):
        return reverse("members:organisation", args=[self.slug])

    def set_derived_fields(self):
        """What save() derives from the other fields; bulk writers call it themselves."""
        self.sort_name = normalise(self.name)[:255]
        self.description = clean_html(self.description)

    def clean(self):
        # The database enforces these too (the tree trigger); here they become form errors.
        if self.type_id is None:
            return
        if self.pk:
            forbidden = self.children.exclude(type__allowed_parents=self.type_id)
            if forbidden.exists():
                raise ValidationError(
                    {
                        "type": _("Some sub-units, such as %(name)s, cannot be part of a %(type)s.")
                        % {"name": forbidden.first().name, "type": self.type.name}
                    }
                )
        if self.parent_id is None:
            if not self.type.can_be_top_level:
                raise ValidationError(
                    {
                        "parent": _("A %(type)s must be part of another organisation.")
                        % {"type": self.type.name}
                    }
                )
            return
        parent = self.parent
        if self.pk and parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": _("An organisation cannot be part of itself or of its own sub-unit.")}
            )
        if not self.type.allowed_parents.filter(pk=parent.type_id).exists():
            raise ValidationError(
                {
                    "parent": _("A %(type)s cannot be part of a %(parent_type)s.")
                    % {"type": self.type.name, "parent_type": parent.type.name}
                }
            )

    @property
    def ancestor_ids(self):
        steps = [int(step) for step in self.path.split("/") if step]
        return steps[:-1]

    @property
    def map_position(self):
        if self.latitude is not None:
            return self.latitude, self.longitude
        if self.municipality_id:
            return self.municipality.latitude, self.municipality.longitude
        return None

    @property
    def social_link_list(self):
        return [line.strip() for line in self.social_links.splitlines() if line.strip()]


class ContactPerson(models.Model):
    """A person the public may contact; shown only when they have agreed to it."""

    history = HistoricalRecords()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent = models.BooleanField(
        _("agreed to be shown"),
        default=False,
        help_text=_("The person has agreed that these details are public."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ImportJob(models.Model):
    """A spreadsheet import from the administration that runs in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="imports/")
    filename = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename

    @property
    def progress_key(self):
        return f"members:import:{self.pk}:progress"


class Role(models.Model):
    """A person's part in an organisation. It covers the organisation's whole subtree."""

    class Level(models.TextChoices):
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    level = models.CharField(_("role"), max_length=10, choices=Level.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["organisation__sort_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="role_once_per_person")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_level_display()} · {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An email invitation to take a role in an organisation: single use, valid for 7 days."""

    VALID_DAYS = 7

    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    level = models.CharField(_("role"), max_length=10, choices=Role.Level.choices)
    # Only a hash: the token itself is in the email and nowhere else.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def status(self):
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("revoked")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("pending")

    @property
    def is_pending(self):
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()


class ChangeRequest(models.Model):
    """A change to what identifies a member, which the secretariat approves or rejects."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # What staff may ask to change, and only through a request.
    FIELDS = ["name", "legal_name", "registration_code", "type", "parent", "membership_status"]

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("organisation"),
    )
    changes = models.JSONField(_("changes"), help_text=_("Field name → requested value."))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"


class Photo(models.Model):
    MAX_PER_ORGANISATION = 12

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("organisation"),
    )
    image = models.ImageField(_("photo"), upload_to="photos/")
    thumbnail = models.ImageField(upload_to="photos/", editable=False)
    social = models.ImageField(upload_to="photos/", editable=False)
    alt_text = models.CharField(
        _("description for people who cannot see it"),
        max_length=250,
        help_text=_("What the photo shows, in a sentence."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["thumbnail", "social"])

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "id"]

    def __str__(self):
        return self.alt_text


class AnnualReport(models.Model):
    """What an organisation reports once a year; the latest report feeds the directory."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="annual_reports",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    members = models.PositiveIntegerField(_("members and participants"))
    volunteers = models.PositiveIntegerField(_("volunteers"))
    staff = models.PositiveIntegerField(_("staff"))
    collectives = models.PositiveIntegerField(_("art collectives, studios and clubs"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="annual_report_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"


# --- Partner search ---------------------------------------------------------------------------


def validate_countries(codes):
    unknown = [code for code in codes if code not in COUNTRIES]
    if unknown:
        raise ValidationError(
            _("“%(code)s” is not one of the countries partners can be sought in here."),
            params={"code": unknown[0]},
            code="invalid_country",
        )


PARTNER_DESCRIPTION_LENGTH = 2000


class PartnerOfferQuerySet(models.QuerySet):
    def active(self, today=None):
        """What the public sees: published, still open, by a published organisation."""
        return self.filter(
            published=True,
            valid_until__gte=today or timezone.localdate(),
            organisation__published=True,
        )


class PartnerOffer(models.Model):
    """An organisation looking for partners for a project, typically a funding application."""

    class ProjectKind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange or mobility")
        TRAINING = "training", _("Training")
        CO_PRODUCTION = "co-production", _("Co-production")
        RESEARCH = "research", _("Research")
        FESTIVAL = "festival", _("Festival or event")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_offers",
        verbose_name=_("organisation"),
    )
    title = models.CharField(
        _("what for"),
        max_length=150,
        help_text=_("In a line: the project or application partners are sought for."),
    )
    description = models.TextField(
        _("description"),
        max_length=PARTNER_DESCRIPTION_LENGTH,
        blank=True,
        help_text=_("Plain text: the idea, the programme applied to, what partners would do."),
    )
    topics = models.ManyToManyField(
        "association.Topic",
        blank=True,
        related_name="partner_offers",
        verbose_name=_("topics"),
    )
    project_kind = models.CharField(_("kind of project"), max_length=20, choices=ProjectKind)
    countries = ArrayField(
        models.CharField(max_length=2),
        verbose_name=_("partners' countries"),
        validators=[validate_countries],
    )
    valid_until = models.DateField(_("looking until"))
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Untick to hide it without deleting it.")
    )
    # Title and description without case or diacritics, for the list's search (see search.py);
    # the organisation's name is searched through its sort_name, normalised the same way.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner search")
        verbose_name_plural = _("partner searches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="partner_offer_newest"),
            GinIndex(fields=["countries"], name="partner_offer_countries"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(countries__len__gt=0), name="partner_offer_has_countries"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), PARTNER_DESCRIPTION_LENGTH),
                name="partner_offer_description_length",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(f"{self.title} {self.description}")
        super().save(*args, **kwargs)

    @property
    def country_names(self):
        return [country_name(code) for code in self.countries]


def _partner_offers_changed(sender, raw=False, **kwargs):
    # The directory's version keys the cached pages that show offers (the list and profiles).
    from .services import directory_changed

    if not raw:
        transaction.on_commit(directory_changed)


post_save.connect(_partner_offers_changed, sender=PartnerOffer)
post_delete.connect(_partner_offers_changed, sender=PartnerOffer)
m2m_changed.connect(_partner_offers_changed, sender=PartnerOffer.topics.through)
