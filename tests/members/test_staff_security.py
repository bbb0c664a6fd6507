"""The staff pages under attack: forging requests, hostile uploads, hostile rich text, fields
that are not on the form, and garbage in every field."""

import html
import io
import re

import pytest
from django.test import Client
from PIL import Image

from members.models import ContactPerson, Organisation, Photo, Role
from tests.factories import make_contact, make_field, make_municipality
from tests.members.staff import (
    CASES_BY_NAME,
    THIS_YEAR,
    error_summary,
    form_errors,
    form_values,
    image_bytes,
    invitation_path,
    png_upload,
    snapshot,
    stored_files,
    token_for,
    upload,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def admin_a(client, world):
    client.force_login(world.admin_a)
    return client


# --- CSRF -------------------------------------------------------------------------------------

FORM_CASES = [case for cases in CASES_BY_NAME.values() for case in cases if case.form_page]


@pytest.mark.parametrize("case", FORM_CASES, ids=lambda case: case.id)
def test_a_staff_form_posted_without_its_csrf_token_is_refused(world, tmp_path, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    target = case.url(world, "A")
    before = snapshot(tmp_path)

    response = client.post(target, case.data(world, "A"))

    assert response.status_code == 403
    assert snapshot(tmp_path) == before

    # The page that shows the form gives the token, and the form posts to this address; with
    # the token, the same request is made: the token was all that was missing.
    page = client.get(target if not case.post_only else url(case.form_page, "centre-a"))
    assert page.status_code == 200
    if case.post_only:
        assert f'action="{target}"' in page.content.decode()
    token = form_values(page.content, "csrfmiddlewaretoken")["csrfmiddlewaretoken"][0]
    response = client.post(target, case.data(world, "A") | {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == case.lands_on(world, "A")
    case.done(world, "A")


def test_accepting_an_invitation_without_the_csrf_token_creates_no_account(world, tmp_path):
    client = Client(enforce_csrf_checks=True)
    path = invitation_path(token_for("centre-a"))
    signup = {"name": "Ona", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    before = snapshot(tmp_path)
    assert client.post(path, signup).status_code == 403
    assert snapshot(tmp_path) == before


def test_accepting_an_invitation_when_signed_in_needs_the_csrf_token(world, tmp_path):
    from tests.factories import make_user

    invited = make_user(email="invited-to-centre-a@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(invited)
    before = snapshot(tmp_path)
    assert client.post(invitation_path(token_for("centre-a"))).status_code == 403
    assert snapshot(tmp_path) == before
    assert not Role.objects.filter(user=invited).exists()


# --- Uploads ----------------------------------------------------------------------------------


def _fits():
    """A FITS image (astronomy's format, which Pillow can read): 10 × 10 pixels."""

    def card(keyword, value):
        return f"{keyword:<8}= {value:>20}".ljust(80).encode()

    header = b"".join(
        [
            card("SIMPLE", "T"),
            card("BITPIX", 8),
            card("NAXIS", 2),
            card("NAXIS1", 10),
            card("NAXIS2", 10),
            b"END".ljust(80),
        ]
    )
    return header.ljust(2880, b" ") + bytes(2880)


def _bomb():
    # 10,000 × 10,000 one-bit pixels compress to about 12 KB and would decode to 100 MB or
    # more (300 MB once converted to RGB).
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    return buffer.getvalue()


NOT_AN_IMAGE = "The file is not a PNG, JPEG or WebP image."


def _corpus():
    jpeg = image_bytes("JPEG", (200, 100))
    return {
        "decompression bomb": (
            "bomb.png",
            _bomb(),
            "The image is 10000 × 10000 pixels; the limit is 25 megapixels.",
        ),
        "SVG": (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>',
            NOT_AN_IMAGE,
        ),
        "PHP renamed .png": ("shell.png", b"<?php system($_GET['c']); ?>", NOT_AN_IMAGE),
        "truncated JPEG": ("cut.jpg", jpeg[: len(jpeg) // 2], NOT_AN_IMAGE),
        "empty file": ("empty.png", b"", "The submitted file is empty."),
        "20 MB": (
            "huge.png",
            b"\x89PNG\r\n\x1a\n" + bytes(20 * 1024 * 1024),
            "The image is 20.0 MB; the limit is 5 MB.",
        ),
        "FITS": ("sky.fits.png", _fits(), NOT_AN_IMAGE),
    }


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


@pytest.mark.parametrize("target", ["logo", "photo"])
@pytest.mark.parametrize("item", list(_corpus()))
def test_a_hostile_upload_is_refused_with_a_message_and_nothing_is_stored(
    admin_a, world, tmp_path, corpus, target, item
):
    name, content, message = corpus[item]
    before = snapshot(tmp_path)
    if target == "logo":
        data, form, field, label = (
            {"form": "logo", "logo-logo": upload(name, content)},
            "logo_form",
            "logo",
            "Logo",
        )
    else:
        data = {
            "form": "photo",
            "photo-image": upload(name, content),
            "photo-alt_text": "The choir on stage",
        }
        form, field, label = "photo_form", "image", "Photo"

    response = admin_a.post(url("media", "centre-a"), data)

    assert response.status_code == 200
    assert form_errors(response.context[form]) == {field: [message]}
    assert error_summary(response) == [f"{label}: {message}"]
    assert snapshot(tmp_path) == before
    assert stored_files(tmp_path) == []
    # What was typed beside the file is kept.
    if target == "photo":
        assert form_values(response.content, "photo-alt_text")["photo-alt_text"] == [
            "The choir on stage"
        ]


def _exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (54.0, 41.0, 12.0), 3: "E", 4: (25.0, 16.0, 48.0)}  # GPSInfo
    return exif.tobytes()


def _opened(path):
    with Image.open(path) as image:
        image.load()
        return image.format, image.size, dict(image.getexif()), image.info.get("exif")


NAME = r"[0-9a-f]{32}"


@pytest.mark.parametrize(
    ("target", "fields", "sizes", "folder"),
    [
        (
            "logo",
            ["logo", "logo_thumbnail", "logo_social"],
            [(800, 400), (160, 80), (1200, 630)],
            "organisations",
        ),
        (
            "photo",
            ["image", "thumbnail", "social"],
            [(1000, 500), (400, 200), (1200, 630)],
            "photos",
        ),
    ],
)
def test_a_photo_with_gps_data_is_stored_without_exif_in_all_three_sizes(
    admin_a, world, tmp_path, target, fields, sizes, folder
):
    content = image_bytes("JPEG", (1000, 500), exif=_exif_with_gps())
    assert Image.open(io.BytesIO(content)).getexif()[0x8825]  # the upload does carry GPS data
    if target == "logo":
        data = {"form": "logo", "logo-logo": upload("IMG_0042.jpg", content, "image/jpeg")}
    else:
        data = {
            "form": "photo",
            "photo-image": upload("IMG_0042.jpg", content, "image/jpeg"),
            "photo-alt_text": "Dancers in the square",
        }

    response = admin_a.post(url("media", "centre-a"), data)

    assert response.status_code == 302
    owner = Organisation.objects.get(slug="centre-a")
    if target == "photo":
        owner = Photo.objects.get(alt_text="Dancers in the square")
    names = [getattr(owner, name).name for name in fields]
    assert re.fullmatch(rf"{folder}/({NAME})\.jpg", names[0])
    stem = names[0][len(folder) + 1 : -4]
    assert names[1:] == [f"{folder}/{stem}-list.jpg", f"{folder}/{stem}-social.jpg"]
    for name, size in zip(names, sizes, strict=True):
        assert _opened(tmp_path / name) == ("JPEG", size, {}, None)
    assert sorted(stored_files(tmp_path)) == sorted(names)


def test_html_appended_to_a_png_is_not_stored(admin_a, world, tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), "teal").save(buffer, "PNG", exif=exif.tobytes())
    content = buffer.getvalue() + b"<html><script>alert('polyglot')</script></html>"

    response = admin_a.post(
        url("media", "centre-a"),
        {"form": "logo", "logo-logo": upload("polyglot.html.png", content, "image/png")},
    )

    assert response.status_code == 302
    logo = Organisation.objects.get(slug="centre-a").logo
    assert re.fullmatch(rf"organisations/{NAME}\.png", logo.name)
    stored = (tmp_path / logo.name).read_bytes()
    assert b"<html" not in stored and b"<script" not in stored and b"polyglot" not in stored
    assert stored != content[: len(stored)]  # re-encoded, not a copy of the upload's image
    assert _opened(tmp_path / logo.name) == ("PNG", (300, 150), {}, None)


def _logo_names(slug="centre-a"):
    centre = Organisation.objects.get(slug=slug)
    return [centre.logo.name, centre.logo_thumbnail.name, centre.logo_social.name]


def test_an_uploaded_logo_is_still_stored_once_the_request_is_over(
    admin_a, world, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_a.post(
            url("media", "centre-a"), {"form": "logo", "logo-logo": png_upload()}
        )
    assert response.status_code == 302
    assert stored_files(tmp_path) == sorted(_logo_names())


def test_replacing_the_logo_removes_the_old_files(
    admin_a, world, tmp_path, django_capture_on_commit_callbacks
):
    # The first logo's files, as the upload leaves them before anything is committed.
    admin_a.post(url("media", "centre-a"), {"form": "logo", "logo-logo": png_upload("first.png")})
    first = _logo_names()
    assert stored_files(tmp_path) == sorted(first)

    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(
            url("media", "centre-a"), {"form": "logo", "logo-logo": png_upload("second.png")}
        )

    second = _logo_names()
    assert set(first).isdisjoint(second)
    assert stored_files(tmp_path) == sorted(second)


def test_removing_the_logo_removes_its_files(
    admin_a, world, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(url("media", "centre-a"), {"form": "logo", "logo-logo": png_upload()})
        response = admin_a.post(url("media", "centre-a"), {"form": "logo", "action": "remove-logo"})
    assert response.status_code == 302
    centre = Organisation.objects.get(slug="centre-a")
    assert (centre.logo.name, centre.logo_thumbnail.name, centre.logo_social.name) == ("", "", "")
    assert stored_files(tmp_path) == []


def test_a_13th_photo_is_refused(admin_a, world, tmp_path):
    centre = Organisation.objects.get(slug="centre-a")
    for number in range(2, 13):  # the world gives it one already
        Photo.objects.create(
            organisation=centre,
            image=f"photos/{number}.png",
            thumbnail=f"photos/{number}-list.png",
            alt_text=f"Photo {number}",
        )
    before = snapshot(tmp_path)

    response = admin_a.post(
        url("media", "centre-a"),
        {
            "form": "photo",
            "photo-image": png_upload("13.png"),
            "photo-alt_text": "One photo too many",
        },
    )

    assert response.status_code == 200
    assert "You have 12 photos, the most a profile shows. Remove one to add another." in (
        response.content.decode()
    )
    assert snapshot(tmp_path) == before
    assert centre.photos.count() == 12


def test_uploading_the_logo_without_choosing_a_file_asks_for_the_logo(admin_a, world, tmp_path):
    # What a browser sends for an empty file input: the part, with an empty file name (Django
    # leaves it out of request.FILES). The button is the logo form's.
    from django.test.client import BOUNDARY, MULTIPART_CONTENT

    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="form"\r\n\r\nlogo\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="logo-logo"; filename=""\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n\r\n--{BOUNDARY}--\r\n"
    ).encode()
    response = admin_a.generic(
        "POST", url("media", "centre-a"), body, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 200
    assert form_errors(response.context["photo_form"]) == {}
    assert form_errors(response.context["logo_form"]) == {"logo": ["This field is required."]}


# --- Rich text --------------------------------------------------------------------------------

RICH_TEXT = {
    "javascript: link": (
        "<a href=\"javascript:alert('xss-link')\">Programme</a>",
        '<a rel="noopener noreferrer nofollow">Programme</a>',
    ),
    "data: link": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Poster</a>',
        '<a rel="noopener noreferrer nofollow">Poster</a>',
    ),
    "on* attributes": (
        "<p onclick=\"alert('xss-click')\" onmouseover=\"alert('xss-over')\">"
        "Rehearsals on Tuesdays</p>",
        "<p>Rehearsals on Tuesdays</p>",
    ),
    "svg script": ("<p>Choir</p><svg><script>alert('xss-svg')</script></svg>", "<p>Choir</p>"),
    "style": ("<style>body{display:none}</style><p>Dance</p>", "<p>Dance</p>"),
    "tracking image": ('<p>Welcome</p><img src="//tracker.example/pixel.gif">', "<p>Welcome</p>"),
    "iframe": ('<p>Map</p><iframe src="https://evil.example/"></iframe>', "<p>Map</p>"),
    "plain text": (
        "Concerts every month.\n\nWorkshops for children\nand their parents.",
        "<p>Concerts every month.</p>\n\n<p>Workshops for children<br>and their parents.</p>",
    ),
    "allowed link": (
        '<p>See <a href="https://kkc.example.org/">our site</a>.</p>',
        '<p>See <a href="https://kkc.example.org/" '
        'rel="noopener noreferrer nofollow">our site</a>.</p>',
    ),
}
HOSTILE = [
    "xss-",
    "javascript:",
    "PHNjcmlwd",
    "onclick",
    "onmouseover",
    "display:none",
    "tracker.example",
    "evil.example",
    "<iframe",
    "<svg><script",
]


@pytest.mark.parametrize("item", list(RICH_TEXT))
def test_rich_text_keeps_nothing_executable(admin_a, world, item):
    typed, stored = RICH_TEXT[item]
    response = admin_a.post(
        url("profile", "centre-a"),
        {
            "description": typed,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(slug="centre-a").description == stored

    public = admin_a.get("/en/members/centre-a/").content.decode()
    prose = re.search(r'<div class="prose">(.*?)</div>', public, re.S).group(1)
    assert prose == stored
    for marker in HOSTILE:
        assert marker not in public


def test_paragraphs_are_edited_as_the_plain_text_they_came_from(admin_a, world):
    typed = "Concerts every month.\n\nWorkshops for children & parents < 10 km away."
    admin_a.post(
        url("profile", "centre-a"),
        {
            "description": typed,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert Organisation.objects.get(slug="centre-a").description == (
        "<p>Concerts every month.</p>\n\n"
        "<p>Workshops for children &amp; parents &lt; 10 km away.</p>"
    )
    shown = form_values(admin_a.get(url("profile", "centre-a")).content, "description")
    assert shown["description"] == [typed]


def test_a_website_must_be_a_web_address(admin_a, world):
    response = admin_a.post(
        url("profile", "centre-a"),
        {
            "website": "javascript:alert(1)",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {"website": ["Enter a valid URL."]}
    assert Organisation.objects.get(slug="centre-a").website == ""


def test_social_links_accept_only_web_addresses(admin_a, world):
    def post(links):
        return admin_a.post(
            url("profile", "centre-a"),
            {"social_links": links, "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"},
        )

    response = post("https://www.facebook.com/kkc\njavascript:alert(document.cookie)")
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {
        "social_links": [
            "“javascript:alert(document.cookie)” is not a web address: give one address per "
            "line, starting with https://."
        ]
    }
    assert Organisation.objects.get(slug="centre-a").social_links == ""
    # What was typed is still there to correct.
    assert "javascript:alert(document.cookie)</textarea>" in response.content.decode()

    assert post("https://www.facebook.com/kkc\n\n  http://kkc.example.org  ").status_code == 302
    public = admin_a.get("/en/members/centre-a/").content.decode()
    assert 'href="https://www.facebook.com/kkc"' in public
    assert 'href="http://kkc.example.org"' in public


# --- Mass assignment --------------------------------------------------------------------------


def test_fields_not_on_the_profile_form_are_ignored(admin_a, world, tmp_path):
    centre = Organisation.objects.get(slug="centre-a")
    other = Organisation.objects.get(slug="centre-b")
    protected = [
        "name",
        "slug",
        "type_id",
        "parent_id",
        "membership_status",
        "published",
        "external_id",
        "legal_name",
        "registration_code",
        "member_since",
        "path",
        "logo",
        "created_at",
    ]
    before = {name: getattr(centre, name) for name in protected}
    before_other = Organisation.objects.filter(pk=other.pk).values().get()

    response = admin_a.post(
        url("profile", "centre-a"),
        {
            "short_name": "KKC",
            "name": "Taken over",
            "slug": "taken-over",
            "type": world.collective.pk,
            "parent": other.pk,
            "membership_status": "former",
            "published": "",
            "external_id": "hijack-1",
            "legal_name": "Hijack Ltd",
            "registration_code": "666",
            "member_since": "1900-01-01",
            "path": other.path,
            "logo": "../../etc/passwd",
            "id": other.pk,
            "pk": other.pk,
            "organisation": other.pk,
            "created_at": "2000-01-01T00:00:00Z",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.short_name == "KKC"  # the one field on the form did change
    assert {name: getattr(centre, name) for name in protected} == before
    assert Organisation.objects.filter(pk=other.pk).values().get() == before_other


@pytest.mark.parametrize(
    ("tampered", "status"),
    [
        # The hidden link to the organisation, changed: the form says it does not match.
        ({"contacts-0-id": "theirs", "contacts-0-organisation": "theirs"}, 200),
        # Only the id: it is not one of A's contacts, so Django's formset drops the row.
        ({"contacts-0-id": "theirs"}, 302),
    ],
    ids=["id and organisation", "id only"],
)
def test_a_contact_of_another_organisation_cannot_be_taken_over(
    admin_a, world, tmp_path, tampered, status
):
    theirs = make_contact(
        Organisation.objects.get(slug="centre-b"),
        name="Their contact",
        email="their@example.org",
        consent=True,
    )
    tampered = {
        name: theirs.pk if name.endswith("-id") else theirs.organisation_id for name in tampered
    }
    before = list(ContactPerson.objects.values())

    response = admin_a.post(
        url("profile", "centre-a"),
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-name": "Hijacked",
            "contacts-0-email": "me@example.org",
            "contacts-0-consent": "on",
            **tampered,
        },
    )

    assert response.status_code == status
    if status == 200:
        assert [form_errors(form) for form in response.context["contacts"].forms] == [
            {"organisation": ["The inline value did not match the parent instance."]}
        ]
    assert list(ContactPerson.objects.values()) == before


def test_a_profile_keeps_at_most_10_contact_persons(admin_a, world):
    data = {"contacts-TOTAL_FORMS": "12", "contacts-INITIAL_FORMS": "0"}
    for number in range(12):
        data[f"contacts-{number}-name"] = f"Person {number}"
    response = admin_a.post(url("profile", "centre-a"), data)
    assert response.status_code == 200
    assert ContactPerson.objects.filter(organisation__slug="centre-a").count() == 0


# --- Garbage in every field -------------------------------------------------------------------


def _assert_kept(response, typed):
    """Every value typed is shown again in the form, as typed."""
    shown = form_values(response.content, next(iter(typed)))
    for name, value in typed.items():
        values = value if isinstance(value, list) else [value]
        assert shown.get(name) == [str(item) for item in values], name


def test_garbage_in_the_profile_is_answered_field_by_field(admin_a, world, tmp_path):
    municipality = make_municipality(name="Kėdainiai")
    choir = make_field(name="Choir")
    before = snapshot(tmp_path)
    typed = {
        "short_name": "K" * 81,
        "description": "Koncertai <b>visai</b> bendruomenei",
        "fields_of_activity": [str(choir.pk)],
        "address": "Didžioji g. 1",
        "postal_code": "LT-" + "9" * 18,
        "municipality": str(municipality.pk),
        "latitude": "north",
        "longitude": "200",
        "website": "not a website",
        "email": "not-an-email",
        "phone": "+370 " + "1" * 36,
        "social_links": "https://www.facebook.com/kkc",
        "founding_year": "999",
        "members_count": "-5",
        "volunteers_count": "many",
        "staff_count": "1.5",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "",
        "contacts-0-role": "Direktorė",
        "contacts-0-email": "rasa(at)kkc",
        "contacts-0-phone": "",
        "contacts-1-name": "R" * 151,
        "contacts-1-role": "",
        "contacts-1-email": "",
        "contacts-1-phone": "",
    }

    response = admin_a.post(url("profile", "centre-a"), typed)

    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {
        "short_name": ["Ensure this value has at most 80 characters (it has 81)."],
        "postal_code": ["Ensure this value has at most 20 characters (it has 21)."],
        "latitude": ["Enter a number."],
        "longitude": ["Ensure this value is less than or equal to 180."],
        "website": ["Enter a valid URL."],
        "email": ["Enter a valid email address."],
        "phone": ["Ensure this value has at most 40 characters (it has 41)."],
        "founding_year": ["Ensure this value is greater than or equal to 1000."],
        "members_count": ["Ensure this value is greater than or equal to 0."],
        "volunteers_count": ["Enter a whole number."],
        "staff_count": ["Enter a whole number."],
    }
    assert [form_errors(form) for form in response.context["contacts"].forms] == [
        {"name": ["This field is required."], "email": ["Enter a valid email address."]},
        {"name": ["Ensure this value has at most 150 characters (it has 151)."]},
    ]
    assert len(error_summary(response)) == 11 + 3
    assert "Short name: Ensure this value has at most 80 characters (it has 81)." in (
        error_summary(response)
    )
    _assert_kept(response, typed)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {
                "management form": "tampered",
                "contacts-TOTAL_FORMS": "lots",
                "contacts-INITIAL_FORMS": "0",
            },
            None,
        ),
        (
            {"latitude": "55.3", "longitude": ""},
            {"__all__": ["Give both latitude and longitude, or neither."]},
        ),
        (
            {"municipality": "999999", "fields_of_activity": ["abc"]},
            {
                "municipality": [
                    "Select a valid choice. That choice is not one of the available choices."
                ],
                "fields_of_activity": ["“abc” is not a valid value."],
            },
        ),
    ],
    ids=["tampered management form", "half a position", "unknown choices"],
)
def test_more_garbage_in_the_profile_is_refused_with_a_message(
    admin_a, world, tmp_path, typed, errors
):
    typed = {"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"} | typed
    typed.pop("management form", None)
    before = snapshot(tmp_path)
    response = admin_a.post(url("profile", "centre-a"), typed)
    assert response.status_code == 200
    if errors is None:
        assert form_errors(response.context["form"]) == {}
        assert [str(error) for error in response.context["contacts"].non_form_errors()] == [
            "ManagementForm data is missing or has been tampered with. Missing fields: "
            "contacts-TOTAL_FORMS. You may need to file a bug report if the issue persists."
        ]
        assert "ManagementForm data is missing or has been tampered with" in (
            response.content.decode()
        )
    else:
        assert form_errors(response.context["form"]) == errors
        assert error_summary(response)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {"year": "abc", "members": "12", "volunteers": "3", "staff": "1", "collectives": "0"},
            {"year": ["Select a valid choice. abc is not one of the available choices."]},
        ),
        (
            {
                "year": "1800",
                "members": "-1",
                "volunteers": "",
                "staff": "x",
                "collectives": "99999999999",
            },
            {
                "year": ["Select a valid choice. 1800 is not one of the available choices."],
                "members": ["Ensure this value is greater than or equal to 0."],
                "volunteers": ["This field is required."],
                "staff": ["Enter a whole number."],
                "collectives": ["Ensure this value is less than or equal to 2147483647."],
            },
        ),
        (
            {
                "year": str(THIS_YEAR + 1),
                "members": "12",
                "volunteers": "3",
                "staff": "1",
                "collectives": "0",
            },
            {
                "year": [
                    f"Select a valid choice. {THIS_YEAR + 1} is not one of the available choices."
                ]
            },
        ),
    ],
    ids=["year abc", "year 1800 and bad numbers", "next year"],
)
def test_garbage_in_the_annual_figures(admin_a, world, tmp_path, typed, errors):
    before = snapshot(tmp_path)
    response = admin_a.post(url("figures", "centre-a"), typed)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    assert len(error_summary(response)) == sum(len(messages) for messages in errors.values())
    kept = {name: value for name, value in typed.items() if name != "year"}
    _assert_kept(response, kept)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ({"email": "not an email", "level": "editor"}, {"email": ["Enter a valid email address."]}),
        (
            {"email": "ona@example.org", "level": "owner"},
            {"level": ["Select a valid choice. owner is not one of the available choices."]},
        ),
        (
            {"email": "", "level": ""},
            {"email": ["This field is required."], "level": ["This field is required."]},
        ),
    ],
    ids=["bad email", "unknown role", "empty"],
)
def test_garbage_in_an_invitation(admin_a, world, tmp_path, typed, errors):
    before = snapshot(tmp_path)
    response = admin_a.post(url("people", "centre-a"), typed)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    _assert_kept(response, {"email": typed["email"]})
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {"type": "999999"},
            {"type": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
        (
            {"type": "abc", "membership_status": "king"},
            {
                "type": ["Select a valid choice. That choice is not one of the available choices."],
                "membership_status": [
                    "Select a valid choice. king is not one of the available choices."
                ],
            },
        ),
        ({"parent": "999999"}, {"parent": ["There is no organisation at that address."]}),
        (
            {"parent": "http://testserver/en/members/no-such-organisation/"},
            {"parent": ["There is no organisation at that address."]},
        ),
        (
            {"parent": "/en/members/branch-a/"},
            {"parent": ["An organisation cannot be part of itself or of its own sub-unit."]},
        ),
        (
            {"name": "", "reason": ""},
            {"name": ["This field is required."], "reason": ["This field is required."]},
        ),
        ({"name": "Centre A"}, {"__all__": ["Change at least one field to make a request."]}),
        (
            {"legal_name": "L" * 256},
            {"legal_name": ["Ensure this value has at most 255 characters (it has 256)."]},
        ),
    ],
    ids=[
        "unknown type",
        "garbage type and membership",
        "unknown parent id",
        "unknown parent address",
        "own sub-unit as parent",
        "empty",
        "no change",
        "too long",
    ],
)
def test_garbage_in_a_change_request(admin_a, world, tmp_path, typed, errors):
    typed = {
        "name": "Centre A Renamed",
        "legal_name": "",
        "registration_code": "",
        "type": str(world.centre.pk),
        "parent": "",
        "membership_status": "member",
        "reason": "The general meeting chose a new name.",
    } | typed
    before = snapshot(tmp_path)
    response = admin_a.post(url("change-request", "centre-a"), typed)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    assert error_summary(response)
    kept = {name: typed[name] for name in ["name", "legal_name", "parent", "reason"]}
    _assert_kept(response, kept)
    assert snapshot(tmp_path) == before


def test_a_move_outside_ones_reach_is_refused(client, world, tmp_path):
    # The branch's admin may move its collective only within the branch.
    client.force_login(world.unit_admin_a)
    before = snapshot(tmp_path)
    for parent in ["centre-a", "centre-b", "branch-b"]:
        response = client.post(
            url("move", "collective-a"),
            {
                "parent": Organisation.objects.get(slug=parent).pk,
            },
        )
        assert response.status_code == 200
        assert form_errors(response.context["form"]) == {
            "parent": ["Select a valid choice. That choice is not one of the available choices."]
        }
        assert error_summary(response) == [
            "Part of: Select a valid choice. That choice is not one of the available choices."
        ]
    for garbage in ["abc", "", "-1"]:
        response = client.post(url("move", "collective-a"), {"parent": garbage})
        assert response.status_code == 200
        assert response.context["form"].errors["parent"]
    assert snapshot(tmp_path) == before


def test_the_top_of_ones_reach_moves_only_by_a_change_request(client, world, tmp_path):
    client.force_login(world.unit_admin_a)
    before = snapshot(tmp_path)
    response = client.post(
        url("move", "branch-a"), {"parent": Organisation.objects.get(slug="centre-b").pk}
    )
    assert response.status_code == 302
    assert response["Location"] == url("change-request", "branch-a")
    assert snapshot(tmp_path) == before


def test_archiving_the_top_of_ones_reach_is_refused(client, world, tmp_path):
    client.force_login(world.unit_admin_a)
    before = snapshot(tmp_path)
    response = client.post(url("archive", "branch-a"), {"action": "archive"}, follow=True)
    assert response.redirect_chain == [(url("units", "branch-a"), 302)]
    assert "Only its sub-units can be archived from here." in response.content.decode()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {"name": "Youth choir", "type": "centre"},
            {"type": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
        (
            {"name": "", "type": "abc"},
            {
                "name": ["This field is required."],
                "type": ["Select a valid choice. That choice is not one of the available choices."],
            },
        ),
        (
            {"name": "N" * 256, "type": "collective"},
            {"name": ["Ensure this value has at most 255 characters (it has 256)."]},
        ),
    ],
    ids=["type not allowed here", "empty name and garbage type", "name too long"],
)
def test_garbage_in_a_new_sub_unit(admin_a, world, tmp_path, typed, errors):
    if typed["type"] in {"centre", "collective"}:
        typed = typed | {"type": str(getattr(world, typed["type"]).pk)}
    before = snapshot(tmp_path)
    response = admin_a.post(url("units", "branch-a"), typed)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    assert error_summary(response)
    _assert_kept(response, {"name": typed["name"]})
    assert snapshot(tmp_path) == before


def test_garbage_in_a_photo_description(admin_a, world, tmp_path):
    before = snapshot(tmp_path)
    for alt_text, message in [
        ("", "This field is required."),
        ("A" * 251, "Ensure this value has at most 250 characters (it has 251)."),
    ]:
        response = admin_a.post(
            url("media", "centre-a"),
            {
                "form": "photo",
                "photo-image": png_upload(),
                "photo-alt_text": alt_text,
            },
        )
        assert response.status_code == 200
        assert form_errors(response.context["photo_form"]) == {"alt_text": [message]}
        assert snapshot(tmp_path) == before
        assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {"name": "Ona", "password1": "a-long-pass-phrase", "password2": "another-pass-phrase"},
            {"password2": ["The two passwords differ."]},
        ),
        (
            {"name": "Ona", "password1": "short", "password2": "short"},
            {"password1": ["This password is too short. It must contain at least 10 characters."]},
        ),
        (
            {"name": "", "password1": "", "password2": ""},
            {
                "name": ["This field is required."],
                "password1": ["This field is required."],
                "password2": ["This field is required."],
            },
        ),
    ],
    ids=["passwords differ", "password too short", "empty"],
)
def test_garbage_in_the_invitation_sign_up(client, world, tmp_path, typed, errors):
    before = snapshot(tmp_path)
    response = client.post(invitation_path(token_for("centre-a")), typed)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    assert error_summary(response)
    # The name is kept; passwords are never sent back.
    shown = form_values(response.content, "name")
    assert shown["name"] == [typed["name"]]
    assert "password1" not in shown or shown["password1"] == [""]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "path",
    [
        "/en/my/centre-a/media/photos/999999/delete/",
        "/en/my/centre-a/people/invitations/999999/revoke/",
        "/en/my/centre-a/people/roles/999999/remove/",
        "/en/my/no-such-organisation/",
    ],
)
def test_unknown_objects_answer_404(admin_a, world, tmp_path, path):
    before = snapshot(tmp_path)
    assert admin_a.post(path).status_code == 404
    assert snapshot(tmp_path) == before


