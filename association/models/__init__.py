import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import URLField
from ..sanitize import clean_html


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: secretariat or member staff. The email address is the login."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("secretariat access"),
        default=False,
        help_text=_("Whether the person may sign in to the administration."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    notify_advocacy = models.BooleanField(
        _("email me when a position opens for member input"),
        default=True,
        help_text=_("And a reminder two days before its deadline."),
    )
    receive_member_mailings = models.BooleanField(
        _("email me the association's mailings for member staff"),
        default=True,
        help_text=_(
            "Newsletters the secretariat sends to the people who run member organisations."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique")
        ]

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


PROFILE_VERSION_KEY = "association:profile-version"
_loaded_profiles = {}


def profile_changed(**kwargs):
    cache.delete(PROFILE_VERSION_KEY)


def profile_version():
    """A token that changes whenever the profile (or an affiliation) is saved."""
    return cache.get_or_set(PROFILE_VERSION_KEY, lambda: uuid.uuid4().hex, None)


class AssociationProfile(models.Model):
    """The association that runs this portal: one row, edited by the secretariat."""

    SINGLETON_ID = 1

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    founding_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    values = models.TextField(_("values"), blank=True, help_text=_("One value per line."))
    goals = models.TextField(_("goals"), blank=True, help_text=_("One goal per line."))
    activities = models.TextField(
        _("activities"), blank=True, help_text=_("One activity per line.")
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = URLField(_("website"), blank=True)
    registration_code = models.CharField(_("registration code"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to="association/", blank=True)
    secretariat_requires_mfa = models.BooleanField(
        _("the secretariat must use two-factor authentication"),
        default=True,
        help_text=_(
            "Members of the secretariat then set up an authenticator app before they can use "
            "the administration."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("association profile")
        verbose_name_plural = _("association profile")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="association_profile_singleton")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def load(cls):
        """The profile, kept in each process until any process saves a new one (every page
        shows it, and it changes a few times a year)."""
        version = profile_version()
        if version not in _loaded_profiles:
            _loaded_profiles.clear()
            _loaded_profiles[version] = cls.objects.get(pk=cls.SINGLETON_ID)
        return _loaded_profiles[version]

    @property
    def display_short_name(self):
        return self.short_name or self.name

    @property
    def value_list(self):
        return lines(self.values)

    @property
    def goal_list(self):
        return lines(self.goals)

    @property
    def activity_list(self):
        return lines(self.activities)


class Affiliation(models.Model):
    """A network, federation or alliance that the association belongs to."""

    profile = models.ForeignKey(
        AssociationProfile, on_delete=models.CASCADE, related_name="affiliations"
    )
    name = models.CharField(_("name"), max_length=200)
    website = URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class SitePage(models.Model):
    """A page whose text the secretariat writes: the accessibility statement, the privacy notice."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Privacy notice")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("HTML: headings, paragraphs, lists, links and tables are kept."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        for code in settings.MODELTRANSLATION_LANGUAGES:
            field = f"body_{code}"
            setattr(self, field, clean_html(getattr(self, field)))
        super().save(*args, **kwargs)


class Topic(models.Model):
    """A subject the association works on (culture policy, youth, rural life...): projects,
    funding calls and, later, positions, news and events are tagged with the same topics."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# Affiliations are shown with the profile; either change makes every process load it again.
post_save.connect(profile_changed, sender=AssociationProfile)
post_save.connect(profile_changed, sender=Affiliation)


from .campaigns import Campaign, Delivery  # noqa: E402, F401
from .news import NewsPost  # noqa: E402, F401 - in its own module, registered here
from .newsletters import ConsentRecord, Subscriber, Suppression  # noqa: E402, F401
