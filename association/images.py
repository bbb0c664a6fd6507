"""Uploaded images are opened only as PNG, JPEG or WebP, within size and pixel limits, and
re-encoded, so that what is stored is a clean image (no EXIF or GPS data, nothing appended)
under a name the server chose."""

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


def clean_image(upload, *, max_side=None):
    """Return the upload re-encoded as a new file, or raise ValidationError saying why not."""
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
    if max_side:
        image.thumbnail((max_side, max_side))
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=88, optimize=True)
        extension = "jpg"
    else:
        image.save(output, image_format, optimize=True)
        extension = image_format.lower()
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