def test_an_unknown_invitation_action_answers_404(admin_a, world, tmp_path):
    invitation = Organisation.objects.get(slug="centre-a").invitations.get()
    before = snapshot(tmp_path)
    response = admin_a.post(url("invitation-action", "centre-a", invitation.pk, "accept"))
    assert response.status_code == 404
    assert snapshot(tmp_path) == before


def test_an_admin_cannot_remove_their_own_role(admin_a, world, tmp_path):
    role = Role.objects.get(user=world.admin_a)
    before = snapshot(tmp_path)
    response = admin_a.post(url("role-remove", "centre-a", role.pk), follow=True)
    assert "You cannot remove your own role; ask another admin." in response.content.decode()
    assert snapshot(tmp_path) == before


def test_text_is_escaped_wherever_staff_type_it(admin_a, world):
    hostile = '<script>alert("name")</script>'
    admin_a.post(url("units", "centre-a"), {"name": hostile, "type": world.branch.pk})
    admin_a.post(url("people", "centre-a"), {"email": "x@example.org", "level": "editor"})
    admin_a.post(
        url("change-request", "centre-a"),
        {
            "name": "Centre A",
            "type": world.centre.pk,
            "membership_status": "member",
            "reason": hostile,
        },
    )
    admin_a.post(
        url("change-request", "centre-a"),
        {
            "name": hostile,
            "type": world.centre.pk,
            "membership_status": "member",
            "reason": hostile,
        },
    )
    for page in [url("units", "centre-a"), url("change-request", "centre-a"), url("dashboard")]:
        content = admin_a.get(page).content.decode()
        assert hostile not in content
        assert html.escape(hostile) in content
