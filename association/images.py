"""Uploaded images are opened only as PNG, JPEG or WebP, within size and pixel limits, and
re-encoded, so that what is stored is a clean image (no EXIF or GPS data, nothing appended)
under a name the server chose. The sizes a page needs are made once, at upload."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
# Link previews (Open Graph) are 1.91:1.
SOCIAL_SIZE = (1200, 630)


def open_image(upload):
    """The upload as a decoded, upright image and its format, or ValidationError saying why."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is 5 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"}
        )
    upload.seek(0)
    try:
        # The pixel count is read from the header before any pixel is decoded; Pillow's own,
        # looser bomb warning is redundant with the check below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s × %(height)s pixels; the limit is 25 megapixels.")
                    % {"width": width, "height": height}
                )
            image_format = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image has too many pixels; the limit is 25 megapixels.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The file is not a PNG, JPEG or WebP image.")) from None
    return image, image_format


def _encode(image, image_format, name):
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
        extension = "jpg"
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, image_format, optimize=True)
        extension = image_format.lower()
    return ContentFile(output.getvalue(), name=f"{name}.{extension}")


def clean_image(upload, *, max_side=None):
    """Return the upload re-encoded as a new file, or raise ValidationError saying why not."""
    image, image_format = open_image(upload)
    if max_side:
        image.thumbnail((max_side, max_side))
    return _encode(image, image_format, uuid.uuid4().hex)


def image_variants(upload, *, main_side, list_side):
    """The sizes a page needs, each a new file with a server-chosen name: "main" (profile),
    "list" (lists and cards) and "social" (1200 × 630 on white, for link previews)."""
    image, image_format = open_image(upload)
    name = uuid.uuid4().hex
    main = image.copy()
    main.thumbnail((main_side, main_side))
    listed = image.copy()
    listed.thumbnail((list_side, list_side))
    social = Image.new("RGB", SOCIAL_SIZE, "white")
    fitted = ImageOps.contain(image.convert("RGBA"), SOCIAL_SIZE)
    social.paste(
        fitted,
        ((SOCIAL_SIZE[0] - fitted.width) // 2, (SOCIAL_SIZE[1] - fitted.height) // 2),
        fitted,
    )
    return {
        "main": _encode(main, image_format, name),
        "list": _encode(listed, image_format, f"{name}-list"),
        "social": _encode(social, "JPEG", f"{name}-social"),
    }


def store_variants(upload, main, listed, social, *, main_side, list_side):
    """Save the upload's three sizes (see image_variants) into these file fields of a row,
    without saving the row."""
    variants = image_variants(upload, main_side=main_side, list_side=list_side)
    for field, name in [(main, "main"), (listed, "list"), (social, "social")]:
        field.save(variants[name].name, variants[name], save=False)
