from pathlib import PurePosixPath
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, get_valid_filename
from django.utils.translation import gettext_lazy as _

from association.fields import URLField
from association.files import private_storage
from association.sanitize import clean_html, plain_text
from members.models import Role

MAX_FILE_BYTES = 50 * 1024 * 1024

# What the first bytes of a file of each format look like: a renamed HTML page or program is
# refused, whatever its name says. Office Open XML and OpenDocument files are zip archives.
ZIP = (b"PK\x03\x04",)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "zip": ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    # An ID3 tag, or an MPEG audio frame straight away.
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}
FILE_EXTENSIONS = [*SIGNATURES, "mp4", "txt", "csv"]
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint"}


def validate_file_content(upload):
    if getattr(upload, "_committed", False):
        return  # stored already: it was checked when it came in
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."), params={"limit": MAX_FILE_BYTES >> 20}
        )
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if extension == "mp4":
        # An MP4 file starts with the size of its first box, then "ftyp".
        matches = head[4:8] == b"ftyp"
    elif extension in ("txt", "csv"):
        # Text, not a binary file given a text name.
        matches = b"\x00" not in head
    else:
        # Other extensions are refused by the FileExtensionValidator, with its own message.
        matches = head.startswith(SIGNATURES.get(extension, b""))
    if not matches:
        raise ValidationError(
            _("The file's content is not what a .%(extension)s file holds."),
            params={"extension": extension},
        )


def library_file_name(item, filename):
    # A folder of its own keeps the file's readable name and never overwrites another file.
    return f"library/{uuid4().hex}/{get_valid_filename(PurePosixPath(filename).name)}"


def may_open_members_only(user):
    """Member staff (a role in any member organisation) and the secretariat. Answered once per
    request: the result is kept on the user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_library_member"):
        user._library_member = user.is_staff or Role.objects.filter(user=user).exists()
    return user._library_member


class LibraryItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        if may_open_members_only(user):
            return self
        return self.filter(visibility=LibraryItem.Visibility.PUBLIC)


class LibraryItem(models.Model):
    class Kind(models.TextChoices):
        TEMPLATE = "template", _("Template")
        GUIDE = "guide", _("Guide")
        RECORDING = "recording", _("Recording")
        REPORT = "report", _("Report")
        TOOL = "tool", _("Tool")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members only")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(
        "association.Topic", blank=True, related_name="library_items", verbose_name=_("topics")
    )
    # Every library file, public or not, is in the private storage and served by one view that
    # checks the visitor's right: there is no public URL to guess.
    file = models.FileField(
        _("file"),
        upload_to=library_file_name,
        storage=private_storage,
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(FILE_EXTENSIONS), validate_file_content],
        help_text=_(
            "At most 50 MB: PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, MP3, MP4, "
            "ZIP, PNG or JPEG."
        ),
    )
    file_size = models.PositiveBigIntegerField(null=True, editable=False)
    link = URLField(
        _("link"), max_length=500, blank=True, help_text=_("Instead of a file: where it is.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    visibility = models.CharField(
        _("who may open it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text=_("Members only: staff of member organisations, after signing in."),
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("publication date"), default=timezone.now, help_text=_("The list shows newest first.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Normalised title (A) and description (B): see signals.py and members/search.py.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = LibraryItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                "published", models.F("published_at").desc(), models.F("id").desc(),
                name="library_newest",
            ),
            GinIndex(fields=["search_vector"], name="library_search"),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="library_file_or_link",
                violation_error_message=_("Give either a file or a link, not both."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description = clean_html(self.description)
        # Asked of the storage on every save (the secretariat's, a few a day): a file replaced
        # by any means has its own size.
        self.file_size = self.file.size if self.file else None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("library:item", args=[self.slug])

    @property
    def summary(self):
        """The description as a sentence or two of plain text, for lists and link previews."""
        # A space between adjacent tags keeps list items and paragraphs apart as words.
        return Truncator(plain_text(self.description.replace("><", "> <"))).words(30)

    @property
    def link_host(self):
        return urlsplit(self.link).hostname or ""

    @property
    def members_only(self):
        return self.visibility == self.Visibility.MEMBERS

    @property
    def file_extension(self):
        return PurePosixPath(self.file.name).suffix.lower().lstrip(".") if self.file else ""

    @property
    def file_format(self):
        extension = self.file_extension
        return FORMAT_NAMES.get(extension, extension.upper())
