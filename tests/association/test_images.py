import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association.images import clean_image


def image_file(image_format="PNG", size=(40, 30), name="upload", exif=None, extra=b""):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue() + extra)


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_accepted_images_are_reencoded_under_a_new_name(image_format, extension):
    cleaned = clean_image(image_file(image_format, name="../../evil.php"))
    assert cleaned.name.endswith(f".{extension}")
    assert "evil" not in cleaned.name and "/" not in cleaned.name
    assert Image.open(io.BytesIO(cleaned.read())).size == (40, 30)


def test_gps_and_other_exif_data_are_dropped():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (54.0, 41.0, 0.0)}  # GPSInfo
    upload = image_file("JPEG", exif=exif.tobytes())
    assert Image.open(upload).getexif()  # the upload does carry EXIF
    upload.seek(0)
    cleaned = Image.open(io.BytesIO(clean_image(upload).read()))
    assert not cleaned.getexif()


def test_anything_appended_to_an_image_is_dropped():
    upload = image_file("PNG", extra=b"<script>alert(1)</script>")
    assert b"<script>" not in clean_image(upload).read()


def test_a_large_side_is_scaled_down_when_asked():
    cleaned = clean_image(image_file("PNG", size=(2000, 1000)), max_side=800)
    assert Image.open(io.BytesIO(cleaned.read())).size == (800, 400)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.png", b"<html>not an image</html>"),
        SimpleUploadedFile("logo.png", b""),
        image_file("GIF"),
        image_file("BMP"),
    ],
    ids=["html", "empty", "gif", "bmp"],
)
def test_files_that_are_not_accepted_images_are_refused(upload):
    with pytest.raises(ValidationError, match="not a PNG, JPEG or WebP image"):
        clean_image(upload)


def test_too_many_pixels_are_refused_before_decoding():
    # 10,000 × 10,000 of one colour compresses to a small PNG but would decode to 300 MB.
    upload = image_file("PNG", size=(10_000, 10_000))
    assert upload.size < 1024 * 1024
    with pytest.raises(ValidationError, match="10000 × 10000 pixels; the limit is 25 megapixels"):
        clean_image(upload)


def test_files_over_5_mb_are_refused():
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="the limit is 5 MB"):
        clean_image(upload)
